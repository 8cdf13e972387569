package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StoreMaintenance.CheckReport;
import dev.chatstore.api.spi.StoreMaintenance.Mode;
import dev.chatstore.api.spi.StoreMaintenance.SchemaStatus;
import dev.chatstore.api.spi.StoreMaintenance.Severity;
import dev.chatstore.jdbc.internal.Database;
import dev.chatstore.jdbc.internal.JdbcBackend;
import dev.chatstore.jdbc.internal.JdbcOptions;
import dev.chatstore.jdbc.internal.JdbcSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schema as {@link StoreMaintenance} offers it (what {@code chatstore schema info|validate|upgrade} call), on
 * both databases: versions, upgrades from version 1 with data, targets that are refused, the open that refuses an
 * out-of-date schema, and the consistency check with its repair.
 */
class SchemaMaintenanceTest {

    private static final Map<String, String> NO_AUTO_MIGRATE = Map.of("auto-migrate", "false");

    private final TestStores stores = new TestStores();

    @AfterEach
    void cleanUp() {
        stores.close();
    }

    static List<String> databases() {
        return TestStores.databases();
    }

    private static StoreMaintenance maintenance(ChatStore store) {
        return store.maintenance().orElseThrow();
    }

    /** What {@code chatstore schema ...} uses: maintenance found by URL, without opening the store for use. */
    private static StoreMaintenance standalone(String url) {
        return StorageBackends.maintenance(ChatStoreConfig.isolated().url(url).build()).orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aNewStoreIsAtTheLatestVersion(String database) {
        ChatStore store = stores.openNew(database);
        SchemaStatus status = maintenance(store).schema().orElseThrow();
        assertThat(status.current()).isEqualTo("2");
        assertThat(status.latest()).isEqualTo("2");
        assertThat(status.upToDate()).isTrue();
        CheckReport report = maintenance(store).check(Mode.CHECK);
        assertThat(report.clean()).as(report.findings().toString()).isTrue();
        assertThat(report.findings()).anySatisfy(f -> assertThat(f.message()).contains("at version 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void withoutAutoMigrateAnUnmigratedSchemaFailsTheOpenNamingTheCommand(String database) {
        String url = stores.newUrl(database);
        assertThatThrownBy(() -> stores.open(url, NO_AUTO_MIGRATE))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("run `chatstore schema upgrade`")
                .hasMessageContaining("at version 0")
                .hasMessageNotContaining("Schema-validation");

        try (StoreMaintenance maintenance = standalone(url)) {
            SchemaStatus status = maintenance.schema().orElseThrow();
            assertThat(status.current()).isEqualTo("0");
            assertThat(status.pending()).hasSize(2);
            CheckReport report = maintenance.check(Mode.CHECK);
            assertThat(report.clean()).isFalse();
            assertThat(report.findings()).anySatisfy(f -> {
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.message()).contains("chatstore schema upgrade");
            });
            assertThat(maintenance.upgrade(Optional.empty()).upToDate()).isTrue();
        }
        ChatStore store = stores.open(url, NO_AUTO_MIGRATE);
        store.users().create("alice");
        assertThat(store.users().get("alice")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aTargetBelowTheCurrentVersionOrUnknownIsAnError(String database) {
        ChatStore store = stores.openNew(database);
        assertThatThrownBy(() -> maintenance(store).upgrade(Optional.of("1")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("already at version 2");
        assertThatThrownBy(() -> maintenance(store).upgrade(Optional.of("7")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("unknown schema version '7'");
        assertThatThrownBy(() -> maintenance(store).upgrade(Optional.of("not-a-version")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("unknown schema version");
        assertThat(maintenance(store).upgrade(Optional.of("2")).current()).isEqualTo("2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void version1WithDataUpgradesToTheLatestAndKeepsWorking(String database) throws Exception {
        String url = stores.newUrl(database);
        try (StoreMaintenance maintenance = standalone(url)) {
            SchemaStatus v1 = maintenance.upgrade(Optional.of("1"));
            assertThat(v1.current()).isEqualTo("1");
            assertThat(v1.pending()).singleElement().asString().startsWith("2 ");
        }

        Session s;
        // A release that stops at version 1 writes data (the mapping is validated against version 1 here)
        try (ChatStore store = openAtCurrentVersion(url)) {
            store.users().create("alice");
            s = store.sessions().create("alice", "before the upgrade");
            store.messages().append("alice", s.id(), NewMessage.user("the upgrade keeps searchable words"));
            store.messages().append("alice", s.id(), NewMessage.assistant("answer with cost")
                    .withUsage(Usage.of(10, 20, "0.0125")).withModel("gpt-4o"));
        }

        assertThatThrownBy(() -> stores.open(url, NO_AUTO_MIGRATE))
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("at version 1");
        try (StoreMaintenance maintenance = standalone(url)) {
            SchemaStatus latest = maintenance.upgrade(Optional.empty());
            assertThat(latest.current()).isEqualTo("2");
            assertThat(latest.upToDate()).isTrue();
        }

        ChatStore store = stores.open(url, NO_AUTO_MIGRATE);
        assertThat(store.messages().page("alice", s.id(), 0, 10)).extracting(Message::seq).containsExactly(1L, 2L);
        assertThat(store.messages().search("alice", SearchQuery.of("searchable upgrade")))
                .extracting(Message::content).containsExactly("the upgrade keeps searchable words");
        assertThat(store.usage().forUser("alice").costByCurrency()).containsEntry("USD", new BigDecimal("0.0125"));
        assertThat(store.messages().append("alice", s.id(), NewMessage.user("after the upgrade")).seq()).isEqualTo(3);
    }

    /** A store at whatever version its schema is, with the mapping validated against it (as an older release ran). */
    private static ChatStore openAtCurrentVersion(String url) {
        Database db = Database.open(url, JdbcOptions.defaults());
        db.validateMapping();
        return ChatStore.builder().config(ChatStoreConfig.isolated().url(url).build())
                .backend(new JdbcBackend(db, new JdbcSchema(db))).open();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void checkFindsCountersThatDoNotDescribeTheLogAndRepairSetsThem(String database) throws Exception {
        String url = stores.newUrl(database);
        ChatStore store = stores.open(url);
        store.users().create("alice");
        Session s = store.sessions().create("alice", "log");
        store.messages().appendAll("alice", s.id(), List.of(NewMessage.user("one"), NewMessage.user("two")));
        Message panelMessage = store.panels().append(store.panels().create("p", List.of()).id(), NewMessage.user("x"));
        execute(url, "UPDATE sessions SET message_count = 5");
        execute(url, "UPDATE panels SET message_count = 0");

        CheckReport found = maintenance(store).check(Mode.CHECK);
        assertThat(found.clean()).isFalse();
        assertThat(found.findings()).filteredOn(f -> f.severity() == Severity.WARNING).extracting(f -> f.location())
                .containsExactlyInAnyOrder("session alice/" + s.id(), "panel " + panelMessage.sessionId());
        assertThat(store.sessions().get("alice", s.id()).orElseThrow().messageCount()).isEqualTo(5);

        CheckReport repaired = maintenance(store).check(Mode.REPAIR);
        assertThat(repaired.clean()).as(repaired.findings().toString()).isTrue();
        assertThat(store.sessions().get("alice", s.id()).orElseThrow().messageCount()).isEqualTo(2);
        assertThat(store.messages().append("alice", s.id(), NewMessage.user("three")).seq()).isEqualTo(3);
        assertThat(store.panels().append(panelMessage.sessionId(), NewMessage.user("y")).seq()).isEqualTo(2);
        assertThat(maintenance(store).check(Mode.CHECK).clean()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void withoutCreateIfMissingNothingIsCreated(String database) throws Exception {
        String url = stores.newUrl(database);
        for (String setting : List.of("store.create-if-missing=false", "store.read-only=true")) {
            String[] kv = setting.split("=");
            assertThatThrownBy(() -> ChatStore.builder().config(ChatStoreConfig.isolated().url(url).set(kv[0], kv[1])
                    .build()).provider(new JdbcBackendProvider()).open())
                    .as(setting)
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("no Chatstore store at")
                    .hasMessageContaining(setting);
        }
        if (database.equals("sqlite")) {
            assertThat(java.nio.file.Path.of(url.substring("jdbc:sqlite:".length()))).doesNotExist();
        } else {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM information_schema.tables"
                         + " WHERE table_schema = current_schema()")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void readOnlyOpensAnExistingStoreAndNeverMigratesIt(String database) {
        String url = stores.newUrl(database);
        stores.open(url).users().create("alice");
        ChatStore readOnly = ChatStore.builder().config(ChatStoreConfig.isolated().url(url)
                .set("store.read-only", "true").build()).provider(new JdbcBackendProvider()).open();
        try {
            assertThat(readOnly.users().get("alice")).isPresent();
            assertThatThrownBy(() -> readOnly.users().create("bob"))
                    .isInstanceOf(dev.chatstore.api.error.StoreReadOnlyException.class);
        } finally {
            readOnly.close();
        }
    }

    @Test
    void aMalformedOptionIsRejectedNamingTheKey() {
        String url = stores.newUrl("sqlite");
        assertThatThrownBy(() -> stores.open(url, Map.of("busy-timeout-ms", "soon")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.busy-timeout-ms")
                .hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> stores.open(url, Map.of("lock-timeout-millis", "10")))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("backend.lock-timeout-millis");
        assertThat(new JdbcBackendProvider().options()).allSatisfy(o -> {
            if (o.type() == dev.chatstore.api.spi.BackendOption.Type.MILLIS) {
                assertThat(o.key()).endsWith("-ms");
            }
        });
    }

    @Test
    void messagesNameTheStoreWithItsSchemaButNeverThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/test?user=alice&password=s3cret&currentSchema=app";
        assertThatThrownBy(() -> stores.open(url, Map.of("connect-timeout-ms", "250")))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("currentSchema=app")
                .hasMessageNotContaining("s3cret");
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
