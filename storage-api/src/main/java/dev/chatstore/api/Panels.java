package dev.chatstore.api;

import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.Panel;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Multi-persona panels: a shared message log whose roles are the panel's personas (or user, assistant, system,
 * tool), and saved insights. Obtained from {@link ChatStore#panels()}.
 */
public final class Panels {

    private final StoreCore core;

    Panels(StoreCore core) {
        this.core = core;
    }

    /**
     * Creates a panel, generating its ID ({@code panel_YYYYMMDD_HHMMSS_<random>}) unless the request names one.
     *
     * @throws LimitExceededException past {@code limits.max-personas-per-panel}
     */
    public Panel create(NewPanel request) {
        request.id().ifPresent(id -> Validator.id("panelId", id));
        Validator.label("type", request.type());
        if (request.type().isBlank()) {
            throw new ValidationException("type", "must not be blank");
        }
        if (request.personas().size() > core.config.maxPersonasPerPanel()) {
            throw new LimitExceededException("limits.max-personas-per-panel", core.config.maxPersonasPerPanel(),
                    request.personas().size());
        }
        Set<String> seen = new HashSet<>();
        for (String p : request.personas()) {
            Validator.id("personas", p);
            if (!seen.add(p)) {
                throw new ValidationException("personas", "persona '" + p + "' is listed twice");
            }
        }
        Validator.json("config", request.config(), core.config.maxJsonBytes());
        Instant now = core.now();
        Panel panel = new Panel(request.id().orElseGet(() -> core.ids.panelId(now)), request.type(),
                request.personas(), request.config(), now, now);
        core.backend.panels().insert(panel);
        return panel;
    }

    public Panel create(String type, List<String> personas) {
        return create(NewPanel.of(type, personas));
    }

    public Optional<Panel> get(String panelId) {
        Validator.id("panelId", panelId);
        return core.backend.panels().find(panelId);
    }

    /** Panels newest first (createdAt descending, then ID). */
    public List<Panel> list(int offset, int limit) {
        return core.backend.panels().list(Validator.offset("offset", offset), core.limit(limit));
    }

    /** Deletes the panel with its messages and insights. */
    public boolean delete(String panelId) {
        Validator.id("panelId", panelId);
        return core.backend.panels().delete(panelId);
    }

    /**
     * Appends a message to the panel's log. Its role must be one of the panel's personas, or user, assistant,
     * system or tool.
     */
    public Message append(String panelId, NewMessage message) {
        return appendAll(panelId, List.of(message)).get(0);
    }

    /** Appends messages atomically with consecutive seqs. */
    public List<Message> appendAll(String panelId, List<NewMessage> messages) {
        Panel panel = require(panelId);
        List<Message> drafts = Messages.drafts(core, panelId, messages,
                role -> Messages.SESSION_ROLES.contains(role) || panel.personas().contains(role),
                "one of the panel's personas " + panel.personas() + " or user, assistant, system, tool");
        return core.backend.logs().append(LogRef.panel(panelId), drafts, core.config.maxMessagesPerSession());
    }

    /** The first {@code paging.message-default-limit} messages of the panel, ascending. */
    public List<Message> messages(String panelId) {
        return messages(panelId, 0, core.config.messageDefaultLimit());
    }

    /** Messages with seq greater than {@code afterSeq}, ascending. */
    public List<Message> messages(String panelId, long afterSeq, int limit) {
        Validator.id("panelId", panelId);
        if (afterSeq < 0) {
            throw new ValidationException("afterSeq", "must not be negative, got " + afterSeq);
        }
        return core.backend.logs().after(LogRef.panel(panelId), afterSeq, core.limit(limit));
    }

    /** Saves an insight (analysis or conclusion) for the panel. */
    public Insight saveInsight(String panelId, JsonObject content) {
        require(panelId);
        Validator.json("content", content, core.config.maxJsonBytes());
        Instant now = core.now();
        Insight insight = new Insight(core.ids.insightId(now), panelId, now, content);
        core.backend.panels().saveInsight(insight);
        return insight;
    }

    /** The panel's insights, newest first. */
    public List<Insight> insights(String panelId) {
        return insights(panelId, core.config.messageDefaultLimit());
    }

    public List<Insight> insights(String panelId, int limit) {
        Validator.id("panelId", panelId);
        return core.backend.panels().insights(panelId, core.limit(limit));
    }

    /** Removes insights older than {@code panels.insight-retention-days}; returns how many. */
    public long purgeExpiredInsights() {
        Instant cutoff = core.now().minus(Duration.ofDays(core.config.insightRetentionDays()));
        return core.backend.panels().purgeInsightsBefore(cutoff);
    }

    private Panel require(String panelId) {
        Validator.id("panelId", panelId);
        return core.backend.panels().find(panelId).orElseThrow(() -> new NotFoundException("panel", panelId));
    }
}
