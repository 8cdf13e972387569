package dev.chatstore.cli;

import dev.chatstore.cli.ChatStoreCommandTest.Cli;
import dev.chatstore.cli.ChatStoreCommandTest.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatstore schema info|validate|upgrade} on a real SQLite file and a real PostgreSQL schema, and what the
 * inspection commands do with a URL that names no store: refuse it and create nothing.
 */
class SchemaCommandTest {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    private final String schema = "chatstore_cli_" + Long.toString(ProcessHandle.current().pid(), 36) + "_"
            + Long.toString(System.nanoTime(), 36);
    private final Cli cli = new Cli();

    SchemaCommandTest() {
        cli.terminal = true; // the status as lines (in a pipe it is one JSON object: see statusForScripts)
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private Run run(String url, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--url";
        all[1] = url;
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.run(all);
    }

    @Test
    void upgradeStepByStepThenInfoAndValidate() {
        String url = "jdbc:sqlite:" + dir.resolve("chat.db");

        Run first = run(url, "schema", "upgrade", "--target", "1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("current 1", "latest  2", "pending 2 search and usage indexes");

        Run pending = run(url, "schema", "validate");
        assertThat(pending.exitCode()).as("validate with a version pending").isEqualTo(ChatStoreCommand.EXIT_ERROR);
        assertThat(pending.out()).contains("pending 2");

        Run unknown = run(url, "schema", "upgrade", "--target", "7");
        assertThat(unknown.exitCode()).as("a version this release does not know").isNotZero();
        assertThat(unknown.err()).contains("unknown schema version '7'", "this release knows 1, 2");

        Run rest = run(url, "schema", "upgrade");
        assertThat(rest.exitCode()).as(rest.err()).isZero();
        assertThat(run(url, "schema", "info").out()).contains("current 2", "pending none: the schema is up to date");
        assertThat(run(url, "schema", "validate").exitCode()).isZero();

        Run down = run(url, "schema", "upgrade", "--target", "1");
        assertThat(down.exitCode()).as("a target below the current version is an error, not a silent no-op")
                .isNotZero();
        assertThat(down.err()).contains("to schema version 1: it is already at version 2", "never downgraded");
    }

    @Test
    void statusForScripts() {
        String url = "jdbc:sqlite:" + dir.resolve("chat.db");
        run(url, "schema", "upgrade", "--target", "1");
        cli.terminal = false;
        Run run = run(url, "schema", "info");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("{\"store\":\"" + url + "\",\"current\":\"1\",\"latest\":\"2\","
                + "\"pending\":[\"2 search and usage indexes\"],\"upToDate\":false}");
        assertThat(run(url, "schema", "validate", "--format", "table").out()).contains("current 1", "latest  2");
    }

    @Test
    void inspectionCommandsRefuseAMissingSqliteFileAndCreateNothing() {
        Path typo = dir.resolve("typo.db");
        String url = "jdbc:sqlite:" + typo;
        for (String[] command : new String[][] {{"schema", "info"}, {"schema", "validate"}, {"check"},
                {"check", "--repair"}, {"stats"}, {"users"}}) {
            Run run = run(url, command);
            assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            assertThat(run.err()).as(String.join(" ", command)).contains("no Chatstore store at");
            assertThat(Files.exists(typo)).as(String.join(" ", command) + " created the file").isFalse();
        }
        assertThat(run(url, "schema", "upgrade").exitCode()).as("upgrade creates, as Flyway's migrate does").isZero();
        assertThat(Files.exists(typo)).isTrue();
    }

    @Test
    void aMistypedPostgresSchemaIsNoStoreAndTheDisplayedUrlKeepsTheSchema() throws SQLException {
        String url = POSTGRES + "&currentSchema=" + schema;
        for (String[] command : new String[][] {{"schema", "info"}, {"check"}, {"stats"}}) {
            Run run = run(url, command);
            assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            assertThat(run.err()).contains("no Chatstore store at");
        }
        assertThat(schemaExists()).as("an inspection created the schema").isFalse();

        Run upgrade = run(url, "schema", "upgrade");
        assertThat(upgrade.exitCode()).as(upgrade.err()).isZero();
        assertThat(upgrade.out()).contains("store   jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema)
                .doesNotContain("user=postgres");
        assertThat(run(url, "schema", "info").out()).contains("current 2");
        assertThat(run(url, "check").exitCode()).isZero();
    }

    private boolean schemaExists() throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM information_schema.schemata WHERE schema_name = '"
                     + schema + "'")) {
            return rs.next();
        }
    }
}
