package dev.chatstore.tck;

import dev.chatstore.api.error.OptimisticConflictException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: OptimisticConcurrency. Updates of users, sessions and personas carrying a stale version fail with
 * {@link OptimisticConflictException} and change nothing; every successful update adds exactly 1 to the version;
 * updates given as a function retry until they apply.
 */
public abstract class OptimisticConcurrencyContract extends TckSupport {

    private static final int THREADS = 8;
    private static final int INCREMENTS = 25;

    private static long counter(JsonObject json) {
        return (Long) json.get("counter").orElse(0L);
    }

    private static JsonObject incremented(JsonObject json) {
        return json.with("counter", counter(json) + 1);
    }

    /** Runs {@code task(thread)} on {@link #THREADS} threads started together; fails on any exception. */
    private static void concurrently(IntFunction<Runnable> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Runnable r = task.apply(t);
                futures.add(pool.submit(() -> {
                    start.await();
                    r.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: updating a user with a stale version is an OptimisticConflictException and changes nothing")
    void staleUser() {
        User v1 = store.users().create("alice", "Alice", JsonObject.of("k", 1));
        User v2 = store.users().update(v1.withDisplayName("Alice 2"));

        assertThatThrownBy(() -> store.users().update(v1.withDisplayName("lost update").withProfile(JsonObject.of("k", 9))))
                .isInstanceOfSatisfying(OptimisticConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isIn(2L, -1L);
                });
        assertThat(store.users().get("alice")).contains(v2);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: a version from the future is a conflict too")
    void futureVersion() {
        User v1 = store.users().create("alice");
        User forged = new User("alice", "forged", JsonObject.empty(), v1.createdAt(), v1.updatedAt(), 5);

        assertThatThrownBy(() -> store.users().update(forged)).isInstanceOf(OptimisticConflictException.class);
        assertThat(store.users().get("alice")).contains(v1);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: updating a session with a stale version is an OptimisticConflictException and changes nothing")
    void staleSession() {
        user("alice");
        Session v1 = store.sessions().create("alice", NewSession.titled("first").withId("s1"));
        Session v2 = store.sessions().update(v1.withTitle("second"));

        assertThatThrownBy(() -> store.sessions().update(v1.withTitle("lost update").withArchived(true)))
                .isInstanceOf(OptimisticConflictException.class);
        assertThat(store.sessions().get("alice", "s1")).contains(v2);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: updating a persona with a stale version is an OptimisticConflictException and changes nothing")
    void stalePersona() {
        user("alice");
        for (PersonaScope scope : List.of(PersonaScope.global(), PersonaScope.user("alice"))) {
            Persona v1 = store.personas().save(scope, "critic", JsonObject.of("prompt", "one"));
            Persona v2 = store.personas().update(v1.withData(JsonObject.of("prompt", "two")));

            assertThatThrownBy(() -> store.personas().update(v1.withData(JsonObject.of("prompt", "lost"))))
                    .isInstanceOf(OptimisticConflictException.class);
            assertThat(store.personas().find(scope, "critic")).contains(v2);
            assertThat(v2.version()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: every successful user update adds exactly 1 to the version")
    void userVersionIncrements() {
        User u = store.users().create("alice");
        assertThat(u.version()).isEqualTo(1);

        for (int i = 2; i <= 10; i++) {
            u = i % 2 == 0 ? store.users().update(u.withDisplayName("n" + i))
                    : store.users().update("alice", x -> x.withDisplayName("f" + x.version()));
            assertThat(u.version()).isEqualTo(i);
            assertThat(store.users().get("alice").orElseThrow().version()).isEqualTo(i);
        }
        // an update that changes nothing is still an update
        assertThat(store.users().update(u).version()).isEqualTo(11);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: every successful session update adds exactly 1 to the version; appends add nothing")
    void sessionVersionIncrements() {
        Session s = userWithSession("alice");
        assertThat(s.version()).isEqualTo(1);

        s = store.sessions().update(s.withTitle("a"));
        assertThat(s.version()).isEqualTo(2);
        appendMany(s, 3);
        assertThat(store.sessions().get("alice", s.id()).orElseThrow().version()).isEqualTo(2);
        s = store.sessions().update(s.withTitle("b")); // still current: appends did not change the version
        assertThat(s.version()).isEqualTo(3);
        s = store.sessions().update("alice", s.id(), x -> x.withArchived(true));
        assertThat(s.version()).isEqualTo(4);
        assertThat(store.sessions().get("alice", s.id()).orElseThrow().version()).isEqualTo(4);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: every successful persona save or update adds exactly 1 to the version")
    void personaVersionIncrements() {
        Persona p = store.personas().save(PersonaScope.global(), "critic", JsonObject.of("n", 1));
        assertThat(p.version()).isEqualTo(1);

        p = store.personas().save(PersonaScope.global(), "critic", JsonObject.of("n", 2));
        assertThat(p.version()).isEqualTo(2);
        p = store.personas().update(p.withData(JsonObject.of("n", 3)));
        assertThat(p.version()).isEqualTo(3);
        assertThat(store.personas().find(PersonaScope.global(), "critic")).contains(p);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: of two updates from the same read, exactly one wins")
    void oneOfTwoWins() {
        User read = store.users().create("alice", "", JsonObject.of("counter", 0));

        User winner = store.users().update(read.withProfile(JsonObject.of("counter", 1, "by", "first")));
        assertThatThrownBy(() -> store.users().update(read.withProfile(JsonObject.of("counter", 1, "by", "second"))))
                .isInstanceOf(OptimisticConflictException.class);

        assertThat(store.users().get("alice")).contains(winner);
        assertThat(winner.profile().getString("by")).contains("first");
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: concurrent user updates by function all apply (8 threads x 25 increments)")
    void concurrentUserIncrements() throws Exception {
        store.users().create("alice", "", JsonObject.of("counter", 0));

        concurrently(t -> () -> {
            for (int i = 0; i < INCREMENTS; i++) {
                store.users().update("alice", u -> u.withProfile(incremented(u.profile())));
            }
        });

        User u = store.users().get("alice").orElseThrow();
        assertThat(counter(u.profile())).isEqualTo(THREADS * INCREMENTS);
        assertThat(u.version()).isEqualTo(THREADS * INCREMENTS + 1);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: concurrent session updates by function all apply")
    void concurrentSessionIncrements() throws Exception {
        user("alice");
        store.sessions().create("alice", NewSession.titled("t").withId("s1").withMetadata(JsonObject.of("counter", 0)));

        concurrently(t -> () -> {
            for (int i = 0; i < INCREMENTS; i++) {
                store.sessions().update("alice", "s1", s -> s.withMetadata(incremented(s.metadata())));
            }
        });

        Session s = store.sessions().get("alice", "s1").orElseThrow();
        assertThat(counter(s.metadata())).isEqualTo(THREADS * INCREMENTS);
        assertThat(s.version()).isEqualTo(THREADS * INCREMENTS + 1);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: concurrent versioned updates never both succeed from the same version")
    void concurrentVersionedUpdates() throws Exception {
        store.users().create("alice", "", JsonObject.of("counter", 0));
        long[] successes = new long[THREADS];

        concurrently(t -> () -> {
            for (int i = 0; i < INCREMENTS; i++) {
                User read = store.users().get("alice").orElseThrow();
                try {
                    store.users().update(read.withProfile(incremented(read.profile())));
                    successes[t]++;
                } catch (OptimisticConflictException expected) {
                    // someone else updated between our read and our write: this increment is dropped, not lost
                }
            }
        });

        long total = 0;
        for (long s : successes) {
            total += s;
        }
        User u = store.users().get("alice").orElseThrow();
        assertThat(total).isPositive();
        assertThat(counter(u.profile())).isEqualTo(total);
        assertThat(u.version()).isEqualTo(total + 1);
    }

    @Test
    @DisplayName("§4 Optimistic concurrency: concurrent persona saves all apply and each adds 1 to the version")
    void concurrentPersonaSaves() throws Exception {
        store.personas().save(PersonaScope.global(), "critic", JsonObject.of("counter", 0));

        concurrently(t -> () -> {
            for (int i = 0; i < INCREMENTS; i++) {
                while (true) {
                    Persona p = store.personas().find(PersonaScope.global(), "critic").orElseThrow();
                    try {
                        store.personas().update(p.withData(incremented(p.data())));
                        break;
                    } catch (OptimisticConflictException retry) {
                        Thread.onSpinWait();
                    }
                }
            }
        });

        Persona p = store.personas().find(PersonaScope.global(), "critic").orElseThrow();
        assertThat(counter(p.data())).isEqualTo(THREADS * INCREMENTS);
        assertThat(p.version()).isEqualTo(THREADS * INCREMENTS + 1);
    }
}
