package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.mem.MemoryBackendProvider;
import dev.chatstore.api.spi.BackendContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the {@code chatstore} command in-process, with captured output and a controlled environment. */
class ChatStoreCommandTest {

    @TempDir
    Path dir;

    /** One command run: exit code, text on stdout and stderr, and the raw bytes written to stdout by export. */
    record Run(int exitCode, String out, String err, byte[] stdoutBytes) {
    }

    /** A command line with an empty environment (so the machine's CHATSTORE_* variables never leak in). */
    static final class Cli {
        final Map<String, String> variables = new HashMap<>();
        final Properties systemProperties = new Properties();
        byte[] stdin = new byte[0];
        Function<ChatStoreConfig, ChatStore> opener = ChatStore::open;

        Run run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            CliEnvironment environment = new CliEnvironment(variables, systemProperties,
                    new ByteArrayInputStream(stdin), stdout, opener);
            CommandLine cli = new CommandLine(new ChatStoreCommand(environment));
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString(), stdout.toByteArray());
        }

        /** Every command of this CLI works on the same in-memory store, as if it were a file or database. */
        Cli sharing(SharedBackend backend) {
            opener = config -> ChatStore.builder().config(config).backend(backend).open();
            return this;
        }
    }

    static SharedBackend newStore() {
        ChatStoreConfig config = ChatStoreConfig.forUrl("mem:test");
        return new SharedBackend(new MemoryBackendProvider().open(new BackendContext("mem:test", config,
                Clock.systemUTC())));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** The records of an export without its header, whose exportedAt differs from run to run. */
    private static List<String> records(List<String> exportLines) {
        assertThat(exportLines.get(0)).contains("\"type\":\"header\"");
        return exportLines.subList(1, exportLines.size());
    }

    private static String counts(String statsOutput) {
        return statsOutput.substring(statsOutput.indexOf("users"));
    }

    @Nested
    class Help {

        @Test
        void helpListsTheCommandsAndGlobalOptions() {
            Run run = new Cli().run("--help");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: chatstore", "demo", "stats", "export", "import", "check", "bench",
                    "schema", "--url=URL",
                    "--config=FILE", "--profile=NAME", "--verbose", "--version");
            assertThat(run.err()).isEmpty();
        }

        @Test
        void everySubcommandHasHelpWithTheGlobalOptions() {
            for (String command : List.of("demo", "stats", "export", "import", "check", "bench", "schema")) {
                Run run = new Cli().run(command, "--help");

                assertThat(run.exitCode()).as(command).isZero();
                assertThat(run.out()).as(command).contains("Usage: chatstore " + command, "--url=URL");
            }
        }

        @Test
        void versionNamesTheProject() {
            Run run = new Cli().run("--version");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).startsWith("chatstore ").contains("Java ");
        }

        @Test
        void withoutACommandItIsAUsageError() {
            Run run = new Cli().run();

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(run.err()).contains("Missing command", "Usage: chatstore");
        }

        @Test
        void anUnknownOptionIsAUsageError() {
            Run run = new Cli().run("stats", "--no-such-option");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(run.err()).contains("Unknown option: '--no-such-option'");
        }

        @Test
        void benchWithASuiteThatIsNotInTheJarIsAUsageErrorThatSaysWhereItIs() {
            Run run = new Cli().run("bench", "--suite", "jdbc", "--scratch", dir.resolve("scratch").toString());

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(run.err()).contains("no such suite in this jar (available: flatfile)", "benchmarks-jdbc");
            assertThat(run.out()).doesNotContain("All targets met");
        }
    }

    @Nested
    class Demo {

        @Test
        void fillsAMemoryStoreAndPrintsSummarySearchAndUsage() {
            Run run = new Cli().run("--url", "mem:", "demo");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out())
                    .contains("Chatstore demo on mem:")
                    .contains("alice, bob, carol (3 new)")
                    .contains("import_notes.md", "current + 2 snapshots", "3 global (analyst, optimist, skeptic)")
                    .contains("decrypts: yes")
                    .contains("Summary")
                    .containsPattern("users\\s+3\\n")
                    .containsPattern("sessions\\s+4\\n")
                    .containsPattern("messages\\s+15\\n")
                    .containsPattern("panel messages\\s+4\\n")
                    .containsPattern("documents\\s+1\\n")
                    .containsPattern("panels\\s+1\\n")
                    .containsPattern("personas\\s+4\\n")
                    .containsPattern("credentials\\s+1\\n")
                    .contains("Search \"csv\" in alice's messages: 3 hits")
                    .contains("Usage by model and provider")
                    .containsPattern("claude-3-5-sonnet\\s+anthropic\\s+2\\s+460\\s+530\\s+0\\.00933\\s+USD")
                    .containsPattern("gpt-4o\\s+openai\\s+2\\s+550\\s+367\\s+0\\.00505\\s+USD")
                    .containsPattern("total\\s+7\\s+1327\\s+1266\\s+0\\.0149659\\s+USD");
            // Without a configured key the demo makes one for the run, says so, and never prints it.
            assertThat(run.err()).contains("random key", "made for this run only", "keeps data only while this command runs");
        }

        @Test
        void usesTheConfiguredEncryptionKeyWhenThereIsOne() {
            Cli cli = new Cli();
            String key = Base64.getEncoder().encodeToString(new byte[32]);
            cli.variables.put("CHATSTORE_ENCRYPTION_KEYS", "k1:" + key);

            Run run = cli.run("demo");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).doesNotContain("random key");
            assertThat(run.out()).contains("decrypts: yes");
        }

        @Test
        void runsTwiceAgainstTheSameStore() {
            Cli cli = new Cli().sharing(newStore());

            Run first = cli.run("demo");
            Run second = cli.run("demo");

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).contains("alice, bob, carol (0 new)")
                    .containsPattern("users\\s+3\\n")
                    .containsPattern("sessions\\s+8\\n")
                    .containsPattern("messages\\s+30\\n")
                    .containsPattern("panels\\s+2\\n")
                    .containsPattern("personas\\s+4\\n")
                    .containsPattern("credentials\\s+1\\n")
                    .contains("Search \"csv\" in alice's messages: 6 hits");
        }
    }

    @Nested
    class Stats {

        @Test
        void showsHealthAndCounts() {
            Cli cli = new Cli().sharing(newStore());
            cli.run("demo");

            Run run = cli.run("stats");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).containsPattern("store\\s+" + java.util.regex.Pattern.quote(ChatStoreCommand.DEFAULT_URL)
                            + "\\s+\\(from the chatstore command's default\\)")
                    .containsPattern("backend\\s+mem")
                    .containsPattern("health\\s+reachable, writable, latency \\d+\\.\\d\\d ms")
                    .containsPattern("users\\s+3\\n")
                    .containsPattern("sessions\\s+4\\n")
                    .containsPattern("messages\\s+15\\n")
                    .containsPattern("documents\\s+1\\n")
                    .containsPattern("panels\\s+1\\n")
                    .containsPattern("personas\\s+4\\n");
            assertThat(run.err()).isEmpty();
        }
    }

    @Nested
    class ExportAndImport {

        @Test
        void roundTripThroughAFile() throws IOException {
            SharedBackend source = newStore();
            Cli from = new Cli().sharing(source);
            from.run("demo");
            Path file = dir.resolve("backup.ndjson");

            Run export = from.run("export", "--output", file.toString());

            assertThat(export.exitCode()).as(export.err()).isZero();
            assertThat(export.out()).isEmpty();
            assertThat(export.err()).startsWith("exported ").contains("user 3", "session 4", "message 15",
                    "panel 1", "insight 1", "credential 1", "document 1", " to " + file);
            assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".partial"));

            SharedBackend target = newStore();
            Cli into = new Cli().sharing(target);
            Run imported = into.run("import", "--input", file.toString());

            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(imported.err()).startsWith("imported ").contains("user 3", "session 4", "message 15",
                    "panel 1", "insight 1", "credential 1", "document 1", " from " + file);

            // The restored store holds the same records, and exports the same lines.
            Path again = dir.resolve("again.ndjson");
            assertThat(into.run("export", "-o", again.toString()).exitCode()).isZero();
            assertThat(records(lines(again))).isEqualTo(records(lines(file)));
            assertThat(counts(into.run("stats").out())).isEqualTo(counts(from.run("stats").out()));
        }

        @Test
        void roundTripThroughStdoutAndStdin() {
            Cli from = new Cli().sharing(newStore());
            from.run("demo");

            Run export = from.run("export");

            assertThat(export.exitCode()).as(export.err()).isZero();
            assertThat(export.out()).isEmpty();
            String ndjson = new String(export.stdoutBytes(), StandardCharsets.UTF_8);
            assertThat(ndjson).startsWith("{\"type\":\"header\"").contains("\"type\":\"message\"");

            Cli into = new Cli().sharing(newStore());
            into.stdin = export.stdoutBytes();
            Run imported = into.run("import");

            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(imported.err()).startsWith("imported ");
            assertThat(counts(into.run("stats").out())).isEqualTo(counts(from.run("stats").out()));
        }

        @Test
        void anExportReplacesAnExistingFile() throws IOException {
            Path file = dir.resolve("backup.ndjson");
            Files.writeString(file, "old content\n");

            Run run = new Cli().run("--url", "mem:", "export", "-o", file.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(lines(file)).hasSize(1).first().asString().contains("\"type\":\"header\"");
        }

        @Test
        void aMissingInputFileIsACleanError() {
            Path missing = dir.resolve("missing.ndjson");

            Run run = new Cli().run("import", "--input", missing.toString());

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
            assertThat(run.err()).isEqualTo("error: cannot read " + missing + ": no such file or directory"
                    + System.lineSeparator());
        }

        @Test
        void aMalformedExportIsAnErrorNamingTheLine() {
            Cli cli = new Cli();
            cli.stdin = "{\"type\":\"header\",\"format\":\"chatstore-export\",\"version\":1}\nnot json\n"
                    .getBytes(StandardCharsets.UTF_8);

            Run run = cli.run("import");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
            assertThat(run.err()).startsWith("error: ").contains("line 2").doesNotContain("\tat ");
        }

        @Test
        void anUnwritableOutputIsACleanError() {
            Path nowhere = dir.resolve("no-such-dir").resolve("backup.ndjson");

            Run run = new Cli().run("export", "--output", nowhere.toString());

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_ERROR);
            assertThat(run.err()).startsWith("error: cannot write " + nowhere);
        }
    }

    @Nested
    class Errors {

        @Test
        void anUnknownUrlIsAConfigurationErrorWithoutStackTrace() {
            Run run = new Cli().run("--url", "nosuch:thing", "stats");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            assertThat(run.err()).startsWith("error: no storage backend supports URL 'nosuch:thing'")
                    .contains("providers found: mem")
                    .doesNotContain("\tat ", "Exception");
            assertThat(run.out()).isEmpty();
        }

        @Test
        void verboseAddsTheStackTrace() {
            Run run = new Cli().run("demo", "--url", "nosuch:thing", "--verbose");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            assertThat(run.err()).startsWith("error: no storage backend supports URL 'nosuch:thing'")
                    .contains("StorageConfigurationException", "\tat ");
        }

        @Test
        void aMissingConfigFileIsAConfigurationError() {
            Run run = new Cli().run("--config", dir.resolve("absent.properties").toString(), "stats");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            assertThat(run.err()).startsWith("error: cannot read configuration file");
        }

        @Test
        void anUnknownProfileIsAConfigurationError() {
            Run run = new Cli().run("--profile", "staging", "stats");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            assertThat(run.err()).isEqualTo("error: --profile 'staging': must be one of default, development,"
                    + " production" + System.lineSeparator());
        }

        @Test
        void anUnknownSettingInTheEnvironmentIsAConfigurationError() {
            Cli cli = new Cli();
            cli.variables.put("CHATSTORE_NO_SUCH_SETTING", "1");

            Run run = cli.run("stats");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            assertThat(run.err()).contains("CHATSTORE_NO_SUCH_SETTING");
        }
    }

    @Nested
    class UrlPrecedence {

        private final List<String> opened = new ArrayList<>();

        private Cli recording() {
            Cli cli = new Cli();
            cli.opener = config -> {
                opened.add(config.url());
                return ChatStore.open(config);
            };
            return cli;
        }

        private String urlOf(Cli cli, String... args) {
            Run run = cli.run(args);
            assertThat(run.exitCode()).as(run.err()).isZero();
            return opened.get(opened.size() - 1);
        }

        @Test
        void theCommandsDefaultWhenNothingElseNamesAUrl() {
            assertThat(urlOf(recording(), "stats")).isEqualTo(ChatStoreCommand.DEFAULT_URL);
        }

        @Test
        void theEnvironmentBeatsTheDefault() {
            Cli cli = recording();
            cli.variables.put("CHATSTORE_URL", "mem:from-env");

            assertThat(urlOf(cli, "stats")).isEqualTo("mem:from-env");
            assertThat(cli.run("stats").out()).contains("(from environment CHATSTORE_URL)");
        }

        @Test
        void aSystemPropertyBeatsTheEnvironment() {
            Cli cli = recording();
            cli.variables.put("CHATSTORE_URL", "mem:from-env");
            cli.systemProperties.setProperty("chatstore.url", "mem:from-property");

            assertThat(urlOf(cli, "stats")).isEqualTo("mem:from-property");
        }

        @Test
        void theUrlOptionBeatsEverything() {
            Cli cli = recording();
            cli.variables.put("CHATSTORE_URL", "mem:from-env");
            cli.systemProperties.setProperty("chatstore.url", "mem:from-property");

            assertThat(urlOf(cli, "--url", "mem:explicit", "stats")).isEqualTo("mem:explicit");
            assertThat(urlOf(cli, "stats", "--url", "mem:after-the-command")).isEqualTo("mem:after-the-command");
        }

        @Test
        void theConfigFileBeatsTheDefaultButNotTheEnvironment() throws IOException {
            Path file = dir.resolve("chatstore.properties");
            Files.writeString(file, "url=mem:from-file\n");
            Cli cli = recording();

            assertThat(urlOf(cli, "--config", file.toString(), "stats")).isEqualTo("mem:from-file");

            cli.variables.put("CHATSTORE_URL", "mem:from-env");
            assertThat(urlOf(cli, "--config", file.toString(), "stats")).isEqualTo("mem:from-env");
        }

        @Test
        void otherSettingsFromTheEnvironmentSurviveTheDefaultUrl() {
            Cli cli = new Cli();
            cli.variables.put("CHATSTORE_PAGING_SEARCH_DEFAULT_LIMIT", "7");
            List<ChatStoreConfig> configs = new ArrayList<>();
            cli.opener = config -> {
                configs.add(config);
                return ChatStore.open(config);
            };

            assertThat(cli.run("stats").exitCode()).isZero();
            assertThat(configs.get(0).url()).isEqualTo(ChatStoreCommand.DEFAULT_URL);
            assertThat(configs.get(0).searchDefaultLimit()).isEqualTo(7);
        }
    }

    @Test
    void displayedUrlsHideSecrets() {
        assertThat(ChatStoreCommand.displayUrl("jdbc:postgresql://db:5432/chat?user=app&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/chat");
        assertThat(ChatStoreCommand.displayUrl("redis://:s3cret@cache:6379/0")).isEqualTo("redis://cache:6379/0");
        assertThat(ChatStoreCommand.displayUrl("mongodb://app:s3cret@mongo:27017/chat?authSource=admin"))
                .isEqualTo("mongodb://mongo:27017/chat");
        assertThat(ChatStoreCommand.displayUrl("file:./data")).isEqualTo("file:./data");
        assertThat(Pattern.compile("s3cret").matcher(ChatStoreCommand.displayUrl(
                "jdbc:sqlserver://db;user=app;password=s3cret")).find()).isFalse();
    }
}
