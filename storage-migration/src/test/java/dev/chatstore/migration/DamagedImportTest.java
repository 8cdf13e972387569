package dev.chatstore.migration;

import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;
import dev.chatstore.migration.legacy.LegacyImports;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.chatstore.migration.LegacyStores.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated stores with every kind of damage a real one has: each damaged record is reported with its file, line
 * (or JSON path) and reason, the run's exit status says so, and every valid record next to it is imported.
 */
class DamagedImportTest {

    @TempDir
    Path tmp;

    private static String msg(String id, String role, String content, String ts) {
        return "{\"id\":" + q(id) + ",\"role\":" + q(role) + ",\"content\":" + q(content) + ",\"timestamp\":" + q(ts) + "}";
    }

    private static String chat(String id, String title, String... messages) {
        return "{\"id\":" + q(id) + ",\"title\":" + q(title) + ",\"messages\":[" + String.join(",", messages)
                + "],\"createdAt\":\"2024-01-15T10:00:00.000Z\",\"updatedAt\":\"2024-01-15T10:30:00.000Z\","
                + "\"lastModified\":\"2024-01-15T10:31:00.000Z\",\"model\":\"gpt-4\",\"provider\":\"openai\",\"isArchived\":false}";
    }

    @ParameterizedTest
    @EnumSource(TestStore.Backend.class)
    void chatSyncDamageIsReportedRecordByRecord(TestStore.Backend backend) throws Exception {
        String t = "2024-01-15T10:30:00.000Z";
        String big = "x".repeat(1024 * 1024 + 1);
        List<String> chats = new ArrayList<>();
        chats.add(chat("ok-1", "fine", msg("a", "user", "hello", t), msg("b", "assistant", "hi", t)));           // line 2
        chats.add("{\"title\":\"no id\",\"messages\":[" + msg("c", "user", "lost", t) + "]}");                  // line 3
        chats.add(chat("dup", "first", msg("d1", "user", "old", t)));                                            // line 4
        chats.add(chat("bad-msgs", "mixed",                                                                      // line 5
                "{\"id\":\"m0\",\"content\":\"no role\",\"timestamp\":" + q(t) + "}",
                msg("m1", "user", big, t),
                msg("m2", "user", "kept 1", t),
                msg("m2", "user", "duplicate id", t),
                msg("m3", "user", "bad time", "yesterday"),
                msg("m4", "bot", "odd role", t),
                "{\"id\":\"m5\",\"role\":\"user\",\"content\":[\"parts\"],\"timestamp\":" + q(t) + "}",
                "{\"id\":\"m6\",\"role\":\"user\",\"content\":\"lone \\ud800 surrogate\",\"timestamp\":" + q(t) + "}",
                "{\"id\":\"m7\",\"role\":\"assistant\",\"content\":\"neg\",\"timestamp\":" + q(t)
                        + ",\"usage\":{\"inputTokens\":-1,\"outputTokens\":2,\"cost\":0.1}}",
                "{\"id\":\"m8\",\"role\":\"assistant\",\"content\":\"kept 2\",\"timestamp\":" + q(t)
                        + ",\"reactions\":[\"+1\"],\"usage\":{\"inputTokens\":10,\"outputTokens\":20,\"cost\":0.0015}}"));
        chats.add(chat("../x", "hostile", msg("h1", "user", "kept 3", t)));                                     // line 6
        chats.add(chat("dup", "second", msg("d2", "user", "new", t), msg("d3", "assistant", "newer", t)));       // line 7
        chats.add("{\"id\":\"extra\",\"title\":\"unknown fields\",\"folder\":\"work\",\"pinned\":true,\"messages\":["
                + msg("e1", "user", "kept 4", t) + "],\"createdAt\":\"not a date\"}");                             // line 8
        chats.add(chat("torn", "cut", msg("t1", "user", "complete", t), msg("t2", "user", "also complete", t)));  // line 9
        String json = "[\n" + String.join(",\n", chats) + "\n]\n";
        json = json.substring(0, json.lastIndexOf("also complete") + 5); // a crash mid-write: the tail is gone
        Path dir = Files.createDirectories(tmp.resolve("chat-sync"));
        Files.writeString(dir.resolve("chatStore.json"), json, StandardCharsets.UTF_8);
        Path reportFile = tmp.resolve("report.jsonl");

        try (TestStore store = TestStore.open(backend, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.CHAT_SYNC, store.store, dir,
                    ImportOptions.defaults().withReport(reportFile).withDefaultUserId("owner"));
            Report r = Report.read(reportFile);

            Report.at(r.one("chat without an id"), "chatStore.json", 3, "$[1]", "session", "skipped");
            Report.at(r.one("duplicate chat id"), "chatStore.json", 4, "$[2]", "session", "superseded");
            Report.at(r.one("missing role"), "chatStore.json", 5, "$[3].messages[0]", "message", "skipped");
            Report.at(r.one("oversize message"), "chatStore.json", 5, "$[3].messages[1]", "message", "skipped");
            Report.at(r.one("duplicate message id"), "chatStore.json", 5, "$[3].messages[3]", "message", "skipped");
            Report.at(r.one("bad timestamp: timestamp is 'yesterday'"), "chatStore.json", 5, "$[3].messages[4]",
                    "message", "skipped");
            Report.at(r.one("role 'bot'"), "chatStore.json", 5, "$[3].messages[5]", "message", "skipped");
            Report.at(r.one("content is an array"), "chatStore.json", 5, "$[3].messages[6]", "message", "skipped");
            Report.at(r.one("unpaired surrogate"), "chatStore.json", 5, "$[3].messages[7]", "message", "skipped");
            Report.at(r.one("bad usage"), "chatStore.json", 5, "$[3].messages[8]", "message", "skipped");
            Report.at(r.one("chat id is not a valid Chatstore ID"), "chatStore.json", 6, "$[4]", "session", "mapped");
            Report.at(r.one("bad timestamp: createdAt"), "chatStore.json", 8, "$[6]", "session", "mapped");
            Report.at(r.one("torn JSON: the chat"), "chatStore.json", 9, "$[7]", "session", "failed");
            Report.at(r.one("torn JSON file"), "chatStore.json", 9, "$[7]", "file", "failed");
            assertThat(r.lines()).hasSize(14);
            assertThat(s.findings()).isEqualTo(14);
            assertThat(s.exitCode()).isEqualTo(ImportSummary.EXIT_FAILURES);
            assertThat(s.of("session")).isEqualTo(new EntityCounts(5, 2, 1));
            assertThat(s.of("message")).isEqualTo(new EntityCounts(8, 10, 1));

            // nothing valid next to the damage is lost
            assertThat(store.sessions("owner")).extracting(Session::title)
                    .containsExactlyInAnyOrder("fine", "mixed", "hostile", "second", "unknown fields");
            assertThat(store.messages("owner", "ok-1")).extracting(Message::content).containsExactly("hello", "hi");
            assertThat(store.messages("owner", "dup")).extracting(Message::content).containsExactly("new", "newer");
            List<Message> mixed = store.messages("owner", "bad-msgs");
            assertThat(mixed).extracting(Message::content).containsExactly("kept 1", "kept 2");
            assertThat(mixed).extracting(Message::seq).containsExactly(1L, 2L);
            assertThat(mixed.get(1).metadata().members().get("reactions")).isEqualTo(List.of("+1"));
            assertThat(mixed.get(1).usage().orElseThrow().cost()).isEqualByComparingTo("0.0015");
            Session hostile = store.sessions("owner").stream().filter(x -> x.title().equals("hostile")).findFirst().orElseThrow();
            assertThat(hostile.id()).startsWith("legacy-").doesNotContain("/");
            assertThat(hostile.metadata().getString("legacyId")).contains("../x");
            assertThat(store.messages("owner", hostile.id())).extracting(Message::content).containsExactly("kept 3");
            Session extra = store.store.sessions().get("owner", "extra").orElseThrow();
            assertThat(extra.metadata().getString("folder")).contains("work");
            assertThat(extra.metadata().members().get("pinned")).isEqualTo(true);
            assertThat(extra.metadata().getString("createdAt")).contains("not a date");
            assertThat(store.store.sessions().get("owner", "torn")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Backend.class)
    void pythonAppDamageIsReportedRecordByRecord(TestStore.Backend backend) throws Exception {
        String key = LegacyStores.FERNET_KEY;
        Path dir = Files.createDirectories(tmp.resolve("python/user_data"));
        Files.writeString(dir.resolveSibling("users.json"), """
                {
                  "alice": {"email": "a@example.com", "name": "Alice old", "created_at": "2024-01-01T00:00:00Z"},
                  "bob": {"email": "b@example.com", "name": "Bob", "created_at": "sometime", "plan": "pro"},
                  "../evil": {"email": "e@example.com", "name": "Evil", "created_at": "2024-01-01T00:00:00Z"},
                  "alice": {"email": "a2@example.com", "name": "Alice", "created_at": "2024-02-01T00:00:00Z"}
                }
                """);
        Files.writeString(dir.resolve("alice.json"), "{\n"
                + "\"api_keys\": {\"openai\": " + q(LegacyStores.fernet(key, "sk-alice")) + ",\n"
                + "  \"anthropic\": " + q(LegacyStores.fernet(key, "sk-alice-2").replace('A', 'B')) + ",\n"
                + "  \"bad/provider\": " + q(LegacyStores.fernet(key, "sk-x")) + "},\n"
                + "\"conversations\": {\n"
                + "\"c1\": {\"title\": \"one\", \"messages\": [{\"role\": \"user\", \"content\": \"q\"},\n"
                + "  {\"role\": \"assistant\", \"content\": \"a\", \"input_tokens\": 5, \"output_tokens\": -3, \"cost\": 0.1},\n"
                + "  {\"content\": \"no role\"},\n"
                + "  {\"role\": \"assistant\", \"content\": \"a2\", \"input_tokens\": 5, \"output_tokens\": 7, \"cost\": 0.25}],\n"
                + "  \"provider\": \"openai\", \"model\": \"gpt-4o\", \"timestamp\": \"2024-03-01T00:00:00Z\"},\n"
                + "\"c2\": {\"title\": \"first c2\", \"messages\": [{\"role\": \"user\", \"content\": \"old\"}], \"timestamp\": \"2024-03-01T00:00:00Z\"},\n"
                + "\"c2\": {\"title\": \"second c2\", \"messages\": [{\"role\": \"user\", \"content\": \"new\"}], \"timestamp\": \"2024-03-02T00:00:00Z\"},\n"
                + "\"c3\": {\"title\": \"bad time\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"timestamp\": \"soon\"}\n"
                + "},\n\"theme\": \"dark\"\n}\n");
        Files.writeString(dir.resolve("carol.json"), "{\"conversations\": {\"k1\": {\"title\": \"carol's\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"timestamp\": \"2024-05-01T00:00:00Z\"},\n"
                + "\"k2\": {\"title\": \"torn\", \"messages\": [{\"role\": \"user\", \"content\": \"cut");
        Path reportFile = tmp.resolve("report.jsonl");

        try (TestStore store = TestStore.open(backend, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.PYTHON_APP, store.store, dir.getParent(),
                    ImportOptions.defaults().withReport(reportFile).withLegacyKey(key));
            Report r = Report.read(reportFile);

            Report.at(r.one("duplicate user id"), "users.json", 2, null, "user", "superseded");
            Report.at(r.one("bad timestamp: created_at is 'sometime'"), "users.json", 3, null, "user", "mapped");
            Report.at(r.one("user id is not a valid Chatstore ID"), "users.json", 4, null, "user", "mapped");
            Report.at(r.one("HMAC mismatch"), "user_data/alice.json", 3, "$.api_keys['anthropic']", "credential", "skipped");
            Report.at(r.one("provider name"), "user_data/alice.json", 4, null, "credential", "skipped");
            Report.at(r.one("bad usage: output_tokens is a number -3"), "user_data/alice.json", 7,
                    "$.conversations['c1'].messages[1]", "message", "skipped");
            Report.at(r.one("missing role"), "user_data/alice.json", 8, "$.conversations['c1'].messages[2]", "message", "skipped");
            Report.at(r.one("duplicate conversation id"), "user_data/alice.json", 11, "$.conversations['c2']", "session", "superseded");
            Report.at(r.one("the conversation's timestamp is 'soon'"), "user_data/alice.json", 13, null, "message", "skipped");
            Report.at(r.one("bad timestamp: timestamp is 'soon'"), "user_data/alice.json", 13, null, "session", "mapped");
            Report.at(r.one("missing from users.json"), "user_data/carol.json", 0, null, "user", "mapped");
            Report.at(r.one("torn JSON: the conversation"), "user_data/carol.json", 2, null, "session", "failed");
            Report.at(r.one("torn JSON file"), "user_data/carol.json", 2, null, "file", "failed");
            assertThat(r.lines()).hasSize(13);
            assertThat(s.exitCode()).isEqualTo(ImportSummary.EXIT_FAILURES);

            User alice = store.store.users().get("alice").orElseThrow();
            assertThat(alice.displayName()).isEqualTo("Alice");
            assertThat(alice.profile().getObject("userData").orElseThrow().getString("theme")).contains("dark");
            User bob = store.store.users().get("bob").orElseThrow();
            assertThat(bob.profile().getString("plan")).contains("pro");
            assertThat(bob.profile().getString("created_at")).contains("sometime");
            assertThat(store.store.users().list()).extracting(User::id).hasSize(4).contains("carol")
                    .anySatisfy(id -> assertThat(id).startsWith("legacy-"));
            assertThat(store.store.credentials().get("alice", "openai")).contains("sk-alice");
            assertThat(store.store.credentials().providers("alice")).containsExactly("openai");
            assertThat(store.messages("alice", "c1")).extracting(Message::content).containsExactly("q", "a2");
            assertThat(store.messages("alice", "c1").get(1).model()).contains("gpt-4o");
            assertThat(store.messages("alice", "c2")).extracting(Message::content).containsExactly("new");
            assertThat(store.store.sessions().get("alice", "c3").orElseThrow().messageCount()).isZero();
            assertThat(store.messages("carol", "k1")).extracting(Message::content).containsExactly("hi");
            assertThat(store.store.sessions().get("carol", "k2")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Backend.class)
    void pythonAppWithoutLegacyKeyReportsEveryApiKey(TestStore.Backend backend) throws Exception {
        Path src = LegacyStores.pythonApp(tmp.resolve("py"), 2, 1, 2);
        Path reportFile = tmp.resolve("report.jsonl");
        try (TestStore store = TestStore.open(backend, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.PYTHON_APP, store.store, src,
                    ImportOptions.defaults().withReport(reportFile));
            assertThat(Report.read(reportFile).all("no legacy key was given")).hasSize(2);
            assertThat(s.of("credential")).isEqualTo(new EntityCounts(0, 2, 0));
            assertThat(store.store.credentials().providers("u0")).isEmpty();
            assertThat(s.of("message").imported()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Backend.class)
    void jsonStoreDamageIsReportedRecordByRecord(TestStore.Backend backend) throws Exception {
        Path data = LegacyStores.jsonStore(tmp.resolve("js"), 4, 3);
        Path idx = data.resolve("chats/index.jsonl");
        String index = Files.readString(idx);
        index = index + "{\"id\": \"c00001\", \"userId\": \"user-1\", \"title\": \"renamed\", \"createdAt\": \"2024-01-01T00:00:00Z\"}\n" // line 5
                + "{\"id\": \"c00009\", this is not json}\n"                                                                  // line 6
                + "{\"id\": \"../x\", \"title\": \"hostile\", \"createdAt\": \"2024-01-01T00:00:00Z\"}\n"                     // line 7
                + "{\"id\": \"c00008\", \"title\": \"torn";                                                                      // line 8
        Files.writeString(idx, index);
        Path log2 = data.resolve("chats/c00002.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(log2));
        lines.add(1, "{\"type\": \"message\", \"id\": \"garbage\" ,,}");                  // line 2
        lines.add("{\"type\": \"edit\", \"id\": \"c00002-m0\", \"content\": \"changed\"}"); // line 5
        lines.add("{\"type\": \"message\", \"id\": \"nr\", \"content\": \"no role\", \"createdAt\": \"2024-01-01T00:00:00Z\"}"); // 6
        Files.writeString(log2, String.join("\n", lines) + "\n{\"type\": \"message\", \"id\": \"cut\", \"role\": \"us");  // 7, torn
        Files.writeString(data.resolve("chats/orphan.jsonl"), "{\"type\": \"message\", \"id\": \"o1\", \"role\": \"user\", "
                + "\"content\": \"nobody lists me\", \"createdAt\": \"2024-01-01T00:00:00Z\"}\n");
        Files.writeString(data.resolve("personas/broken.json"), "{\"id\": \"broken\", \"name\": ");
        Files.writeString(data.resolve("personas/persona-9.json"), "{\"id\": \"persona-0\", \"name\": \"same id\"}");
        Files.createDirectories(data.resolve("settings"));
        Files.writeString(data.resolve("settings/general.json"), "{\"user\": {\"name\": \"me\"}}");
        Path reportFile = tmp.resolve("report.jsonl");

        try (TestStore store = TestStore.open(backend, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.JSON_STORE, store.store, data.getParent(),
                    ImportOptions.defaults().withReport(reportFile));
            Report r = Report.read(reportFile);

            Report.at(r.one("torn JSON file"), "personas/broken.json", 1, null, "persona", "skipped");
            Report.at(r.one("duplicate persona id"), "personas/persona-9.json", 1, null, "persona", "superseded");
            Report.at(r.one("duplicate chat id in the index"), "chats/index.jsonl", 2, null, "session", "superseded");
            Report.at(r.one("chats/index.jsonl", "bad JSON line"), "chats/index.jsonl", 6, null, "session", "skipped");
            Report.at(r.one("chats/index.jsonl", "torn last line"), "chats/index.jsonl", 8, null, "session", "skipped");
            Report.at(r.one("chat id is not a valid Chatstore ID"), "chats/index.jsonl", 7, null, "session", "mapped");
            Report.at(r.one("chats/c00002.jsonl", "bad JSON line"), "chats/c00002.jsonl", 2, null, "message", "skipped");
            Report.at(r.one("event type 'edit'"), "chats/c00002.jsonl", 5, null, "message", "skipped");
            Report.at(r.one("missing role"), "chats/c00002.jsonl", 6, null, "message", "skipped");
            Report.at(r.one("chats/c00002.jsonl", "torn last line"), "chats/c00002.jsonl", 7, null, "message", "skipped");
            Report.at(r.one("chat log without an index entry"), "chats/orphan.jsonl", 0, null, "session", "skipped");
            Report.at(r.one("Chatstore has no entity for settings"), "settings/", 0, null, "file", "skipped");
            assertThat(r.lines()).hasSize(12);
            assertThat(s.exitCode()).isEqualTo(ImportSummary.EXIT_FINDINGS);

            // the valid records are all there
            assertThat(store.messages("user-2", "c00002")).extracting(Message::id)
                    .containsExactly("c00002-m0", "c00002-m1", "c00002-m2");
            assertThat(store.store.sessions().get("user-1", "c00001").orElseThrow().title()).isEqualTo("renamed");
            assertThat(store.messages("user-1", "c00001")).hasSize(3);
            assertThat(store.messages("user-0", "c00000")).hasSize(3);
            assertThat(store.messages("user-0", "c00003")).hasSize(3);
            Session hostile = store.sessions(ImportOptions.DEFAULT_USER_ID).get(0);
            assertThat(hostile.metadata().getString("legacyId")).contains("../x");
            assertThat(store.store.personas().list(PersonaScope.global())).extracting(p -> p.id())
                    .containsExactly("persona-0", "persona-1");
            assertThat(store.store.personas().find(PersonaScope.global(), "persona-0").orElseThrow().data()
                    .getString("name")).contains("Persona 0");
            JsonObject orphanCheck = JsonObject.of("sessions", store.sessionCount());
            assertThat(orphanCheck.members().get("sessions")).isEqualTo(5L);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "garbage", "{\"not\": \"an array\"}", "[{\"id\": \"a\", "})
    void anUnreadableChatStoreJsonIsAFailureNeverAnEmptyStore(String content) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("chatStore.json"), content);
        Path reportFile = tmp.resolve("report.jsonl");
        try (TestStore store = TestStore.open(TestStore.Backend.FILE, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.CHAT_SYNC, store.store, dir,
                    ImportOptions.defaults().withReport(reportFile));
            assertThat(s.exitCode()).isEqualTo(ImportSummary.EXIT_FAILURES);
            assertThat(s.of("file").failed()).isEqualTo(1);
            assertThat(Report.read(reportFile).lines()).isNotEmpty()
                    .allSatisfy(f -> assertThat(f.getString("file")).contains("chatStore.json"));
            assertThat(store.sessionCount()).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void optionsNeverPrintTheLegacyKey() {
        assertThat(ImportOptions.defaults().withLegacyKey("secret-key-value").toString())
                .doesNotContain("secret-key-value").contains("(set)");
    }
}
