package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * A persona definition (an AI character with its prompt, style and so on).
 *
 * @param id        unique within its scope
 * @param scope     global or one user's
 * @param data      the definition
 * @param createdAt when it was first saved
 * @param updatedAt when it was last saved
 * @param version   starts at 1, incremented by every successful save
 */
public record Persona(String id, PersonaScope scope, JsonObject data, Instant createdAt, Instant updatedAt,
                      long version) {

    public Persona {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public Persona withData(JsonObject newData) {
        return new Persona(id, scope, newData, createdAt, updatedAt, version);
    }
}
