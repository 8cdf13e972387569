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
        /** Whether stdout is "a terminal": tables by default, progress bars. Off, as under a script or CI. */
        boolean terminal;
        /** How often progress prints a plain line when not on a terminal. */
        java.time.Duration progressEvery = CliEnvironment.PROGRESS_EVERY;

        Run run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            CliEnvironment environment = new CliEnvironment(variables, systemProperties,
                    new ByteArrayInputStream(stdin), stdout, opener, terminal, progressEvery);
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

    /** The counts part of {@code stats --format table}. */
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
        void helpCommandShowsACommandsHelp() {
            Run run = new Cli().run("help", "messages");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: chatstore messages", "--last=N", "--after=SEQ", "--format=FORMAT");

            Run all = new Cli().run("help");
            assertThat(all.exitCode()).isZero();
            assertThat(all.out()).contains("users", "sessions", "messages", "search", "usage", "documents", "help");
        }

        @Test
        void theUrlHelpNamesOnlySchemesThatExist() {
            String help = new Cli().run("--help").out();

            assertThat(help).contains("file:./data", "mem:", "jdbc:sqlite:", "postgresql://HOST/DB", "mongodb://",
                    "redis://", "redis-cluster://");
            for (String scheme : List.of("file:", "mem:", "jdbc:sqlite:", "jdbc:postgresql:", "mongodb:", "redis:",
                    "redis-cluster:")) {
                assertThat(dev.chatstore.api.StorageBackends.discover()).as("a provider serves " + scheme)
                        .anyMatch(p -> p.supports(scheme + "//x:1/y") || p.supports(scheme + "x"));
            }
        }

        @Test
        void everyCommandThatPrintsDataTakesFormat() {
            for (String command : List.of("users", "sessions", "messages", "search", "usage", "documents", "stats")) {
                assertThat(new Cli().run(command, "--help").out()).as(command)
                        .contains("--format=FORMAT", "table, json or jsonl");
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
        void benchWithAnUnknownScenarioIsAUsageErrorNamingTheScenarios() {
            Path scratch = dir.resolve("scratch");
            Run run = new Cli().run("bench", "--quick", "--scratch", scratch.toString(), "nosuchscenario");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(run.err()).contains("no scenario 'nosuchscenario' in the suites of this jar; scenarios: ")
                    .containsPattern("scenarios: [a-z0-9-]+, [a-z0-9-]+");
            assertThat(run.out()).doesNotContain("All targets met");
            assertThat(scratch).doesNotExist();
        }

        @Test
        void benchWithAFileAsScratchIsAUsageErrorNotAStackTrace() throws IOException {
            Path file = Files.writeString(dir.resolve("afile.txt"), "not a directory\n");
            Run run = new Cli().run("bench", "--quick", "--scratch", file.toString());

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(run.err()).contains("--scratch '" + file + "' is not a directory")
                    .doesNotContain("\tat ", "IllegalStateException");
            assertThat(run.out()).doesNotContain("All targets met");
        }

        @Test
        void benchWithASuiteThatIsNotInTheJarIsAUsageErrorThatSaysWhereItIs() {
            Run run = new Cli().run("bench", "--suite", "jdbc", "--scratch", dir.resolve("scratch").toString());

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(run.err()).contains("no such suite in this jar (available: flatfile, migration)", "benchmarks-jdbc");
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
            // A second run finds everything in place: no session, message or panel twice.
            assertThat(second.out()).contains("alice, bob, carol (0 new)", "(0 new)", "Already there")
                    .containsPattern("users\\s+3\\n")
                    .containsPattern("sessions\\s+4\\n")
                    .containsPattern("messages\\s+15\\n")
                    .containsPattern("panel messages\\s+4\\n")
                    .containsPattern("documents\\s+1\\n")
                    .containsPattern("panels\\s+1\\n")
                    .containsPattern("personas\\s+4\\n")
                    .containsPattern("credentials\\s+1\\n")
                    .contains("Search \"csv\" in alice's messages: 3 hits");
            // The credential of the first run is kept, not replaced by one under this run's new random key.
            assertThat(second.out()).contains("openai kept from an earlier run", "decrypts: not with the keys"
                    + " configured now", "context     kept from an earlier run").doesNotContain("decrypts: yes");
            assertThat(first.err()).contains("random key");
            assertThat(second.err()).as("no key was made for the kept credential").doesNotContain("random key");
        }

        @Test
        void aSecondRunKeepsTheCredentialItStoredWithAConfiguredKey() {
            Cli cli = new Cli().sharing(newStore());
            cli.variables.put("CHATSTORE_ENCRYPTION_KEYS", "k1:" + Base64.getEncoder().encodeToString(new byte[32]));

            Run first = cli.run("demo");
            String exported = new String(cli.run("export").stdoutBytes(), StandardCharsets.UTF_8);
            Run second = cli.run("demo");
            String again = new String(cli.run("export").stdoutBytes(), StandardCharsets.UTF_8);

            assertThat(first.out()).contains("openai stored encrypted (AES-256-GCM), decrypts: yes");
            assertThat(second.out()).contains("openai kept from an earlier run encrypted (AES-256-GCM), decrypts: yes");
            // The same sealed secret (same nonce and ciphertext) before and after the second run.
            assertThat(credentialLine(again)).isEqualTo(credentialLine(exported));
        }
    }

    private static String credentialLine(String export) {
        return export.lines().filter(l -> l.contains("\"type\":\"credential\"")).findFirst().orElseThrow();
    }

    @Nested
    class Stats {

        @Test
        void showsHealthAndCounts() {
            Cli cli = new Cli().sharing(newStore());
            cli.run("demo");

            cli.terminal = true;
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

        @Test
        void aFileStoreOpenedForReadingIsReportedWithExitCodeZero() {
            String url = "file:" + dir.resolve("data");
            Cli cli = new Cli();
            assertThat(cli.run("--url", url, "demo").exitCode()).isZero();
            for (String format : List.of("table", "json")) {
                Run run = cli.run("--url", url, "stats", "--format", format);
                assertThat(run.exitCode()).as("stats --format " + format + ": " + run.out() + run.err()).isZero();
                assertThat(run.out()).contains("read-only").containsPattern("messages\\W+15");
            }
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
            assertThat(counts(into.run("stats", "--format", "table").out()))
                    .isEqualTo(counts(from.run("stats", "--format", "table").out()));
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
            assertThat(counts(into.run("stats", "--format", "table").out()))
                    .isEqualTo(counts(from.run("stats", "--format", "table").out()));
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
                    .contains("providers found: ", "mem (mem:[label])", "file (file:")
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
            Path data = Path.of("data");
            boolean existed = Files.exists(data);
            Run run = recording().run("stats");

            assertThat(opened).last().isEqualTo(ChatStoreCommand.DEFAULT_URL);
            assertThat(Files.exists(data)).as("a read command never creates the default store").isEqualTo(existed);
            if (!existed) {
                assertThat(run.err()).contains("no Chatstore store at");
                assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_CONFIGURATION);
            }
        }

        @Test
        void theEnvironmentBeatsTheDefault() {
            Cli cli = recording();
            cli.variables.put("CHATSTORE_URL", "mem:from-env");

            assertThat(urlOf(cli, "stats")).isEqualTo("mem:from-env");
            assertThat(cli.run("stats", "--format", "table").out()).contains("(from environment CHATSTORE_URL)");
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

            cli.run("stats"); // the default store need not exist: what matters is the configuration it was opened with
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
        assertThat(ChatStoreCommand.displayUrl("jdbc:postgresql://db/chat?user=app&currentSchema=tenant_7&password=x"))
                .as("the schema says where the data lives").isEqualTo("jdbc:postgresql://db/chat?currentSchema=tenant_7");
        assertThat(Pattern.compile("s3cret").matcher(ChatStoreCommand.displayUrl(
                "jdbc:sqlserver://db;user=app;password=s3cret")).find()).isFalse();
    }
}
