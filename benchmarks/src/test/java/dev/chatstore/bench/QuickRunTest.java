package dev.chatstore.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness runs end to end on tiny sizes. Timings are printed, never asserted. */
class QuickRunTest {

    @TempDir
    Path dir;

    @Test
    void flatfileSuiteRunsAndReportsEveryScenario() throws Exception {
        StringWriter out = new StringWriter();
        BenchSettings tiny = new BenchSettings(2000, 500, 20, 0.2);
        BenchRunner.run("flatfile", List.of(), tiny, dir, new PrintWriter(out, true));
        assertThat(out.toString()).contains("append-sync-vs-raw-fsync", "append-at-500-vs-10", "last-50-of-2000-vs-100",
                "16-writers-vs-1", "search-2000", "baseline");
    }

    @Test
    void migrationSuiteRunsAndReportsEveryScenario() throws Exception {
        StringWriter out = new StringWriter();
        BenchSettings tiny = new BenchSettings(3000, 500, 20, 0.2);
        BenchRunner.run("migration", List.of(), tiny, dir, new PrintWriter(out, true));
        assertThat(out.toString()).contains("backfill-verify-file-3000", "backfill-verify-mem-3000",
                "dual-write-append-file", "dual-write-append-mem", "baseline");
    }
}
