package dev.chatstore.flatfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.StoreMaintenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8, "nothing destroyed, nothing invented": what {@code check} says beyond a log's bytes. Counters that
 * claim more than the log holds, logs without their session or panel, seq gaps salvage leaves, and the count a
 * salvage reports.
 */
class CheckAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static ChatStore open(Path dir, String... options) {
        ChatStoreConfig.Builder b = ChatStoreConfig.isolated().url("file:" + dir);
        for (int i = 0; i < options.length; i += 2) {
            b.backendOption(options[i], options[i + 1]);
        }
        return ChatStore.builder().config(b.build()).provider(new FlatfileBackendProvider()).open();
    }

    private Path storeWithMessages(int n) {
        Path dir = tmp.resolve("data");
        try (ChatStore store = open(dir)) {
            store.users().create("alice");
            store.sessions().create("alice", NewSession.titled("t").withId("s1"));
            for (int i = 1; i <= n; i++) {
                store.messages().append("alice", "s1", NewMessage.user("message number " + i));
            }
        }
        return dir;
    }

    private static void edit(Path json, Consumer<ObjectNode> change) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(json.toFile());
        change.accept(n);
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    }

    private static void damage(Path log, int lineIndex) throws IOException {
        byte[] b = Files.readAllBytes(log);
        int at = (int) CorruptionTest.offsetOfLine(log, lineIndex) + 40;
        b[at] ^= 0x20;
        Files.write(log, b);
    }

    /**
     * Item 1 and issue item 3: session.json claims 200,000 messages (countersAtSeq too) while its log holds 30.
     * Before the fix check said nothing and the store reported 200,000.
     */
    @Test
    void countersBeyondTheLogAreReportedNeverShownAndRepaired() throws IOException {
        Path dir = storeWithMessages(30);
        Path sessionJson = dir.resolve("users/alice/sessions/s1/session.json");
        edit(sessionJson, n -> {
            n.put("messageCount", 200_000);
            n.put("countersAtSeq", 200_000);
        });

        StoreCheck.Report report = StoreCheck.run(dir, false);
        assertThat(report.ok()).isFalse();
        assertThat(report.findings()).anyMatch(f -> f.startsWith("ERROR " + sessionJson + ": ")
                && f.contains("messageCount 200000") && f.contains("countersAtSeq 200000")
                && f.contains("holds 30 record(s), last seq 30"));

        try (ChatStore store = open(dir)) {
            assertThat(store.messages().count("alice", "s1")).isEqualTo(30);
            assertThat(store.sessions().get("alice", "s1").orElseThrow().messageCount()).isEqualTo(30);
            assertThat(store.sessions().list("alice", 0, 10)).extracting(Session::messageCount).containsExactly(30L);
            assertThat(store.messages().append("alice", "s1", NewMessage.user("next")).seq()).isEqualTo(31);
            assertThat(store.messages().count("alice", "s1")).isEqualTo(31);
        }

        StoreCheck.Report repaired = StoreCheck.run(dir, true);
        assertThat(repaired.repaired()).anyMatch(f -> f.contains(sessionJson.toString()));
        assertThat(repaired.ok()).as(repaired.findings().toString()).isTrue();
        ObjectNode fixed = (ObjectNode) JSON.readTree(sessionJson.toFile());
        assertThat(fixed.path("messageCount").asLong()).isEqualTo(31);
        assertThat(fixed.path("countersAtSeq").asLong()).isEqualTo(31);
        assertThat(fixed.path("title").asText()).isEqualTo("t");
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }

    /** A messageCount or lastMessageAt that disagrees with the log at countersAtSeq is reported and not shown. */
    @Test
    void aMessageCountOrLastMessageAtTheLogDoesNotHoldIsReported() throws IOException {
        Path dir = storeWithMessages(5);
        Path sessionJson = dir.resolve("users/alice/sessions/s1/session.json");
        try (ChatStore store = open(dir)) {
            store.sessions().update("alice", "s1", s -> s.withTitle("renamed")); // writes the counters: countersAtSeq 5
        }
        edit(sessionJson, n -> n.put("messageCount", 99));
        assertThat(StoreCheck.run(dir, false).findings()).anyMatch(f -> f.startsWith("ERROR " + sessionJson)
                && f.contains("messageCount 99") && f.contains("countersAtSeq 5"));
        try (ChatStore store = open(dir)) {
            assertThat(store.messages().count("alice", "s1")).isEqualTo(5);
        }
        edit(sessionJson, n -> {
            n.put("messageCount", 5);
            n.put("lastMessageAt", "2001-01-01T00:00:00Z");
        });
        assertThat(StoreCheck.run(dir, false).findings()).anyMatch(f -> f.startsWith("ERROR " + sessionJson)
                && f.contains("lastMessageAt 2001-01-01T00:00:00Z"));
        try (ChatStore store = open(dir)) {
            Message last = store.messages().last("alice", "s1", 1).get(0);
            assertThat(store.sessions().get("alice", "s1").orElseThrow().lastMessageAt()).contains(last.createdAt());
        }
        assertThat(StoreCheck.run(dir, true).ok()).isTrue();
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }

    @Test
    void aPanelWhoseCountersAtSeqIsBeyondItsLogIsReportedAndRepaired() throws IOException {
        Path dir = tmp.resolve("data");
        String panelId;
        try (ChatStore store = open(dir)) {
            Panel panel = store.panels().create("debate", List.of());
            panelId = panel.id();
            for (int i = 0; i < 3; i++) {
                store.panels().append(panelId, NewMessage.user("turn " + i));
            }
        }
        Path panelJson;
        try (var dirs = Files.list(dir.resolve("panel_sessions"))) {
            panelJson = dirs.findFirst().orElseThrow().resolve("panel.json");
        }
        edit(panelJson, n -> n.put("countersAtSeq", 50));
        assertThat(StoreCheck.run(dir, false).findings()).anyMatch(f -> f.startsWith("ERROR " + panelJson)
                && f.contains("countersAtSeq 50") && f.contains("last seq is 3"));
        assertThat(StoreCheck.run(dir, true).ok()).isTrue();
        assertThat(JSON.readTree(panelJson.toFile()).path("countersAtSeq").asLong()).isEqualTo(3);
        try (ChatStore store = open(dir)) {
            assertThat(store.panels().messages(panelId)).hasSize(3);
        }
    }

    /**
     * Item 2: salvage moved a damaged session.json aside; the log was left without a session, its messages
     * invisible, and check said nothing about it. check reports it; check --salvage recreates session.json.
     */
    @Test
    void aLogWithoutItsSessionIsReportedAndSalvageRecreatesTheSession() throws IOException {
        Path dir = storeWithMessages(4);
        Path sessionJson = dir.resolve("users/alice/sessions/s1/session.json");
        Path log = sessionJson.resolveSibling("messages.jsonl");
        Files.writeString(sessionJson, Files.readString(sessionJson).replaceFirst(":", "#"));
        try (ChatStore store = open(dir, "salvage", "true")) {
            assertThat(store.sessions().get("alice", "s1")).isEmpty();
        }
        try (var files = Files.list(sessionJson.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("session.json~damaged-"));
        }

        StoreCheck.Report report = StoreCheck.run(dir, false);
        assertThat(report.ok()).isFalse();
        assertThat(report.findings()).anyMatch(f -> f.startsWith("ERROR " + log + ": ")
                && f.contains("4 record(s)") && f.contains("without session.json")
                && f.contains("session.json~damaged-") && f.contains("chatstore check --salvage"));
        assertThat(StoreCheck.run(dir, true).ok()).as("repair cannot invent a session").isFalse();

        StoreCheck.Report salvaged = StoreCheck.run(dir, StoreMaintenance.Mode.SALVAGE);
        assertThat(salvaged.repaired()).anyMatch(f -> f.contains("recreated session.json"));
        assertThat(salvaged.ok()).as(salvaged.findings().toString()).isTrue();
        try (ChatStore store = open(dir)) {
            Session s = store.sessions().get("alice", "s1").orElseThrow();
            List<Message> messages = store.messages().page("alice", "s1", 0, 10);
            assertThat(messages).extracting(Message::content).containsExactly("message number 1",
                    "message number 2", "message number 3", "message number 4");
            assertThat(s.title()).isEqualTo("recovered");
            assertThat(s.messageCount()).isEqualTo(4);
            assertThat(s.createdAt()).isEqualTo(messages.get(0).createdAt());
            assertThat(s.lastMessageAt()).contains(messages.get(3).createdAt());
            assertThat(store.sessions().list("alice", 0, 10)).extracting(Session::id).containsExactly("s1");
            assertThat(store.messages().append("alice", "s1", NewMessage.user("five")).seq()).isEqualTo(5);
        }
        assertThat(StoreCheck.run(dir, false).findings()).allMatch(f -> f.startsWith("INFO") && f.contains("~damaged-"));
    }

    /** One salvage check both moves a damaged session.json aside and recreates a minimal one, naming the copy. */
    @Test
    void oneSalvageCheckMovesADamagedSessionFileAsideAndRecreatesIt() throws IOException {
        Path dir = storeWithMessages(2);
        Path sessionJson = dir.resolve("users/alice/sessions/s1/session.json");
        Files.writeString(sessionJson, Files.readString(sessionJson).replaceFirst(":", "#"));

        StoreCheck.Report salvaged = StoreCheck.run(dir, StoreMaintenance.Mode.SALVAGE);
        assertThat(salvaged.ok()).as(salvaged.toString()).isTrue();
        assertThat(salvaged.repaired()).anyMatch(f -> f.contains("recreated session.json")
                && f.contains("session.json~damaged-") && f.contains("rename it over session.json"));
        try (ChatStore store = open(dir)) {
            assertThat(store.sessions().get("alice", "s1").orElseThrow().title()).isEqualTo("recovered");
            assertThat(store.messages().count("alice", "s1")).isEqualTo(2);
        }
    }

    @Test
    void aPanelLogWithoutItsPanelIsReportedAndRecovered() throws IOException {
        Path dir = tmp.resolve("data");
        String panelId;
        try (ChatStore store = open(dir)) {
            panelId = store.panels().create("debate", List.of()).id();
            store.panels().append(panelId, NewMessage.user("first"));
            store.panels().append(panelId, NewMessage.user("second"));
        }
        Path panelJson;
        try (var dirs = Files.list(dir.resolve("panel_sessions"))) {
            panelJson = dirs.findFirst().orElseThrow().resolve("panel.json");
        }
        Files.delete(panelJson);
        assertThat(StoreCheck.run(dir, false).findings()).anyMatch(f -> f.startsWith("ERROR")
                && f.contains("without panel.json"));
        assertThat(StoreCheck.run(dir, StoreMaintenance.Mode.SALVAGE).ok()).isTrue();
        try (ChatStore store = open(dir)) {
            assertThat(store.panels().get(panelId)).isPresent();
            assertThat(store.panels().messages(panelId)).extracting(Message::content).containsExactly("first", "second");
        }
        assertThat(StoreCheck.run(dir, false).findings()).isEmpty();
    }

    /** An interrupted create leaves an empty log and no session.json: a note, nothing to recover. */
    @Test
    void anEmptyLogWithoutItsSessionIsOnlyANote() throws IOException {
        Path dir = storeWithMessages(1);
        Path half = dir.resolve("users/alice/sessions/half");
        Files.createDirectories(half);
        Files.createFile(half.resolve("messages.jsonl"));
        StoreCheck.Report report = StoreCheck.run(dir, false);
        assertThat(report.ok()).isTrue();
        assertThat(report.findings()).singleElement().satisfies(f -> assertThat(f).startsWith("INFO " + half)
                .contains("interrupted"));
    }

    /**
     * Items 3 and 4: salvage of a log with one damaged record in the middle reports exactly the records it kept,
     * and check then shows the gap, naming the seq and the file salvage moved it to (a note: the store is usable).
     */
    @Test
    void salvageReportsTheRecordsItKeptAndCheckShowsTheGap() throws IOException {
        Path dir = storeWithMessages(5);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        long damagedAt = CorruptionTest.offsetOfLine(log, 2);
        damage(log, 2);

        StoreCheck.Report salvaged = StoreCheck.run(dir, StoreMaintenance.Mode.SALVAGE);
        long left = Files.readAllLines(log, StandardCharsets.UTF_8).size();
        assertThat(left).isEqualTo(4);
        String report = salvaged.repaired().stream().filter(f -> f.contains("intact record(s) kept")).findFirst()
                .orElseThrow(() -> new AssertionError(salvaged.toString()));
        Matcher kept = Pattern.compile("(\\d+) intact record\\(s\\) kept").matcher(report);
        assertThat(kept.find()).isTrue();
        assertThat(Long.parseLong(kept.group(1))).as(report).isEqualTo(left);
        assertThat(report).contains("seq 3 missing");

        StoreCheck.Report check = StoreCheck.run(dir, false);
        assertThat(check.ok()).isTrue();
        assertThat(check.findings()).anyMatch(f -> f.startsWith("INFO " + log + ": ") && f.contains("seq 3 is missing")
                && f.contains("messages.jsonl~damaged-" + damagedAt));
        try (ChatStore store = open(dir)) {
            assertThat(store.messages().count("alice", "s1")).isEqualTo(5); // the highest seq
            assertThat(store.messages().append("alice", "s1", NewMessage.user("six")).seq()).isEqualTo(6);
        }
    }

    /** A gap nothing explains (lines removed by hand) is a warning: check exits non-zero. */
    @Test
    void aGapNoSalvageExplainsIsAWarning() throws IOException {
        Path dir = storeWithMessages(5);
        Path log = dir.resolve("users/alice/sessions/s1/messages.jsonl");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        Files.write(log, List.of(lines.get(0), lines.get(3), lines.get(4)), StandardCharsets.UTF_8);
        Files.deleteIfExists(log.resolveSibling("messages.idx"));
        StoreCheck.Report check = StoreCheck.run(dir, true);
        assertThat(check.ok()).isFalse();
        assertThat(check.findings()).anyMatch(f -> f.startsWith("WARNING " + log) && f.contains("seqs 2 to 3")
                && f.contains("by hand"));
    }
}
