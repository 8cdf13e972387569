package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk load through {@code Transfer.restoreMessages} (what import and migration backfill call) leaves the message
 * and session tables analyzed, so the queries right after it are planned on statistics; a small restore does not pay
 * for an analysis. Autovacuum is switched off on the tables first, so any statistics found are the backend's doing.
 */
class BulkLoadStatisticsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final TestStores stores = new TestStores();

    @AfterEach
    void cleanUp() {
        stores.close();
    }

    @Test
    void postgresqlTablesAreAnalyzedAfterABulkRestore() throws Exception {
        String url = stores.newUrl("postgresql");
        ChatStore store = stores.open(url);
        execute(url, "ALTER TABLE messages SET (autovacuum_enabled = off)");
        execute(url, "ALTER TABLE sessions SET (autovacuum_enabled = off)");
        store.users().create("u");

        restore(store, 1, 10);
        assertThat(reltuples(url, "messages")).as("a small restore is not analyzed").isEqualTo(-1);

        restore(store, 15, 100);

        // analyzed once the restored rows reached 1,000 (a few restores before the last)
        assertThat(reltuples(url, "messages")).isBetween(1000L, 1510L);
        assertThat(reltuples(url, "sessions")).isBetween(11L, 16L);
        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM pg_stat_user_tables"
                + " WHERE schemaname = current_schema() AND relname IN ('messages', 'sessions') AND last_analyze IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void sqliteTablesAreAnalyzedAfterABulkRestore() throws Exception {
        String url = stores.newUrl("sqlite");
        ChatStore store = stores.open(url);
        store.users().create("u");

        restore(store, 1, 10);
        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
                .as("a small restore is not analyzed").isZero();

        restore(store, 15, 100);

        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'messages'"))
                .isPositive();
        assertThat(TestStores.queryNumber(url, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'sessions'"))
                .isPositive();
    }

    /** Restores {@code sessions} new sessions of {@code perSession} messages each, one restore call per session. */
    private static void restore(ChatStore store, int sessions, int perSession) {
        for (int s = 0; s < sessions; s++) {
            Session session = store.sessions().create("u", "imported");
            List<Message> batch = new ArrayList<>();
            for (int seq = 1; seq <= perSession; seq++) {
                batch.add(new Message("m" + seq, session.id(), seq, "user", "imported message " + seq,
                        T0.plusSeconds(seq), List.of(), JsonObject.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty()));
            }
            store.transfer().restoreMessages("u", session.id(), batch);
        }
    }

    /** The planner's row count of the table: -1 before its first analysis (or vacuum). */
    private static long reltuples(String url, String table) {
        return TestStores.queryNumber(url, "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + table
                + "'::regclass");
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
