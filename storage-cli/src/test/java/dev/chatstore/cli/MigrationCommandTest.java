package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chatstore migration ...} between two file: stores, step by step, as an operator would run it. */
class MigrationCommandTest {

    @TempDir
    Path dir;

    /** One command run. */
    record Run(int exitCode, String out, String err) {
    }

    /** Runs the command line with an empty environment (no CHATSTORE_* variable leaks in). */
    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(new HashMap<>(), new Properties(),
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), ChatStore::open, false,
                CliEnvironment.PROGRESS_EVERY);
        CommandLine cli = new CommandLine(new ChatStoreCommand(environment));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run step(String... args) {
        String[] all = new String[args.length + 7];
        all[0] = "--url";
        all[1] = "file:" + dir.resolve("src");
        all[2] = "migration";
        System.arraycopy(args, 0, all, 3, args.length);
        all[args.length + 3] = "--to";
        all[args.length + 4] = "file:" + dir.resolve("dst");
        all[args.length + 5] = "--work";
        all[args.length + 6] = dir.resolve("work").toString();
        return cli(all);
    }

    @Test
    void everyStepFromStatusToFinish() throws Exception {
        try (ChatStore store = ChatStore.open("file:" + dir.resolve("src"))) {
            store.users().create("alice");
            store.sessions().create("alice", NewSession.titled("t").withId("s1"));
            store.messages().append("alice", "s1", NewMessage.user("hello"));
        }
        assertThat(step("status").out()).contains("phase: SOURCE_ONLY", "next: start");
        Run early = step("cutover");
        assertThat(early.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(early.err()).contains("cutover needs phase VERIFIED");
        assertThat(step("start").out()).contains("DUAL_WRITE_SOURCE_PRIMARY");
        Run dry = step("backfill", "--dry-run", "--settle-ms", "0");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run: would copy messages written 1");
        Run backfill = step("backfill", "--throttle", "1000", "--settle-ms", "0");
        assertThat(backfill.out()).contains("copied messages written 1", "phase BACKFILLED");
        assertThat(backfill.err()).contains("done: users 1, sessions 1, messages 1/1 (100.0%)");
        assertThat(step("verify").out()).contains("verify: no differences");
        try (ChatStore target = ChatStore.open("file:" + dir.resolve("dst"))) {
            target.messages().append("alice", "s1", NewMessage.user("only in the target"));
        }
        Run dirty = step("verify", "--grace-ms", "0");
        assertThat(dirty.exitCode()).isEqualTo(MigrationCommand.EXIT_DIFFERENCES);
        assertThat(dirty.out()).contains("missing_in_source: 1", "count_mismatch: 1");
        assertThat(step("repair", "--report").out()).contains("repaired 1 key(s)");
        assertThat(step("verify").exitCode()).isZero();
        assertThat(step("cutover").out()).contains("DUAL_WRITE_TARGET_PRIMARY");
        assertThat(step("verify").exitCode()).isZero();
        assertThat(step("finish").out()).contains("TARGET_ONLY");
        assertThat(step("rollback").err()).contains("cannot be rolled back");
        try (var reports = Files.list(dir.resolve("work"))) {
            assertThat(reports.filter(p -> p.getFileName().toString().startsWith("verify-"))).hasSize(4);
        }
    }
}
