package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored message of a session's (or a panel's) log.
 *
 * @param id          unique within its session; generated time-ordered (ULID) unless supplied
 * @param sessionId   the session, or the panel for panel messages
 * @param seq         assigned by the store: 1, 2, 3, ... with no gap and no duplicate per session or panel
 * @param role        {@value #ROLE_USER}, {@value #ROLE_ASSISTANT}, {@value #ROLE_SYSTEM}, {@value #ROLE_TOOL},
 *                    or (in panels) a persona ID
 * @param content     the text, any valid Unicode
 * @param createdAt   when it was written (UTC, milliseconds)
 * @param attachments names of documents of the same session it refers to
 * @param metadata    free-form data
 * @param usage       token usage and cost, for model replies
 * @param model       the model that produced it, if any
 * @param provider    the provider of that model, if any
 */
public record Message(String id, String sessionId, long seq, String role, String content, Instant createdAt,
                      List<String> attachments, JsonObject metadata, Optional<Usage> usage, Optional<String> model,
                      Optional<String> provider) {

    public static final String ROLE_USER = "user";
    public static final String ROLE_ASSISTANT = "assistant";
    public static final String ROLE_SYSTEM = "system";
    public static final String ROLE_TOOL = "tool";

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
    }

    /** The same message with another seq (used by backends when they assign it). */
    public Message withSeq(long newSeq) {
        return new Message(id, sessionId, newSeq, role, content, createdAt, attachments, metadata, usage, model,
                provider);
    }
}
