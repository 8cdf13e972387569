package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chatstore check} and {@code check --repair} on a real file: store. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private String storeWithMessages() {
        String url = "file:" + dir.resolve("data");
        try (ChatStore store = ChatStore.open(url)) {
            store.users().create("alice");
            store.sessions().create("alice", NewSession.titled("t").withId("s1"));
            for (int i = 0; i < 10; i++) {
                store.messages().append("alice", "s1", NewMessage.user("hello " + i));
            }
        }
        return url;
    }

    /** The report as lines for a person (on a terminal); in a pipe it is one JSON object, see reportForScripts. */
    private static ChatStoreCommandTest.Cli cli() {
        ChatStoreCommandTest.Cli cli = new ChatStoreCommandTest.Cli();
        cli.terminal = true;
        return cli;
    }

    @Test
    void aSoundStoreChecksOk() {
        String url = storeWithMessages();
        ChatStoreCommandTest.Run run = cli().run("--url", url, "check");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("item(s)").endsWith("ok" + System.lineSeparator());
    }

    /** Appends an incomplete record, as a crash in the middle of an append leaves it; returns the intact size. */
    private static long tearTail(Path log) throws IOException {
        long size = Files.size(log);
        Files.write(log, "{\"seq\":11,\"id\":\"torn".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        return size;
    }

    @Test
    void aTornTailIsReportedWithItsOffsetAndRepaired() throws IOException {
        String url = storeWithMessages();
        Path log = dir.resolve("data/users/alice/sessions/s1/messages.jsonl");
        long size = tearTail(log);

        ChatStoreCommandTest.Run check = cli().run("--url", url, "check");
        assertThat(check.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(check.out()).contains(log + " @" + size, "torn tail", "1 problem(s) found");

        ChatStoreCommandTest.Run repair = cli().run("--url", url, "check", "--repair");
        assertThat(repair.exitCode()).as(repair.out() + repair.err()).isZero();
        assertThat(repair.out()).contains("fixed:");
        assertThat(Files.size(log)).isEqualTo(size);
    }

    @Test
    void reportForScripts() throws IOException {
        String url = storeWithMessages();
        Path log = dir.resolve("data/users/alice/sessions/s1/messages.jsonl");
        long size = tearTail(log);

        ChatStoreCommandTest.Run check = new ChatStoreCommandTest.Cli().run("--url", url, "check");
        assertThat(check.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        JsonObject report = JsonObject.parse(check.out().strip());
        assertThat(report.getString("mode")).contains("check");
        assertThat(report.get("clean")).contains(false);
        assertThat(report.toJson()).contains("\"severity\":\"error\"", "torn tail", "\"fixed\":false",
                (log + " @" + size).replace("\\", "\\\\"));

        ChatStoreCommandTest.Run json = new ChatStoreCommandTest.Cli().run("--url", url, "check", "--repair",
                "--format", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(JsonObject.parse(json.out().strip()).get("clean")).contains(true);
        assertThat(json.out()).contains("\"fixed\":true");
    }

    @Test
    void damageInTheMiddleStaysAnError() throws IOException {
        String url = storeWithMessages();
        Path log = dir.resolve("data/users/alice/sessions/s1/messages.jsonl");
        byte[] b = Files.readAllBytes(log);
        b[b.length / 2] ^= 0x01;
        Files.write(log, b);
        ChatStoreCommandTest.Run repair = cli().run("--url", url, "check", "--repair");
        assertThat(repair.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(repair.out()).contains(log.toString(), "damaged record(s)", "salvage");
    }

    @Test
    void checkRefusesStoresThatAreNotFiles() {
        ChatStoreCommandTest.Run run = cli().run("--url", "mem:", "check");
        assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
        assertThat(run.err()).contains("offers no check");
    }

    /** Damages the record on line {@code lineIndex} (from 0) of alice's log; returns the line's byte offset. */
    private long damageLine(Path log, int lineIndex) throws IOException {
        byte[] b = Files.readAllBytes(log);
        int line = 0;
        int at = 0;
        while (line < lineIndex) {
            if (b[at++] == '\n') {
                line++;
            }
        }
        b[at + 40] ^= 0x20;
        Files.write(log, b);
        return at;
    }

    /** Issue 8: the gap salvage leaves is shown (with where the record went) and is a note: exit code 0. */
    @Test
    void aSeqGapSalvageLeftIsShownAsANote() throws IOException {
        String url = storeWithMessages();
        Path log = dir.resolve("data/users/alice/sessions/s1/messages.jsonl");
        long damaged = damageLine(log, 4);

        ChatStoreCommandTest.Run salvage = cli().run("--url", url, "check", "--salvage");
        assertThat(salvage.exitCode()).as(salvage.out() + salvage.err()).isZero();
        assertThat(salvage.out()).contains("9 intact record(s) kept, last seq 10, seq 5 missing");

        ChatStoreCommandTest.Run check = cli().run("--url", url, "check");
        assertThat(check.exitCode()).as(check.out()).isZero();
        assertThat(check.out()).contains("info: " + log + ": seq 5 is missing: salvage moved the damaged record(s)"
                + " to messages.jsonl~damaged-" + damaged).endsWith("ok" + System.lineSeparator());
    }

    /** Issue 8: a log without its session.json is an error; --salvage recreates the session from the log. */
    @Test
    void aLogWithoutItsSessionIsAnErrorAndSalvageRecoversIt() throws IOException {
        String url = storeWithMessages();
        Path sessionJson = dir.resolve("data/users/alice/sessions/s1/session.json");
        Files.delete(sessionJson);

        ChatStoreCommandTest.Run check = cli().run("--url", url, "check");
        assertThat(check.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(check.out()).contains("error: ", "10 record(s)", "without session.json",
                "'chatstore check --salvage' recreates session.json");
        ChatStoreCommandTest.Run salvage = cli().run("--url", url, "check", "--salvage");
        assertThat(salvage.exitCode()).as(salvage.out() + salvage.err()).isZero();
        assertThat(salvage.out()).contains("fixed: ", "recreated session.json from the log");
        assertThat(sessionJson).exists();
        ChatStoreCommandTest.Run messages = cli().run("--url", url, "messages", "alice", "s1");
        assertThat(messages.exitCode()).as(messages.err()).isZero();
        assertThat(messages.out()).contains("hello 0", "hello 9");
    }

    /** Issue 8: session.json claiming more messages than its log holds is an error; --repair rewrites it. */
    @Test
    void countersBeyondTheLogAreAnErrorAndRepairRewritesThem() throws IOException {
        String url = storeWithMessages();
        Path sessionJson = dir.resolve("data/users/alice/sessions/s1/session.json");
        Files.writeString(sessionJson, Files.readString(sessionJson)
                .replaceFirst("\"messageCount\" ?: ?\\d+", "\"messageCount\":200000")
                .replaceFirst("\"countersAtSeq\" ?: ?\\d+", "\"countersAtSeq\":200000"));

        ChatStoreCommandTest.Run check = cli().run("--url", url, "check");
        assertThat(check.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(check.out()).contains("error: " + sessionJson, "messageCount 200000",
                "holds 10 record(s), last seq 10");
        ChatStoreCommandTest.Run repair = cli().run("--url", url, "check", "--repair");
        assertThat(repair.exitCode()).as(repair.out()).isZero();
        assertThat(Files.readString(sessionJson)).containsPattern("\"messageCount\" ?: ?10\\b")
                .containsPattern("\"countersAtSeq\" ?: ?10\\b");
    }

    /** Issue 8: an error about damage tells the user the exact command that gets past it. */
    @Test
    void damageErrorsNameTheSalvageCommand() throws IOException {
        String url = storeWithMessages();
        damageLine(dir.resolve("data/users/alice/sessions/s1/messages.jsonl"), 4);
        ChatStoreCommandTest.Run messages = cli().run("--url", url, "messages", "alice", "s1");
        assertThat(messages.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(messages.err()).contains("chatstore check --salvage");

        Path sessionJson = dir.resolve("data/users/alice/sessions/s1/session.json");
        Files.writeString(sessionJson, Files.readString(sessionJson).replaceFirst(":", "#"));
        ChatStoreCommandTest.Run sessions = cli().run("--url", url, "sessions", "alice");
        assertThat(sessions.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(sessions.err()).contains(sessionJson.toString(), "'chatstore check --salvage' moves damaged");
    }
}
