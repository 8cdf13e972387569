package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * A user of the chat application: the owner of sessions, documents, personas and credentials.
 *
 * @param id          the caller-chosen ID ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}})
 * @param displayName a name for display; may be empty
 * @param profile     free-form profile data
 * @param createdAt   when the user was created (UTC, milliseconds)
 * @param updatedAt   when the user was last changed
 * @param version     starts at 1, incremented by every successful update
 */
public record User(String id, String displayName, JsonObject profile, Instant createdAt, Instant updatedAt,
                   long version) {

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public User withDisplayName(String newDisplayName) {
        return new User(id, newDisplayName, profile, createdAt, updatedAt, version);
    }

    public User withProfile(JsonObject newProfile) {
        return new User(id, displayName, newProfile, createdAt, updatedAt, version);
    }
}
