package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.cli.ChatStoreCommandTest.Cli;
import dev.chatstore.cli.ChatStoreCommandTest.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only commands ({@code users}, {@code sessions}, {@code messages}, {@code search}, {@code usage},
 * {@code documents}) and {@code --format}, run in-process on the demo's data: as a person at a terminal sees them
 * (tables) and as a script reads them (JSONL by default, JSON on request).
 */
class ReadCommandsTest {

    private static final List<String> READ_COMMANDS = List.of("users", "sessions alice",
            "messages alice demo-large-csv", "search alice csv", "usage alice", "documents alice demo-large-csv");

    @TempDir
    Path dir;

    private Cli cli;
    private final List<ChatStoreConfig> opened = new ArrayList<>();

    @BeforeEach
    void demoStore() {
        cli = new Cli().sharing(ChatStoreCommandTest.newStore());
        Run demo = cli.run("demo");
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        var sharing = cli.opener;
        cli.opener = config -> {
            opened.add(config);
            return sharing.apply(config);
        };
    }

    private Run run(String... args) {
        Run run = cli.run(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    private static List<JsonObject> jsonLines(Run run) {
        return run.out().lines().map(JsonObject::parse).toList();
    }

    private static List<Object> field(List<JsonObject> records, String name) {
        return records.stream().map(r -> r.get(name).orElse(null)).toList();
    }

    @Nested
    class ForScripts {

        @Test
        void withoutATerminalEveryReadCommandPrintsJsonLines() {
            for (String command : READ_COMMANDS) {
                Run run = run(command.split(" "));

                assertThat(run.out()).as(command).isNotBlank();
                assertThat(jsonLines(run)).as(command).isNotEmpty();
                assertThat(run.err()).as(command).isEmpty();
            }
        }

        @Test
        void formatJsonIsOneArrayOfTheSameRecords() {
            for (String command : READ_COMMANDS) {
                List<String> args = new ArrayList<>(List.of(command.split(" ")));
                List<JsonObject> lines = jsonLines(run(args.toArray(String[]::new)));
                args.addAll(List.of("--format", "json"));

                Object parsed = JsonCodec.parse(run(args.toArray(String[]::new)).out());

                assertThat(parsed).as(command).isInstanceOf(List.class);
                assertThat((List<?>) parsed).as(command).isEqualTo(lines);
            }
        }

        @Test
        void usersCarryEveryField() {
            List<JsonObject> users = jsonLines(run("users"));

            assertThat(field(users, "id")).containsExactly("alice", "bob", "carol");
            JsonObject alice = users.get(0);
            assertThat(alice.getString("displayName")).contains("Alice Martin");
            assertThat(alice.getObject("profile").orElseThrow().getString("locale")).contains("en-GB");
            assertThat(alice.members()).containsKeys("createdAt", "updatedAt", "version");
        }

        @Test
        void sessionsOfAUserNewestFirst() {
            List<JsonObject> sessions = jsonLines(run("sessions", "alice"));

            assertThat(field(sessions, "id")).containsExactlyInAnyOrder("demo-large-csv", "demo-lisbon");
            assertThat(sessions).allSatisfy(s -> assertThat(s.get("userId")).contains("alice"));
            JsonObject csv = sessions.stream().filter(s -> s.get("id").orElseThrow().equals("demo-large-csv"))
                    .findFirst().orElseThrow();
            assertThat(csv.get("messageCount")).contains(5L);
            assertThat(csv.get("model")).contains("gpt-4o");
        }

        @Test
        void messagesAllTheLastNOrAfterASeq() {
            List<JsonObject> all = jsonLines(run("messages", "alice", "demo-large-csv"));
            assertThat(field(all, "seq")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(all.get(0).get("role")).contains("system");
            // JSON carries the text in full, never shortened like a table cell.
            assertThat(all.get(2).getString("content").orElseThrow()).endsWith("keep only the running totals.");
            assertThat(all.get(2).getObject("usage").orElseThrow().get("inputTokens")).contains(38L);
            assertThat(all.get(0).get("usage")).isEmpty();

            assertThat(field(jsonLines(run("messages", "alice", "demo-large-csv", "--last", "2")), "seq"))
                    .containsExactly(4L, 5L);
            assertThat(field(jsonLines(run("messages", "alice", "demo-large-csv", "--after", "3")), "seq"))
                    .containsExactly(4L, 5L);
            assertThat(run("messages", "alice", "demo-large-csv", "--after", "5").out()).isEmpty();
        }

        @Test
        void searchFindsTheUsersMessagesNewestFirst() {
            List<JsonObject> hits = jsonLines(run("search", "alice", "csv"));

            assertThat(hits).hasSize(3);
            assertThat(field(hits, "sessionId")).containsOnly("demo-large-csv");
            assertThat(hits).allSatisfy(h -> assertThat(h.getString("content").orElseThrow().toLowerCase())
                    .contains("csv"));
            assertThat(jsonLines(run("search", "alice", "csv", "--limit", "1"))).hasSize(1);
            assertThat(jsonLines(run("search", "alice", "fish", "river"))).hasSize(1);
            assertThat(run("search", "alice", "nosuchword").out()).isEmpty();
        }

        @Test
        void usagePerModelProviderAndCurrency() {
            List<JsonObject> groups = jsonLines(run("usage", "alice"));

            assertThat(field(groups, "model")).containsExactly("claude-3-5-sonnet", "gpt-4o");
            JsonObject gpt = groups.get(1);
            assertThat(gpt.get("messages")).contains(2L);
            assertThat(gpt.get("inputTokens")).contains(550L);
            assertThat(gpt.get("outputTokens")).contains(367L);
            assertThat(gpt.get("cost")).contains(new java.math.BigDecimal("0.00505"));
            assertThat(gpt.get("currency")).contains("USD");

            assertThat(field(jsonLines(run("usage", "alice", "--session", "demo-lisbon")), "model"))
                    .containsExactly("claude-3-5-sonnet");
            assertThat(run("usage", "alice", "--from", "2999-01-01").out()).isEmpty();
            assertThat(jsonLines(run("usage", "alice", "--from", "2000-01-01", "--to", "2999-01-01T00:00:00Z")))
                    .isEqualTo(groups);
        }

        @Test
        void documentsWithoutTheirBytes() {
            List<JsonObject> documents = jsonLines(run("documents", "alice", "demo-large-csv"));

            assertThat(documents).hasSize(1);
            JsonObject notes = documents.get(0);
            assertThat(notes.get("name")).contains("import_notes.md");
            assertThat(notes.get("mimeType")).contains("text/markdown");
            assertThat((Long) notes.get("size").orElseThrow()).isPositive();
            assertThat(notes.getString("sha256").orElseThrow()).hasSize(64);
            assertThat(notes.getObject("analysis").orElseThrow().members()).containsKey("summary");
            assertThat(run("documents", "alice", "demo-lisbon").out()).isEmpty();
        }

        @Test
        void statsAsOneJsonObject() {
            for (String format : List.of("json", "jsonl")) {
                Run run = run("stats", "--format", format);

                JsonObject stats = JsonObject.parse(run.out().strip());
                assertThat(stats.get("backend")).as(format).contains("mem");
                assertThat(stats.getObject("health").orElseThrow().get("reachable")).contains(true);
                JsonObject counts = stats.getObject("counts").orElseThrow();
                assertThat(counts.get("users")).contains(3L);
                assertThat(counts.get("sessions")).contains(4L);
                assertThat(counts.get("messages")).contains(15L);
                assertThat(counts.get("panelMessages")).contains(4L);
            }
            // Not on a terminal, stats prints JSON too.
            assertThat(JsonObject.parse(run("stats").out().strip()).has("counts")).isTrue();
        }
    }

    @Nested
    class ForPeople {

        @Test
        void onATerminalEveryReadCommandPrintsATableWithABoldHeader() {
            cli.terminal = true;
            Map<String, String> headers = new TreeMap<>(Map.of(
                    "users", "ID", "sessions alice", "TITLE", "messages alice demo-large-csv", "CONTENT",
                    "search alice csv", "SESSION", "usage alice", "MODEL",
                    "documents alice demo-large-csv", "SHA256"));
            for (Map.Entry<String, String> command : headers.entrySet()) {
                Run run = run(command.getKey().split(" "));

                String firstLine = run.out().lines().findFirst().orElseThrow();
                assertThat(firstLine).as(command.getKey()).startsWith("\u001B[1m").contains(command.getValue());
                assertThat(run.out()).as(command.getKey()).doesNotContain("{\"");
            }
        }

        @Test
        void noColorTurnsTheBoldOff() {
            cli.terminal = true;
            cli.variables.put("NO_COLOR", "1");

            Run run = run("users");

            assertThat(run.out()).doesNotContain("\u001B[").startsWith("ID");
        }

        @Test
        void formatTableWorksWithoutATerminalToo() {
            Run run = run("messages", "alice", "demo-large-csv", "--format", "table");

            assertThat(run.out()).doesNotContain("\u001B[")
                    .containsPattern("SEQ\\s+ROLE\\s+CREATED\\s+CONTENT")
                    .containsPattern("\\n\\s+1\\s+system\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+You are a concise")
                    // A table shortens long text to keep one line per message.
                    .contains("...");
        }

        @Test
        void usageTableEndsWithATotalPerCurrency() {
            Run run = run("usage", "alice", "--format", "table");

            assertThat(run.out()).containsPattern("MODEL\\s+PROVIDER\\s+MESSAGES\\s+INPUT\\s+OUTPUT\\s+COST\\s+CURRENCY")
                    .containsPattern("gpt-4o\\s+openai\\s+2\\s+550\\s+367\\s+0\\.00505\\s+USD")
                    .containsPattern("total\\s+4\\s+1010\\s+897\\s+0\\.01438\\s+USD");
        }

        @Test
        void anEmptyListSaysSo() {
            assertThat(run("search", "alice", "nosuchword", "--format", "table").out()).isEqualTo("(no matches)"
                    + System.lineSeparator());
            assertThat(run("documents", "alice", "demo-lisbon", "--format", "table").out())
                    .startsWith("(no documents)");
        }
    }

    @Nested
    class Errors {

        @Test
        void anUnknownUserOrSessionIsAnErrorNotAnEmptyList() {
            for (String command : List.of("sessions nobody", "messages alice nosuch", "messages nobody demo-lisbon",
                    "search nobody csv", "usage nobody", "documents alice nosuch",
                    "messages alice nosuch --format json", "documents alice nosuch --format json")) {
                Run run = cli.run(command.split(" "));

                assertThat(run.exitCode()).as(command).isEqualTo(ChatStoreCommand.EXIT_ERROR);
                assertThat(run.err()).as(command).startsWith("error: ").contains("not found").doesNotContain("\tat ");
                assertThat(run.out()).as(command).isEmpty();
            }
        }

        @Test
        void lastAndAfterTogetherIsAUsageError() {
            Run run = cli.run("messages", "alice", "demo-large-csv", "--last", "2", "--after", "1");

            assertThat(run.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(run.err()).contains("mutually exclusive");
        }

        @Test
        void aBadFormatOrTimeIsAUsageErrorNamingTheChoices() {
            Run format = cli.run("users", "--format", "xml");
            assertThat(format.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(format.err()).contains("'xml' is not a format: use table, json or jsonl");

            Run time = cli.run("usage", "alice", "--from", "yesterday");
            assertThat(time.exitCode()).isEqualTo(ChatStoreCommand.EXIT_USAGE);
            assertThat(time.err()).contains("'yesterday' is not a date (2026-12-01) or an instant");
        }
    }

    @Test
    void readCommandsOpenTheStoreReadOnlyAndNeverCreateIt() {
        for (String command : READ_COMMANDS) {
            opened.clear();
            run(command.split(" "));

            assertThat(opened).as(command).singleElement().satisfies(config -> {
                assertThat(config.readOnly()).as(command + ": store.read-only").isTrue();
                assertThat(config.createIfMissing()).as(command + ": store.create-if-missing").isFalse();
            });
        }
    }

    @Nested
    class OnAFileStore {

        private String url;

        @BeforeEach
        void fileStore() {
            url = "file:" + dir.resolve("data");
            try (ChatStore store = ChatStore.open(url)) {
                store.users().create("alice");
                store.sessions().create("alice", NewSession.titled("notes").withId("s1"));
                store.messages().append("alice", "s1", NewMessage.user("remember the csv import"));
            }
        }

        @Test
        void readCommandsWorkOnAnExistingStore() {
            Cli files = new Cli();

            assertThat(files.run("--url", url, "users").out()).contains("\"id\":\"alice\"");
            assertThat(files.run("--url", url, "sessions", "alice").out()).contains("\"id\":\"s1\"");
            assertThat(files.run("--url", url, "messages", "alice", "s1").out()).contains("remember the csv import");
            assertThat(files.run("--url", url, "search", "alice", "csv").out()).contains("remember the csv import");
            assertThat(files.run("--url", url, "usage", "alice").exitCode()).isZero();
            assertThat(files.run("--url", url, "documents", "alice", "s1").exitCode()).isZero();
        }

        /**
         * Issue 8 item 5: a read command on a mistyped {@code file:} path fails with "no Chatstore store at" and
         * creates nothing. The command asks for it ({@code store.create-if-missing=false}, asserted by
         * {@link ReadCommandsTest#readCommandsOpenTheStoreReadOnlyAndNeverCreateIt}).
         *
         * <p>Needs the file backend to honour {@code store.create-if-missing} (port-v2 5fd2426): before that, the
         * command printed nothing, exited 0 and created the directory.
         */
        @Test
        void aMistypedPathIsNoStoreAndCreatesNothing() {
            Path typo = dir.resolve("dta");
            for (String command : READ_COMMANDS) {
                Run run = new Cli().run(Stream.concat(Stream.of("--url", "file:" + typo),
                        Stream.of(command.split(" "))).toArray(String[]::new));

                assertThat(run.exitCode()).as(command).isNotZero();
                assertThat(run.err()).as(command).contains("no Chatstore store at").doesNotContain("\tat ");
                assertThat(typo).as(command + " must create nothing").doesNotExist();
            }
        }

        /**
         * Issue 8 item 2: a read-only open writes nothing. Needs the file backend to honour {@code store.read-only}
         * (port-v2 5fd2426): before that, {@code sessions} wrote the derived index {@code users/alice/sessions.idx}.
         */
        @Test
        void aReadCommandChangesNoByteOfTheStore() throws IOException {
            Map<Path, String> before = snapshot(dir.resolve("data"));

            for (String command : List.of("users", "sessions alice", "messages alice s1", "search alice csv",
                    "usage alice", "documents alice s1")) {
                Run run = new Cli().run(Stream.concat(Stream.of("--url", url), Stream.of(command.split(" ")))
                        .toArray(String[]::new));
                assertThat(run.exitCode()).as(command + ": " + run.err()).isZero();
            }

            assertThat(snapshot(dir.resolve("data"))).isEqualTo(before);
        }

        /** Every file under the store with its content's hash: any write, new file or deletion changes it. */
        private static Map<Path, String> snapshot(Path root) throws IOException {
            Map<Path, String> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(root.relativize(p), java.util.HexFormat.of().formatHex(
                            sha256(Files.readAllBytes(p))));
                }
            }
            return files;
        }

        private static byte[] sha256(byte[] bytes) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
