package dev.chatstore.api.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a persona lives: globally (shared by everyone) or among one user's personas. A user's persona shadows
 * a global one with the same ID.
 *
 * @param userId the owning user, or empty for the global scope
 */
public record PersonaScope(Optional<String> userId) {

    private static final PersonaScope GLOBAL = new PersonaScope(Optional.empty());

    public PersonaScope {
        Objects.requireNonNull(userId, "userId");
    }

    public static PersonaScope global() {
        return GLOBAL;
    }

    public static PersonaScope user(String userId) {
        return new PersonaScope(Optional.of(userId));
    }

    public boolean isGlobal() {
        return userId.isEmpty();
    }

    @Override
    public String toString() {
        return userId.map(u -> "user:" + u).orElse("global");
    }
}
