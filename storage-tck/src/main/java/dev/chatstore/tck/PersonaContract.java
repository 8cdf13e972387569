package dev.chatstore.tck;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: personas. Global and per-user personas; every save adds 1 to the version; a user's persona shadows
 * a global one with the same ID for that user only.
 */
public abstract class PersonaContract extends TckSupport {

    private static final PersonaScope GLOBAL = PersonaScope.global();

    private static JsonObject data(String prompt) {
        return JsonObject.of("prompt", prompt, "temperature", 0.7, "traits", List.of("curious", "kind"));
    }

    @Test
    @DisplayName("A global persona is saved at version 1, found, listed and deleted")
    void globalLifecycle() {
        Persona saved = store.personas().save(GLOBAL, "analyst", data("Analyse."));

        assertThat(saved.id()).isEqualTo("analyst");
        assertThat(saved.scope()).isEqualTo(GLOBAL);
        assertThat(saved.version()).isEqualTo(1);
        assertThat(saved.data()).isEqualTo(data("Analyse."));
        assertThat(saved.createdAt()).isEqualTo(saved.updatedAt()).isEqualTo(saved.createdAt().truncatedTo(ChronoUnit.MILLIS));
        assertThat(store.personas().find(GLOBAL, "analyst")).contains(saved);
        assertThat(store.personas().list(GLOBAL)).containsExactly(saved);

        assertThat(store.personas().delete(GLOBAL, "analyst")).isTrue();

        assertThat(store.personas().find(GLOBAL, "analyst")).isEmpty();
        assertThat(store.personas().list(GLOBAL)).isEmpty();
        assertThat(store.personas().delete(GLOBAL, "analyst")).isFalse();
        assertThat(exportBody(store)).doesNotContain("Analyse.");
    }

    @Test
    @DisplayName("Every save replaces the data and adds 1 to the version; createdAt stays")
    void versionIncrementsOnSave() {
        Persona v1 = store.personas().save(GLOBAL, "critic", data("v1"));
        Persona v2 = store.personas().save(GLOBAL, "critic", data("v2"));
        Persona v3 = store.personas().save(GLOBAL, "critic", JsonObject.empty());

        assertThat(List.of(v1, v2, v3)).extracting(Persona::version).containsExactly(1L, 2L, 3L);
        assertThat(v3.createdAt()).isEqualTo(v1.createdAt());
        assertThat(v3.updatedAt()).isAfterOrEqualTo(v2.updatedAt());
        assertThat(v2.updatedAt()).isAfterOrEqualTo(v1.updatedAt());
        assertThat(store.personas().find(GLOBAL, "critic")).contains(v3);
        assertThat(store.personas().list(GLOBAL)).hasSize(1);
    }

    @Test
    @DisplayName("update with the read version stores the data; a stale version is an OptimisticConflictException")
    void updateChecksVersion() {
        Persona v1 = store.personas().save(GLOBAL, "critic", data("v1"));
        Persona v2 = store.personas().update(v1.withData(data("v2")));

        assertThat(v2.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.personas().update(v1.withData(data("lost update"))))
                .isInstanceOf(OptimisticConflictException.class);
        assertThat(store.personas().find(GLOBAL, "critic")).contains(v2);
        assertThatThrownBy(() -> store.personas().update(new Persona("ghost", GLOBAL, data("x"), v1.createdAt(),
                v1.updatedAt(), 1))).isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("User personas are saved, found, listed by ID and deleted in the user's scope only")
    void userScope() {
        user("persona-alice");
        PersonaScope alice = PersonaScope.user("persona-alice");

        Persona b = store.personas().save(alice, "beta", data("b"));
        Persona a = store.personas().save(alice, "alpha", data("a"));
        Persona c = store.personas().save(alice, "gamma", data("c"));

        assertThat(store.personas().list(alice)).containsExactly(a, b, c);
        assertThat(store.personas().find(alice, "alpha")).contains(a);
        assertThat(store.personas().find(GLOBAL, "alpha")).isEmpty();
        assertThat(store.personas().list(GLOBAL)).isEmpty();
        assertThat(a.scope()).isEqualTo(alice);

        assertThat(store.personas().delete(alice, "beta")).isTrue();
        assertThat(store.personas().list(alice)).containsExactly(a, c);
        assertThat(store.personas().delete(GLOBAL, "alpha")).isFalse();
        assertThat(store.personas().find(alice, "alpha")).contains(a);
    }

    @Test
    @DisplayName("A user's persona shadows the global one with the same ID for that user; others see the global one")
    void userPersonaShadowsGlobal() {
        user("persona-alice");
        user("persona-bob");
        Persona global = store.personas().save(GLOBAL, "coach", data("global coach"));
        Persona onlyGlobal = store.personas().save(GLOBAL, "zen", data("zen"));
        Persona own = store.personas().save(PersonaScope.user("persona-alice"), "coach", data("alice's coach"));
        Persona aliceOnly = store.personas().save(PersonaScope.user("persona-alice"), "mentor", data("mentor"));

        assertThat(store.personas().resolve("persona-alice", "coach")).contains(own);
        assertThat(store.personas().resolve("persona-bob", "coach")).contains(global);
        assertThat(store.personas().resolve("persona-alice", "zen")).contains(onlyGlobal);
        assertThat(store.personas().resolve("persona-bob", "mentor")).isEmpty();
        assertThat(store.personas().resolve("persona-alice", "nobody")).isEmpty();
        assertThat(store.personas().listVisibleTo("persona-alice")).containsExactly(own, aliceOnly, onlyGlobal);
        assertThat(store.personas().listVisibleTo("persona-bob")).containsExactly(global, onlyGlobal);
        assertThat(store.personas().find(GLOBAL, "coach")).contains(global);

        store.personas().delete(PersonaScope.user("persona-alice"), "coach");

        assertThat(store.personas().resolve("persona-alice", "coach")).contains(global);
        assertThat(store.personas().listVisibleTo("persona-alice")).containsExactly(global, aliceOnly, onlyGlobal);
    }

    @Test
    @DisplayName("Saving or updating the global persona does not touch a user's persona of the same ID, and the other way round")
    void scopesAreIndependent() {
        user("persona-alice");
        PersonaScope alice = PersonaScope.user("persona-alice");
        store.personas().save(GLOBAL, "coach", data("g1"));
        Persona own = store.personas().save(alice, "coach", data("a1"));

        Persona global2 = store.personas().save(GLOBAL, "coach", data("g2"));

        assertThat(global2.version()).isEqualTo(2);
        assertThat(store.personas().find(alice, "coach")).contains(own);
        Persona own2 = store.personas().save(alice, "coach", data("a2"));
        assertThat(own2.version()).isEqualTo(2);
        assertThat(store.personas().find(GLOBAL, "coach")).contains(global2);
        store.personas().delete(GLOBAL, "coach");
        assertThat(store.personas().find(alice, "coach")).contains(own2);
    }

    @Test
    @DisplayName("Saving a persona for an unknown user is a NotFoundException; reading an unknown user's scope is empty")
    void unknownUserScope() {
        PersonaScope ghost = PersonaScope.user("persona-ghost");

        assertThatThrownBy(() -> store.personas().save(ghost, "coach", data("x"))).isInstanceOf(NotFoundException.class);

        assertThat(store.personas().find(ghost, "coach")).isEmpty();
        assertThat(store.personas().list(ghost)).isEmpty();
        assertThat(store.personas().delete(ghost, "coach")).isFalse();
        assertThat(exportBody(store)).isEmpty();
    }

    @Test
    @DisplayName("Invalid persona IDs and scope user IDs are a ValidationException")
    void invalidIds() {
        assertThatThrownBy(() -> store.personas().save(GLOBAL, "../evil", data("x"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.personas().save(GLOBAL, "", data("x"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.personas().find(PersonaScope.user("a/b"), "coach"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.personas().resolve("ok", "bad id")).isInstanceOf(ValidationException.class);
        assertThat(store.personas().list(GLOBAL)).isEmpty();
    }

    @Test
    @DisplayName("Persona IDs are case-sensitive")
    void idsAreCaseSensitive() {
        Persona lower = store.personas().save(GLOBAL, "coach", data("lower"));
        Persona upper = store.personas().save(GLOBAL, "Coach", data("upper"));

        assertThat(store.personas().find(GLOBAL, "coach")).contains(lower);
        assertThat(store.personas().find(GLOBAL, "Coach")).contains(upper);
        assertThat(store.personas().list(GLOBAL)).hasSize(2);
    }
}
