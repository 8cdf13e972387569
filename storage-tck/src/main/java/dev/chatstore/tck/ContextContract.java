package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: situational context. One current context per session, a history of snapshots newest first, pruned
 * to {@code limits.max-context-history}; capturedAt truncated to milliseconds; confidence within [0, 1].
 */
public abstract class ContextContract extends TckSupport {

    private static final String USER = "ctx-user";
    private static final Instant T0 = Instant.parse("2024-06-01T08:00:00Z");

    private static SituationalContext context(String summary, Instant capturedAt) {
        return new SituationalContext(summary, List.of("point of " + summary), Map.of("topic", List.of(summary)), 0.5,
                capturedAt);
    }

    private static List<String> summaries(List<SituationalContext> history) {
        return history.stream().map(SituationalContext::summary).toList();
    }

    @Test
    @DisplayName("A session has no context until one is set; set replaces the current one")
    void setAndGetCurrent() {
        Session s = userWithSession(USER);
        assertThat(store.contexts().current(USER, s.id())).isEmpty();
        SituationalContext first = context("first", T0);
        SituationalContext second = new SituationalContext("second", List.of("a", "b"),
                Map.of("people", List.of("Ada")), 0.9, T0.plusSeconds(60));

        assertThat(store.contexts().set(USER, s.id(), first)).isEqualTo(first);
        assertThat(store.contexts().current(USER, s.id())).contains(first);
        store.contexts().set(USER, s.id(), second);

        assertThat(store.contexts().current(USER, s.id())).contains(second);
        assertThat(store.contexts().history(USER, s.id())).as("set does not add to the history").isEmpty();
    }

    @Test
    @DisplayName("Saving a snapshot does not change the current context")
    void snapshotLeavesCurrentAlone() {
        Session s = userWithSession(USER);
        SituationalContext current = context("current", T0);
        store.contexts().set(USER, s.id(), current);

        store.contexts().saveSnapshot(USER, s.id(), context("snap", T0.plusSeconds(1)));

        assertThat(store.contexts().current(USER, s.id())).contains(current);
        assertThat(summaries(store.contexts().history(USER, s.id()))).containsExactly("snap");
    }

    @Test
    @DisplayName("§4 Ordering: history is newest first by capturedAt, the latest saved first among equal times")
    void historyNewestFirst() {
        Session s = userWithSession(USER);
        store.contexts().saveSnapshot(USER, s.id(), context("middle", T0.plusSeconds(10)));
        store.contexts().saveSnapshot(USER, s.id(), context("oldest", T0));
        store.contexts().saveSnapshot(USER, s.id(), context("newest", T0.plusSeconds(20)));
        store.contexts().saveSnapshot(USER, s.id(), context("tie-saved-first", T0.plusSeconds(15)));
        store.contexts().saveSnapshot(USER, s.id(), context("tie-saved-second", T0.plusSeconds(15)));
        store.contexts().saveSnapshot(USER, s.id(), context("one-milli-later", T0.plusSeconds(10).plusMillis(1)));

        assertThat(summaries(store.contexts().history(USER, s.id()))).containsExactly("newest", "tie-saved-second",
                "tie-saved-first", "one-milli-later", "middle", "oldest");
    }

    @Test
    @DisplayName("history(limit) gives the newest snapshots; a limit below 1 is a ValidationException")
    void historyLimit() {
        Session s = userWithSession(USER);
        for (int i = 1; i <= 5; i++) {
            store.contexts().saveSnapshot(USER, s.id(), context("s" + i, T0.plusSeconds(i)));
        }

        assertThat(summaries(store.contexts().history(USER, s.id(), 2))).containsExactly("s5", "s4");
        assertThat(summaries(store.contexts().history(USER, s.id(), 100))).containsExactly("s5", "s4", "s3", "s2", "s1");
        assertThatThrownBy(() -> store.contexts().history(USER, s.id(), 0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.contexts().history(USER, s.id(), -1)).isInstanceOf(ValidationException.class);
    }

    @Test
    @DisplayName("§4 Limits: context history keeps the newest limits.max-context-history snapshots and prunes older ones")
    void historyIsPruned() {
        ChatStore small = open(b -> b.set(Setting.MAX_CONTEXT_HISTORY, 3));
        small.users().create(USER);
        Session s = small.sessions().create(USER, "pruned");
        for (int i = 1; i <= 5; i++) {
            small.contexts().saveSnapshot(USER, s.id(), context("s" + i, T0.plusSeconds(i * 10)));
        }
        assertThat(summaries(small.contexts().history(USER, s.id()))).containsExactly("s5", "s4", "s3");

        small.contexts().saveSnapshot(USER, s.id(), context("older-than-all", T0));
        assertThat(summaries(small.contexts().history(USER, s.id()))).as("an old snapshot is pruned at once")
                .containsExactly("s5", "s4", "s3");

        small.contexts().saveSnapshot(USER, s.id(), context("between", T0.plusSeconds(45)));
        assertThat(summaries(small.contexts().history(USER, s.id()))).containsExactly("s5", "between", "s4");
        assertThat(summaries(small.contexts().history(USER, s.id(), 10))).hasSize(3);
    }

    @Test
    @DisplayName("The default history limit keeps 100 snapshots")
    void defaultHistoryKeepsOneHundred() {
        Session s = userWithSession(USER);
        for (int i = 1; i <= 105; i++) {
            store.contexts().saveSnapshot(USER, s.id(), context("s" + i, T0.plusSeconds(i)));
        }

        List<SituationalContext> history = store.contexts().history(USER, s.id(), 1000);

        assertThat(history).hasSize(100);
        assertThat(history.get(0).summary()).isEqualTo("s105");
        assertThat(history.get(99).summary()).isEqualTo("s6");
    }

    @Test
    @DisplayName("A confidence outside [0, 1] or NaN is a ValidationException and stores nothing")
    void confidenceIsChecked() {
        Session s = userWithSession(USER);
        for (double bad : new double[] {-0.0001, 1.0001, -1, 2, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
            SituationalContext c = new SituationalContext("bad", List.of(), Map.of(), bad, T0);
            assertThatThrownBy(() -> store.contexts().set(USER, s.id(), c)).as("set %s", bad)
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.contexts().saveSnapshot(USER, s.id(), c)).as("snapshot %s", bad)
                    .isInstanceOf(ValidationException.class);
        }
        assertThat(store.contexts().current(USER, s.id())).isEmpty();
        assertThat(store.contexts().history(USER, s.id())).isEmpty();

        for (double ok : new double[] {0.0, 1.0, 0.333333333333333}) {
            SituationalContext c = new SituationalContext("ok", List.of(), Map.of(), ok, T0);
            store.contexts().set(USER, s.id(), c);
            assertThat(store.contexts().current(USER, s.id()).orElseThrow().confidence()).isEqualTo(ok);
        }
    }

    @Test
    @DisplayName("capturedAt is truncated to milliseconds in what is returned and stored")
    void capturedAtIsTruncated() {
        Session s = userWithSession(USER);
        Instant precise = Instant.parse("2024-06-01T08:00:00.123456789Z");
        Instant millis = Instant.parse("2024-06-01T08:00:00.123Z");

        SituationalContext returned = store.contexts().set(USER, s.id(), context("precise", precise));
        SituationalContext snapshot = store.contexts().saveSnapshot(USER, s.id(), context("precise", precise));

        assertThat(returned.capturedAt()).isEqualTo(millis);
        assertThat(snapshot.capturedAt()).isEqualTo(millis);
        assertThat(store.contexts().current(USER, s.id()).orElseThrow().capturedAt()).isEqualTo(millis);
        assertThat(store.contexts().history(USER, s.id()).get(0).capturedAt()).isEqualTo(millis);
    }

    @Test
    @DisplayName("Summary, key points (in order) and entities (with Unicode and empty lists) round-trip exactly")
    void contentRoundTrips() {
        Session s = userWithSession(USER);
        Map<String, List<String>> entities = new LinkedHashMap<>();
        entities.put("people", List.of("Ada Lovelace", "Алан Тьюринг", "محمد"));
        entities.put("places", List.of());
        entities.put("emoji 🎉", List.of("👩‍💻", "e\u0301"));
        entities.put("dotted.key", List.of("$value", "a.b"));
        entities.put("repeated", List.of("same", "same"));
        SituationalContext c = new SituationalContext("Summary with ünïcödé, \"quotes\", new\nlines and \u0000 nul",
                List.of("z last alphabetically but first", "a", "ключевой момент", ""), entities, 0.1,
                Instant.parse("2024-06-01T08:00:00.5Z"));

        store.contexts().set(USER, s.id(), c);
        store.contexts().saveSnapshot(USER, s.id(), c);

        assertThat(store.contexts().current(USER, s.id())).contains(c);
        assertThat(store.contexts().history(USER, s.id())).containsExactly(c);
        SituationalContext back = store.contexts().current(USER, s.id()).orElseThrow();
        assertThat(back.keyPoints()).containsExactly("z last alphabetically but first", "a", "ключевой момент", "");
        assertThat(back.entities()).isEqualTo(entities);
        assertThat(back.confidence()).isEqualTo(0.1);

        ChatStore target = open(b -> { });
        ExportImportContract.importText(target, ExportImportContract.exportText(store));
        assertThat(target.contexts().current(USER, s.id())).contains(c);
        assertThat(target.contexts().history(USER, s.id())).containsExactly(c);
    }

    @Test
    @DisplayName("Contexts of one session are invisible from another; an unknown or foreign session is a NotFoundException")
    void contextsBelongToTheirSession() {
        Session s = userWithSession(USER);
        Session other = store.sessions().create(USER, "other");
        Session foreign = store.sessions().create(user("ctx-other"), "foreign");
        store.contexts().set(USER, s.id(), context("mine", T0));
        store.contexts().saveSnapshot(USER, s.id(), context("mine", T0));

        assertThat(store.contexts().current(USER, other.id())).isEmpty();
        assertThat(store.contexts().history(USER, other.id())).isEmpty();
        assertThatThrownBy(() -> store.contexts().current(USER, "no-such-session")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.contexts().set(USER, foreign.id(), context("x", T0)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.contexts().saveSnapshot(USER, foreign.id(), context("x", T0)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.contexts().history(USER, foreign.id())).isInstanceOf(NotFoundException.class);
        assertThat(store.contexts().current("ctx-other", foreign.id())).isEmpty();
    }

    @Test
    @DisplayName("A summary, key points or entities beyond the configured limits are rejected and store nothing")
    void contextLimits() {
        Session s = userWithSession(USER);
        SituationalContext longSummary = new SituationalContext("x".repeat(501), List.of(), Map.of(), 0.5, T0);
        SituationalContext manyPoints = new SituationalContext("ok", java.util.Collections.nCopies(11, "p"), Map.of(),
                0.5, T0);

        assertThatThrownBy(() -> store.contexts().set(USER, s.id(), longSummary)).isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> store.contexts().saveSnapshot(USER, s.id(), manyPoints))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> store.contexts().set(USER, s.id(),
                new SituationalContext("bad\uD800", List.of(), Map.of(), 0.5, T0))).isInstanceOf(ValidationException.class);

        assertThat(store.contexts().current(USER, s.id())).isEmpty();
        assertThat(store.contexts().history(USER, s.id())).isEmpty();
        SituationalContext atLimits = new SituationalContext("x".repeat(500), java.util.Collections.nCopies(10, "p"),
                Map.of(), 0.5, T0);
        store.contexts().set(USER, s.id(), atLimits);
        assertThat(store.contexts().current(USER, s.id())).contains(atLimits);
    }
}
