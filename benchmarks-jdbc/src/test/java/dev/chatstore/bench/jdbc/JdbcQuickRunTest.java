package dev.chatstore.bench.jdbc;

import dev.chatstore.bench.BenchRunner;
import dev.chatstore.bench.BenchSettings;
import dev.chatstore.bench.BenchmarkSuite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jdbc suite runs end to end through the shared harness on tiny sizes, on a real SQLite file and a real
 * PostgreSQL (with the Spring AI baseline). Timings are printed, never asserted.
 *
 * <p>PostgreSQL is {@code CHATSTORE_TEST_POSTGRES_URL} if set (as for storage-jdbc's tests), else the one
 * {@link JdbcSuite#postgresUrl()} names (by default 127.0.0.1:5432, database {@code test}); without it the
 * PostgreSQL part is skipped, except under {@code CI=true}, where that fails.
 */
class JdbcQuickRunTest {

    private static final BenchSettings TINY = new BenchSettings(2000, 500, 20, 0.2);

    @TempDir
    Path dir;

    @BeforeAll
    static void useTheTestDatabase() {
        String url = System.getenv("CHATSTORE_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            System.setProperty(JdbcSuite.POSTGRES_URL_PROPERTY, url);
        }
    }

    @Test
    void theHarnessFindsTheJdbcSuiteBesideTheFlatfileOne() {
        assertThat(BenchRunner.suites()).extracting(BenchmarkSuite::name).contains("jdbc", "flatfile");
    }

    @Test
    void sqliteScenariosRunAndReportTheirBaselines() throws Exception {
        String report = run(List.of("sqlite-append-at-500-vs-10", "sqlite-append-vs-raw-insert"));

        assertThat(report).contains("#### sqlite-append-at-500-vs-10", "late / early (median)",
                "#### sqlite-append-vs-raw-insert", "baseline: raw INSERT", "append / raw INSERT (median)");
    }

    @Test
    void postgresqlScenariosRunAndReportTheirBaselines() throws Exception {
        requirePostgres();

        String report = run(List.of("postgresql-append-at-500-vs-10", "postgresql-append-vs-raw-insert",
                "postgresql-append-vs-spring-ai-at-500"));

        assertThat(report).contains("#### postgresql-append-at-500-vs-10", "#### postgresql-append-vs-raw-insert",
                "#### postgresql-append-vs-spring-ai-at-500", "Spring AI MessageWindowChatMemory.add",
                "Spring AI / Chatstore (median)");
    }

    @Test
    void issue14ScenariosRunAndReportTheirBaselines() throws Exception {
        requirePostgres();

        String report = run(List.of("postgresql-search-after-bulk-import-of-500", "postgresql-last-20-vs-spring-ai-get",
                "postgresql-16-writers-vs-1", "postgresql-16-threads-one-session-vs-1"));

        assertThat(report).contains("#### postgresql-search-after-bulk-import-of-500", "after an explicit ANALYZE",
                "#### postgresql-last-20-vs-spring-ai-get", "MessageWindowChatMemory.get",
                "#### postgresql-16-writers-vs-1", "context: raw INSERTs",
                "#### postgresql-16-threads-one-session-vs-1", "16 threads / 1 thread (appends/s)");
    }

    private String run(List<String> scenarios) throws Exception {
        StringWriter out = new StringWriter();
        BenchRunner.run("jdbc", scenarios, TINY, dir, new PrintWriter(out, true));
        return out.toString();
    }

    private static void requirePostgres() {
        String url = JdbcSuite.postgresUrl();
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + url + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + "; under CI=true that is a failure", e);
            }
            Assumptions.abort(message + "; skipping the PostgreSQL scenarios");
        }
    }
}
