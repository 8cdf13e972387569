package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
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

    @Test
    void aSoundStoreChecksOk() {
        String url = storeWithMessages();
        ChatStoreCommandTest.Run run = new ChatStoreCommandTest.Cli().run("--url", url, "check");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("item(s)").endsWith("ok" + System.lineSeparator());
    }

    @Test
    void aTornTailIsReportedWithItsOffsetAndRepaired() throws IOException {
        String url = storeWithMessages();
        Path log = dir.resolve("data/users/alice/sessions/s1/messages.jsonl");
        long size = Files.size(log);
        Files.write(log, "{\"seq\":11,\"id\":\"torn".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        ChatStoreCommandTest.Run check = new ChatStoreCommandTest.Cli().run("--url", url, "check");
        assertThat(check.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(check.out()).contains(log + " @" + size, "torn tail", "1 problem(s) found");

        ChatStoreCommandTest.Run repair = new ChatStoreCommandTest.Cli().run("--url", url, "check", "--repair");
        assertThat(repair.exitCode()).as(repair.out() + repair.err()).isZero();
        assertThat(repair.out()).contains("fixed:");
        assertThat(Files.size(log)).isEqualTo(size);
    }

    @Test
    void damageInTheMiddleStaysAnError() throws IOException {
        String url = storeWithMessages();
        Path log = dir.resolve("data/users/alice/sessions/s1/messages.jsonl");
        byte[] b = Files.readAllBytes(log);
        b[b.length / 2] ^= 0x01;
        Files.write(log, b);
        ChatStoreCommandTest.Run repair = new ChatStoreCommandTest.Cli().run("--url", url, "check", "--repair");
        assertThat(repair.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(repair.out()).contains(log.toString(), "damaged record(s)", "salvage");
    }

    @Test
    void checkRefusesStoresThatAreNotFiles() {
        ChatStoreCommandTest.Run run = new ChatStoreCommandTest.Cli().run("--url", "mem:", "check");
        assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
        assertThat(run.err()).contains("offers no check");
    }
}
