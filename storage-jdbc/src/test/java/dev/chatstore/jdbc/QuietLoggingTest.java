package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application on a JDBC store sees Chatstore's, Hibernate's and Flyway's log lines through SLF4J only (the
 * binding it chose), and opening a store logs no warning: nothing reaches {@code java.util.logging}, and Hibernate
 * is not told the PostgreSQL dialect it detects by itself (which logs HHH90000025 on every open).
 */
class QuietLoggingTest {

    private final List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
    private final Handler julCollector = new Handler() {
        @Override
        public void publish(LogRecord record) {
            julRecords.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private TestStores stores;

    @BeforeEach
    void capture() {
        java.util.logging.Logger.getLogger("").addHandler(julCollector);
        originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        stores = new TestStores();
    }

    @AfterEach
    void release() {
        stores.close();
        System.setErr(originalErr);
        java.util.logging.Logger.getLogger("").removeHandler(julCollector);
    }

    @ParameterizedTest
    @MethodSource("dev.chatstore.jdbc.TestStores#databases")
    void openingAndUsingAStoreLogsNothingThroughJavaUtilLoggingAndNoWarning(String database) {
        String url = stores.newUrl(database);
        try (ChatStore store = stores.open(url)) { // creates the schema: Flyway and Hibernate both start
            store.users().create("alice", "Alice", JsonObject.empty());
        }
        stores.open(url).users().get("alice").orElseThrow(); // and again on an existing schema

        assertThat(org.jboss.logging.Logger.getLogger("org.hibernate").getClass().getName())
                .as("Hibernate's JBoss Logging provider").startsWith("org.jboss.logging.Slf4j");
        assertThat(julRecords).as("records that reached java.util.logging")
                .filteredOn(r -> r.getLoggerName() != null && (r.getLoggerName().startsWith("org.hibernate")
                        || r.getLoggerName().startsWith("org.flywaydb") || r.getLoggerName().startsWith("dev.chatstore")))
                .isEmpty();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).as("warnings while opening")
                .doesNotContain("HHH90000025").doesNotContain("WARN");
    }
}
