package dev.chatstore.tck;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.User;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TCK group: User. Create, read, update (with and without an expected version), delete, list and count users. */
public abstract class UserContract extends TckSupport {

    @Test
    @DisplayName("a created user reads back with its display name, profile, timestamps and version 1")
    void createAndGet() {
        JsonObject profile = JsonObject.of("theme", "dark", "fontSize", 14, "tags", List.of("a", "b"),
                "nested", Map.of("ratio", new java.math.BigDecimal("0.25")));
        User created = store.users().create("alice", "Alice Liddell", profile);

        assertThat(created.id()).isEqualTo("alice");
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.createdAt()).isEqualTo(created.updatedAt());
        assertThat(store.users().get("alice")).contains(created);
        User read = store.users().get("alice").orElseThrow();
        assertThat(read.displayName()).isEqualTo("Alice Liddell");
        assertThat(read.profile()).isEqualTo(profile);
        assertThat(read.profile().get("fontSize")).contains(14L);
    }

    @Test
    @DisplayName("create(id) gives an empty display name and an empty profile")
    void createWithIdOnly() {
        User u = store.users().create("bob");

        assertThat(u.displayName()).isEmpty();
        assertThat(u.profile()).isEqualTo(JsonObject.empty());
        assertThat(store.users().get("bob")).contains(u);
    }

    @Test
    @DisplayName("an unknown user reads as empty")
    void getUnknown() {
        assertThat(store.users().get("nobody")).isEmpty();
    }

    @Test
    @DisplayName("timestamps are UTC instants truncated to milliseconds")
    void timestampsInMillis() {
        User u = store.users().create("alice");
        User updated = store.users().update("alice", x -> x.withDisplayName("A"));

        for (User x : List.of(u, updated, store.users().get("alice").orElseThrow())) {
            assertThat(x.createdAt().getNano() % 1_000_000).isZero();
            assertThat(x.updatedAt().getNano() % 1_000_000).isZero();
        }
        assertThat(store.users().get("alice").orElseThrow().createdAt()).isEqualTo(u.createdAt());
    }

    @Test
    @DisplayName("a duplicate user ID is a DuplicateKeyException and the existing user is unchanged")
    void duplicateId() {
        User original = store.users().create("alice", "first", JsonObject.of("k", 1));

        assertThatThrownBy(() -> store.users().create("alice", "second", JsonObject.of("k", 2)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(store.users().get("alice")).contains(original);
        assertThat(store.users().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("user IDs are case-sensitive: 'alice' and 'Alice' are two users")
    void idsAreCaseSensitive() {
        store.users().create("alice", "lower", JsonObject.empty());
        store.users().create("Alice", "upper", JsonObject.empty());

        assertThat(store.users().count()).isEqualTo(2);
        assertThat(store.users().get("alice").orElseThrow().displayName()).isEqualTo("lower");
        assertThat(store.users().get("Alice").orElseThrow().displayName()).isEqualTo("upper");
        assertThat(store.users().get("ALICE")).isEmpty();
        store.users().delete("Alice");
        assertThat(store.users().get("alice")).isPresent();
    }

    @Test
    @DisplayName("update(User) stores display name and profile, keeps createdAt and adds 1 to the version")
    void updateWithVersion() {
        User v1 = store.users().create("alice", "Alice", JsonObject.of("theme", "dark"));

        User v2 = store.users().update(v1.withDisplayName("Alice L.").withProfile(JsonObject.of("theme", "light")));

        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.displayName()).isEqualTo("Alice L.");
        assertThat(v2.profile()).isEqualTo(JsonObject.of("theme", "light"));
        assertThat(v2.createdAt()).isEqualTo(v1.createdAt());
        assertThat(v2.updatedAt()).isAfterOrEqualTo(v1.updatedAt());
        assertThat(store.users().get("alice")).contains(v2);

        User v3 = store.users().update(v2.withDisplayName("Al"));
        assertThat(v3.version()).isEqualTo(3);
        assertThat(store.users().get("alice")).contains(v3);
    }

    @Test
    @DisplayName("update(id, fn) applies the change and adds 1 to the version")
    void updateWithFunction() {
        store.users().create("alice", "Alice", JsonObject.of("counter", 0));

        for (int i = 1; i <= 3; i++) {
            User u = store.users().update("alice",
                    x -> x.withProfile(x.profile().with("counter", (Long) x.profile().get("counter").orElseThrow() + 1)));
            assertThat(u.version()).isEqualTo(1 + i);
            assertThat(u.profile().get("counter")).contains((long) i);
        }
        assertThat(store.users().get("alice").orElseThrow().version()).isEqualTo(4);
    }

    @Test
    @DisplayName("update(id, fn) takes only display name and profile from the result, never id, timestamps or version")
    void updateIgnoresOtherFields() {
        User v1 = store.users().create("alice", "Alice", JsonObject.empty());

        User v2 = store.users().update("alice", x -> new User(x.id(), "changed", JsonObject.of("a", 1),
                Instant.EPOCH, Instant.EPOCH, 999));

        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.createdAt()).isEqualTo(v1.createdAt());
        assertThat(v2.updatedAt()).isAfterOrEqualTo(v1.updatedAt());
        assertThat(v2.displayName()).isEqualTo("changed");
        assertThat(store.users().get("alice")).contains(v2);
    }

    @Test
    @DisplayName("updating an unknown user is a NotFoundException and creates nothing")
    void updateUnknown() {
        User ghost = new User("ghost", "", JsonObject.empty(), Instant.EPOCH, Instant.EPOCH, 1);

        assertThatThrownBy(() -> store.users().update(ghost)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.users().update("ghost", x -> x.withDisplayName("boo")))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.users().get("ghost")).isEmpty();
        assertThat(store.users().count()).isZero();
    }

    @Test
    @DisplayName("delete removes the user, returns true once and false afterwards")
    void delete() {
        user("alice");
        user("bob");

        assertThat(store.users().delete("alice")).isTrue();
        assertThat(store.users().get("alice")).isEmpty();
        assertThat(store.users().delete("alice")).isFalse();
        assertThat(store.users().delete("never-existed")).isFalse();
        assertThat(store.users().get("bob")).isPresent();
        assertThat(store.users().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a deleted user's ID can be used again, starting over at version 1")
    void recreateAfterDelete() {
        store.users().create("alice", "old", JsonObject.of("k", 1));
        store.users().update("alice", x -> x.withDisplayName("older"));
        store.users().delete("alice");

        User again = store.users().create("alice", "new", JsonObject.empty());

        assertThat(again.version()).isEqualTo(1);
        assertThat(store.users().get("alice")).contains(again);
    }

    @Test
    @DisplayName("count follows creates and deletes")
    void count() {
        assertThat(store.users().count()).isZero();
        for (int i = 0; i < 7; i++) {
            user("u" + i);
        }
        assertThat(store.users().count()).isEqualTo(7);
        store.users().delete("u3");
        assertThat(store.users().count()).isEqualTo(6);
    }

    @Test
    @DisplayName("list gives users by ID ascending (binary order of the ID)")
    void listById() {
        List<String> ids = List.of("carol", "alice", "Bob", "bob", "a-1", "a.1", "a_1", "a1", "A1", "0zed", "b");
        ids.forEach(this::user);

        List<String> listed = store.users().list(0, 100).stream().map(User::id).toList();

        assertThat(listed).containsExactlyElementsOf(ids.stream().sorted().toList());
        assertThat(store.users().list().stream().map(User::id).toList()).isEqualTo(listed);
    }

    @Test
    @DisplayName("list pages through users without gaps or repeats")
    void listPages() {
        for (int i = 0; i < 11; i++) {
            user(String.format("user%02d", i));
        }

        List<String> all = Stream.of(store.users().list(0, 4), store.users().list(4, 4), store.users().list(8, 4))
                .flatMap(List::stream).map(User::id).toList();

        assertThat(all).hasSize(11).doesNotHaveDuplicates().isSorted();
        assertThat(store.users().list(11, 4)).isEmpty();
        assertThat(store.users().list(500, 4)).isEmpty();
    }

    @Test
    @DisplayName("getOrCreate creates a missing user once and afterwards returns it unchanged")
    void getOrCreate() {
        User first = store.users().getOrCreate("alice", "Alice", JsonObject.of("k", 1L));
        User again = store.users().getOrCreate("alice", "Someone else", JsonObject.empty());

        assertThat(again).isEqualTo(first);
        assertThat(again.displayName()).isEqualTo("Alice");
        assertThat(store.users().count()).isEqualTo(1);
        assertThat(store.sessions().getOrCreate("alice", NewSession.titled("t").withId("s1")))
                .isEqualTo(store.sessions().getOrCreate("alice", NewSession.titled("other").withId("s1")));
        assertThat(store.sessions().count("alice")).isEqualTo(1);
        assertThatThrownBy(() -> store.sessions().getOrCreate("alice",
                NewSession.titled("no id"))).isInstanceOf(ValidationException.class);
    }
}
