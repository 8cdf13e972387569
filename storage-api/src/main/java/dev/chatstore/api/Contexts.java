package dev.chatstore.api;

import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.SituationalContext;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The situational context of sessions: the current one and a history of snapshots, newest first, pruned to
 * {@code limits.max-context-history}. Every call names the user and throws
 * {@link dev.chatstore.api.error.NotFoundException} if that user has no such session. Obtained from
 * {@link ChatStore#contexts()}.
 */
public final class Contexts {

    private final StoreCore core;

    Contexts(StoreCore core) {
        this.core = core;
    }

    /** Replaces the session's current context. */
    public SituationalContext set(String userId, String sessionId, SituationalContext context) {
        SituationalContext c = validate(userId, sessionId, context);
        core.backend.contexts().setCurrent(userId, sessionId, c);
        return c;
    }

    public Optional<SituationalContext> current(String userId, String sessionId) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        return core.backend.contexts().current(userId, sessionId);
    }

    /** Adds a snapshot to the history, pruning the oldest beyond {@code limits.max-context-history}. */
    public SituationalContext saveSnapshot(String userId, String sessionId, SituationalContext context) {
        SituationalContext c = validate(userId, sessionId, context);
        core.backend.contexts().addSnapshot(userId, sessionId, c, core.config.maxContextHistory());
        return c;
    }

    /** The whole kept history, newest first. */
    public List<SituationalContext> history(String userId, String sessionId) {
        return history(userId, sessionId, core.config.maxContextHistory());
    }

    /** The newest {@code limit} snapshots, newest first (capturedAt descending, then latest saved first). */
    public List<SituationalContext> history(String userId, String sessionId, int limit) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        return core.backend.contexts().history(userId, sessionId, core.limit(limit));
    }

    private SituationalContext validate(String userId, String sessionId, SituationalContext c) {
        if (c == null) {
            throw new ValidationException("context", "must not be null");
        }
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        Validator.text("context.summary", c.summary());
        int characters = c.summary().codePointCount(0, c.summary().length());
        if (characters > core.config.maxContextSummaryLength()) {
            throw new LimitExceededException("limits.max-context-summary-length", core.config.maxContextSummaryLength(),
                    characters);
        }
        if (c.keyPoints().size() > core.config.maxContextKeyPoints()) {
            throw new LimitExceededException("limits.max-context-key-points", core.config.maxContextKeyPoints(),
                    c.keyPoints().size());
        }
        for (String point : c.keyPoints()) {
            Validator.label("context.keyPoints", point);
        }
        for (Map.Entry<String, List<String>> e : c.entities().entrySet()) {
            Validator.label("context.entities", e.getKey());
            for (String v : e.getValue()) {
                Validator.label("context.entities." + e.getKey(), v);
            }
        }
        if (!(c.confidence() >= 0.0 && c.confidence() <= 1.0)) {
            throw new ValidationException("context.confidence", "must be between 0 and 1, got " + c.confidence());
        }
        return c.withCapturedAt(Validator.instant("context.capturedAt", c.capturedAt()));
    }
}
