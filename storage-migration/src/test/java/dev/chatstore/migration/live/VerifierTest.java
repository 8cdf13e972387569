package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerifierTest {

    @TempDir
    Path dir;

    /** Source populated, target a backfilled copy. */
    private static StorageBackend[] copiedPair(int users, int sessions, int messages) {
        StorageBackend source = SampleData.mem("source");
        StorageBackend target = SampleData.mem("target");
        try (ChatStore s = SampleData.storeOver(source)) {
            SampleData.populate(s, users, sessions, messages);
        }
        Backfill.run(source, target, BackfillOptions.defaults(SampleData.config("mem:x"), "test"));
        return new StorageBackend[]{source, target};
    }

    /** Replaces one stored message of the target with the same ID and seq but other content. */
    private static void tamper(StorageBackend target, String userId, String sessionId, long seq, String content) {
        LogRef log = LogRef.session(userId, sessionId);
        Message m = target.logs().findBySeq(log, seq).orElseThrow();
        target.logs().restore(log, List.of(new Message(m.id(), m.sessionId(), m.seq(), m.role(), content,
                m.createdAt(), m.attachments(), m.metadata(), m.usage(), m.model(), m.provider())));
    }

    @Test
    void oneChangedMessageAmong100kIsExactlyTheOneFinding() throws Exception {
        StorageBackend[] pair = copiedPair(100, 10, 100);
        StorageBackend source = pair[0];
        StorageBackend target = pair[1];
        tamper(target, "user-57", "chat-0003", 42, "tampered");
        Path report = dir.resolve("report.jsonl");

        VerifyReport result = Verifier.compare(source, target, VerifyOptions.defaults().withReport(report));

        assertThat(result.messages()).isEqualTo(100_000 + 4);
        assertThat(result.sessions()).isEqualTo(1000);
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.FIELD_MISMATCH);
            assertThat(f.entity()).isEqualTo("message");
            assertThat(f.locator()).isEqualTo("user-57/chat-0003#42");
            assertThat(f.fields()).containsExactly("content");
            assertThat(f.key()).isEqualTo(SyncKey.session("user-57", "chat-0003"));
        });
        assertThat(result.exitCode()).isEqualTo(VerifyReport.EXIT_DIFFERENCES);
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"kind\":\"field_mismatch\"").contains("sha256:")
                .doesNotContain("tampered").doesNotContain("question 42");
        assertThat(VerifyReport.keysOf(report)).containsExactly(SyncKey.session("user-57", "chat-0003"));

        Repair.Result repaired = Repair.fromReport(StoreSync.between(source, target, SampleData.config("mem:x")), report);
        assertThat(repaired.keys()).hasSize(1);
        assertThat(Verifier.compare(source, target, VerifyOptions.defaults()).clean()).isTrue();
    }

    @Test
    void valuesAreWrittenOnlyWhenAskedFor() {
        StorageBackend[] pair = copiedPair(1, 1, 3);
        tamper(pair[1], "user-0", "chat-0000", 2, "tampered");
        VerifyReport hashed = Verifier.compare(pair[0], pair[1], VerifyOptions.defaults());
        VerifyReport plain = Verifier.compare(pair[0], pair[1], VerifyOptions.defaults().withValues(true));
        assertThat(hashed.findings().get(0).target()).hasValueSatisfying(v -> assertThat(v).startsWith("sha256:"));
        assertThat(plain.findings().get(0).target()).hasValueSatisfying(v -> assertThat(v).contains("tampered"));
        assertThat(plain.findings().get(0).source()).hasValueSatisfying(v -> assertThat(v).contains("answer 1"));
    }

    @Test
    void missingOnEitherSideAndCountMismatchesAreReported() {
        StorageBackend[] pair = copiedPair(3, 2, 4);
        StorageBackend source = pair[0];
        StorageBackend target = pair[1];
        target.sessions().delete("user-0", "chat-0001");
        try (ChatStore t = SampleData.storeOver(target)) {
            t.users().create("only-in-target");
            t.messages().append("user-2", "chat-0000", dev.chatstore.api.model.NewMessage.user("extra"));
        }
        VerifyReport report = Verifier.compare(source, target, VerifyOptions.defaults());
        assertThat(report.findings()).extracting(f -> f.kind() + " " + f.entity() + " " + f.locator())
                .containsExactlyInAnyOrder(
                        "MISSING_IN_TARGET session user-0/chat-0001",
                        "MISSING_IN_SOURCE user only-in-target",
                        "FIELD_MISMATCH session user-2/chat-0000",
                        "MISSING_IN_SOURCE message user-2/chat-0000#5",
                        "COUNT_MISMATCH message user-2/chat-0000");

        Repair.Result r = Repair.keys(StoreSync.between(source, target, SampleData.config("mem:x")),
                report.findings().stream().map(Finding::key).distinct().toList());
        assertThat(r.complete()).isTrue();
        assertThat(Verifier.compare(source, target, VerifyOptions.defaults()).findings()).isEmpty();
    }

    @Test
    void aDifferenceThatLandsWithinTheGraceIsNotReported() throws Exception {
        StorageBackend[] pair = copiedPair(2, 1, 2);
        StorageBackend source = pair[0];
        StorageBackend target = pair[1];
        try (ChatStore s = SampleData.storeOver(source)) {
            s.messages().append("user-1", "chat-0000", dev.chatstore.api.model.NewMessage.user("in flight"));
        }
        Thread lands = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            StoreSync.between(source, target, SampleData.config("mem:x")).syncSession("user-1", "chat-0000");
        });
        lands.start();
        VerifyReport report = Verifier.compare(source, target,
                VerifyOptions.defaults().withGrace(java.time.Duration.ofMillis(400), 2));
        lands.join();
        assertThat(report.findings()).isEmpty();
        VerifyReport noGrace = Verifier.compare(source, target, VerifyOptions.defaults());
        assertThat(noGrace.clean()).isTrue();
    }

    @Test
    void everyKindOfRecordIsComparedAndRepaired() {
        StorageBackend[] pair = copiedPair(2, 2, 3);
        StorageBackend source = pair[0];
        StorageBackend target = pair[1];
        String panel = source.panels().listById("", 10).get(0).id();
        target.documents().delete("user-0", "chat-0000", "notes.txt");
        target.contexts().setCurrent("user-1", "chat-0000", dev.chatstore.api.model.SituationalContext.of("stale",
                List.of(), java.util.Map.of(), 0.1).withCapturedAt(java.time.Instant.parse("2026-01-01T00:00:00Z")));
        target.personas().delete(dev.chatstore.api.model.PersonaScope.global(), "critic");
        target.personas().delete(dev.chatstore.api.model.PersonaScope.user("user-1"), "helper");
        target.credentials().delete("user-0", "openai");
        var insight = target.panels().insights(panel, 10).get(0);
        target.panels().restoreInsight(new dev.chatstore.api.model.Insight(insight.id(), insight.panelId(),
                insight.createdAt(), dev.chatstore.api.json.JsonObject.of("verdict", "changed")));
        Message pm = target.logs().findBySeq(LogRef.panel(panel), 2).orElseThrow();
        target.logs().restore(LogRef.panel(panel), List.of(new Message(pm.id(), pm.sessionId(), 2, pm.role(),
                "edited", pm.createdAt(), pm.attachments(), pm.metadata(), pm.usage(), pm.model(), pm.provider())));

        VerifyReport report = Verifier.compare(source, target, VerifyOptions.defaults());
        assertThat(report.findings()).extracting(f -> f.kind() + " " + f.entity() + " " + f.locator())
                .containsExactlyInAnyOrder(
                        "MISSING_IN_TARGET document user-0/chat-0000/doc:notes.txt",
                        "FIELD_MISMATCH context user-1/chat-0000/context",
                        "MISSING_IN_TARGET persona global/critic",
                        "MISSING_IN_TARGET persona user:user-1/helper",
                        "MISSING_IN_TARGET credential user-0/openai",
                        "FIELD_MISMATCH insight panel:" + panel + "/insight:" + insight.id(),
                        "FIELD_MISMATCH panel-message panel:" + panel + "#2");
        assertThat(report.findings()).filteredOn(f -> f.entity().equals("context")).singleElement()
                .satisfies(f -> assertThat(f.fields()).contains("summary", "capturedAt"));

        Repair.Result repaired = Repair.keys(StoreSync.between(source, target, SampleData.config("mem:x")),
                report.findings().stream().map(Finding::key).distinct().toList());
        assertThat(repaired.complete()).isTrue();
        assertThat(Verifier.compare(source, target, VerifyOptions.defaults()).findings()).isEmpty();
        assertThat(target.documents().open("user-0", "chat-0000", "notes.txt")).isPresent();
    }
}
