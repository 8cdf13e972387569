package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat session (conversation) of one user. Its ID is unique among that user's sessions.
 *
 * @param id            the session ID, generated as {@code chat_session_YYYYMMDD_HHMMSS_<random>} unless supplied
 * @param userId        the owner
 * @param title         a human-readable title; may be empty
 * @param model         the model the session talks to, if recorded
 * @param provider      the model provider, if recorded
 * @param archived      whether the user archived it
 * @param metadata      free-form session configuration
 * @param messageCount  how many messages the session holds (the highest seq)
 * @param lastMessageAt createdAt of the message with the highest seq, if any
 * @param createdAt     when it was created
 * @param updatedAt     the later of its last update and its newest message's createdAt; sessions list newest-first by it
 * @param version       starts at 1, incremented by every successful update (appends do not change it)
 */
public record Session(String id, String userId, String title, Optional<String> model, Optional<String> provider,
                      boolean archived, JsonObject metadata, long messageCount, Optional<Instant> lastMessageAt,
                      Instant createdAt, Instant updatedAt, long version) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(lastMessageAt, "lastMessageAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public Session withTitle(String newTitle) {
        return new Session(id, userId, newTitle, model, provider, archived, metadata, messageCount, lastMessageAt,
                createdAt, updatedAt, version);
    }

    public Session withModel(String newModel) {
        return new Session(id, userId, title, Optional.of(newModel), provider, archived, metadata, messageCount,
                lastMessageAt, createdAt, updatedAt, version);
    }

    public Session withProvider(String newProvider) {
        return new Session(id, userId, title, model, Optional.of(newProvider), archived, metadata, messageCount,
                lastMessageAt, createdAt, updatedAt, version);
    }

    public Session withArchived(boolean newArchived) {
        return new Session(id, userId, title, model, provider, newArchived, metadata, messageCount, lastMessageAt,
                createdAt, updatedAt, version);
    }

    public Session withMetadata(JsonObject newMetadata) {
        return new Session(id, userId, title, model, provider, archived, newMetadata, messageCount, lastMessageAt,
                createdAt, updatedAt, version);
    }
}
