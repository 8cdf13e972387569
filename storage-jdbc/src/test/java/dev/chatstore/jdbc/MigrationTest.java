package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A database holding data at schema version 1 is upgraded to the latest version and keeps working. */
class MigrationTest {

    @TempDir
    Path dir;

    private final List<String> schemas = new ArrayList<>();

    @AfterEach
    void dropSchemas() {
        schemas.forEach(PostgresTestDatabase::drop);
    }

    @Test
    @DisplayName("SQLite: V1 with data upgrades to the latest schema")
    void sqliteUpgrade() throws Exception {
        upgrade("jdbc:sqlite:" + dir.resolve("upgrade.db"));
    }

    @Test
    @DisplayName("PostgreSQL: V1 with data upgrades to the latest schema")
    void postgresUpgrade() throws Exception {
        String url = PostgresTestDatabase.freshSchemaUrl();
        schemas.add(url);
        upgrade(url);
    }

    @Test
    @DisplayName("with backend.auto-migrate=false an empty database is not migrated and the open fails")
    void noAutoMigrate() {
        String url = "jdbc:sqlite:" + dir.resolve("empty.db");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(url, false))
                .isInstanceOf(dev.chatstore.api.error.StorageException.class);
    }

    private void upgrade(String url) throws Exception {
        JdbcMigrations.Result v1 = JdbcMigrations.migrate(url, Optional.of("1"));
        assertThat(v1.schemaVersion()).isEqualTo("1");
        assertThat(versions(url)).containsExactly("1");

        Session s;
        try (ChatStore store = open(url, false)) {
            store.users().create("alice");
            s = store.sessions().create("alice", "before the upgrade");
            store.messages().append("alice", s.id(), NewMessage.user("the upgrade keeps searchable words"));
            store.messages().append("alice", s.id(), NewMessage.assistant("answer with cost")
                    .withUsage(Usage.of(10, 20, "0.0125")).withModel("gpt-4o"));
        }

        JdbcMigrations.Result latest = JdbcMigrations.migrate(url);
        assertThat(latest.applied()).isGreaterThanOrEqualTo(1);
        assertThat(versions(url)).containsExactly("1", "2");

        try (ChatStore store = open(url, true)) {
            assertThat(store.messages().page("alice", s.id(), 0, 10)).extracting(Message::seq).containsExactly(1L, 2L);
            assertThat(store.messages().search("alice", SearchQuery.of("searchable upgrade")))
                    .extracting(Message::content).containsExactly("the upgrade keeps searchable words");
            assertThat(store.usage().forUser("alice").costByCurrency())
                    .containsEntry("USD", new BigDecimal("0.0125"));
            Message third = store.messages().append("alice", s.id(), NewMessage.user("after the upgrade"));
            assertThat(third.seq()).isEqualTo(3);
        }
    }

    private static ChatStore open(String url, boolean autoMigrate) {
        return ChatStore.builder().config(ChatStoreConfig.isolated().url(url)
                        .set("backend.auto-migrate", String.valueOf(autoMigrate)).build())
                .provider(new JdbcBackendProvider()).open();
    }

    private static List<String> versions(String url) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success"
                     + " AND version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
