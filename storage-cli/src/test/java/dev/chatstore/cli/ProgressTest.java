package dev.chatstore.cli;

import dev.chatstore.cli.ChatStoreCommandTest.Cli;
import dev.chatstore.cli.ChatStoreCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress on stderr: a bar on a terminal, plain lines in a log, nothing on stdout. */
class ProgressTest {

    @TempDir
    Path dir;

    @Test
    void plainLinesComeEveryIntervalWithCountRateAndEta() {
        StringWriter text = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        Progress.Lines progress = new Progress.Lines(new PrintWriter(text, true), "import", Progress.Unit.RECORDS,
                OptionalLong.of(1000), Duration.ofSeconds(5), nanos::get);

        nanos.set(Duration.ofSeconds(1).toNanos());
        progress.advanceTo(100);
        assertThat(text.toString()).as("before the interval").isEmpty();

        nanos.set(Duration.ofSeconds(5).toNanos());
        progress.detail("users");
        progress.advanceTo(250);
        assertThat(text.toString().strip()).isEqualTo("import: 25%, 250 of 1,000 records, 50 records/s,"
                + " about 15.0 s left (users)");

        nanos.set(Duration.ofSeconds(20).toNanos());
        progress.advanceTo(1000);
        progress.close();
        progress.close();
        assertThat(text.toString().lines()).hasSize(3).last().asString()
                .isEqualTo("import: 1,000 records, 50 records/s, 20.0 s in all (users)");
    }

    @Test
    void aShortTaskAddsNothingToALog() {
        StringWriter text = new StringWriter();
        Progress progress = Progress.start(false, Duration.ofSeconds(5), new PrintWriter(text, true), "export",
                Progress.Unit.RECORDS, OptionalLong.empty());
        progress.advanceTo(10);
        progress.close();

        assertThat(text.toString()).isEmpty();
    }

    @Test
    void importAndExportPrintPlainProgressLinesOnStderrWhenNotOnATerminal() {
        Cli from = new Cli().sharing(ChatStoreCommandTest.newStore());
        from.run("demo");
        from.progressEvery = Duration.ZERO;
        Path file = dir.resolve("backup.ndjson");

        Run export = from.run("export", "-o", file.toString());

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.err()).containsPattern("(?m)^export: \\d+ records, [\\d,]+ records/s")
                .contains("exported ");
        assertThat(export.out()).isEmpty();

        Cli into = new Cli().sharing(ChatStoreCommandTest.newStore());
        into.progressEvery = Duration.ZERO;
        Run imported = into.run("import", "-i", file.toString());

        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.err()).containsPattern("(?m)^import: .*MiB.*lines read\\)$").contains("imported ");
        assertThat(imported.out()).isEmpty();
    }

    @Test
    void onATerminalImportExportAndCheckDrawABarOnStderr() {
        Cli cli = new Cli().sharing(ChatStoreCommandTest.newStore());
        cli.run("demo");
        cli.terminal = true;
        Path file = dir.resolve("backup.ndjson");

        Run export = cli.run("export", "-o", file.toString());
        Run imported = cli.run("import", "-i", file.toString());

        assertThat(export.err()).contains("\rexport", "records").contains("exported ");
        assertThat(imported.err()).contains("\rimport", "MiB").contains("imported ");

        Cli files = new Cli();
        files.terminal = true;
        String url = "file:" + dir.resolve("data");
        try (var store = dev.chatstore.api.ChatStore.open(url)) {
            store.users().create("alice");
        }
        Run check = files.run("--url", url, "check");
        assertThat(check.err()).contains("\rcheck");
        assertThat(check.out()).doesNotContain("\r");
    }
}
