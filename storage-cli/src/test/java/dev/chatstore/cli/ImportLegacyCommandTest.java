package dev.chatstore.cli;

import dev.chatstore.cli.ChatStoreCommandTest.Cli;
import dev.chatstore.cli.ChatStoreCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chatstore import-legacy} on a small chat-sync store with one bad record, into a real file: store. */
class ImportLegacyCommandTest {

    @TempDir
    Path dir;

    private Path chatSyncStore() throws IOException {
        Path file = dir.resolve("chatStore.json");
        Files.writeString(file, """
                [
                  {"id": "chat-1", "title": "CSV help", "createdAt": "2024-01-15T10:30:00.000Z",
                   "updatedAt": "2024-01-15T10:31:00.000Z", "model": "gpt-4o", "provider": "openai",
                   "messages": [
                     {"id": "m1", "role": "user", "content": "how do I read a csv", "timestamp": "2024-01-15T10:30:00.000Z"},
                     {"id": "m2", "role": "assistant", "content": "stream it", "timestamp": "2024-01-15T10:30:05.000Z"},
                     {"id": "m3", "content": "a message without a role", "timestamp": "2024-01-15T10:30:09.000Z"}
                   ]}
                ]
                """, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void importsReportsTheBadRecordAndIsSafeToRunAgain() throws IOException {
        Path source = chatSyncStore();
        Path report = dir.resolve("report.jsonl");
        String url = "file:" + dir.resolve("data");

        Run first = new Cli().run("--url", url, "import-legacy", "--format", "chat-sync", "--report", report.toString(),
                "--default-user", "alice", source.toString());
        assertThat(first.exitCode()).as(first.out() + first.err()).isIn(1, 2);
        assertThat(Files.readAllLines(report)).hasSize(1).first().asString().contains("m3").contains("role");

        Run messages = new Cli().run("--url", url, "messages", "alice", "chat-1", "--format", "jsonl");
        assertThat(messages.exitCode()).as(messages.err()).isZero();
        assertThat(messages.out().lines()).hasSize(2);

        Run again = new Cli().run("--url", url, "import-legacy", "--format", "chat-sync", "--default-user", "alice",
                source.toString());
        assertThat(again.exitCode()).isEqualTo(first.exitCode());
        assertThat(new Cli().run("--url", url, "messages", "alice", "chat-1", "--format", "jsonl").out())
                .as("a re-run changes nothing").isEqualTo(messages.out());
    }

    @Test
    void anUnknownFormatIsAClearError() throws IOException {
        Run run = new Cli().run("--url", "file:" + dir.resolve("data"), "import-legacy", "--format", "chatsync",
                chatSyncStore().toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("'chatsync' is not a legacy format", "chat-sync");
    }
}
