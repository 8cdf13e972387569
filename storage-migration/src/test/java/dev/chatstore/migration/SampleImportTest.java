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

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clean samples of {@code legacy-samples} end exactly as {@code expected.json} says, on every backend: counts,
 * token and cost totals, decrypted API keys, nothing rejected, exit status 0.
 */
class SampleImportTest {

    @TempDir
    Path tmp;

    private JsonObject expected(String seed) throws Exception {
        return JsonObject.parse(Samples.expectedJson()).getObject(seed).orElseThrow();
    }

    private static long num(JsonObject o, String key) {
        return ((Number) o.members().get(key)).longValue();
    }

    @ParameterizedTest
    @EnumSource(TestStore.Backend.class)
    void chatSyncSampleEndsAsExpected(TestStore.Backend backend) throws Exception {
        JsonObject exp = expected("seed000");
        Path source = Samples.copy("seed000", tmp);
        Path report = tmp.resolve("report.jsonl");
        try (TestStore t = TestStore.open(backend, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.CHAT_SYNC, t.store, source.resolve("chatStore.json"),
                    ImportOptions.defaults().withReport(report));

            assertThat(s.exitCode()).as(s.describe()).isZero();
            assertThat(Files.readString(report)).isEmpty();
            assertThat(s.of("session").imported()).isEqualTo(num(exp, "sessions"));
            assertThat(s.of("message").imported()).isEqualTo(num(exp, "messages"));
            assertThat(t.sessionCount()).isEqualTo(num(exp, "sessions"));
            assertThat(t.allMessages()).hasSize((int) num(exp, "messages"));
            Session chat0 = t.store.sessions().get(ImportOptions.DEFAULT_USER_ID, "chat-0").orElseThrow();
            assertThat(chat0.title()).isEqualTo(exp.getString("title_of_chat-0").orElseThrow());
            // lastModified, isArchived, model and provider kept
            assertThat(chat0.metadata().getString("lastModified")).contains("2024-02-09T21:20:02.089Z");
            assertThat(chat0.archived()).isTrue();
            assertThat(chat0.model()).contains("gpt-4");
            assertThat(chat0.provider()).isPresent();
            List<Message> log = t.messages(ImportOptions.DEFAULT_USER_ID, "chat-0");
            assertThat(log.get(0).id()).isEqualTo("msg-0-0");
            assertThat(log.get(0).createdAt()).hasToString("2024-05-10T12:50:44.670Z");
            assertThat(log).extracting(Message::seq).containsExactly(
                    java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toArray(Long[]::new));
            assertThat(chat0.messageCount()).isEqualTo(log.size());
            assertThat(chat0.lastMessageAt()).contains(log.get(log.size() - 1).createdAt());
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Backend.class)
    void pythonAppSampleEndsAsExpected(TestStore.Backend backend) throws Exception {
        JsonObject exp = expected("seed001");
        Path source = Samples.copy("seed001", tmp);
        Path report = tmp.resolve("report.jsonl");
        try (TestStore t = TestStore.open(backend, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.PYTHON_APP, t.store, source,
                    ImportOptions.defaults().withReport(report).withLegacyKey(exp.getString("legacy_fernet_key").orElseThrow()));

            assertThat(s.exitCode()).as(s.describe()).isZero();
            assertThat(Files.readString(report)).isEmpty();
            List<User> users = t.store.users().list();
            assertThat(users).hasSize((int) num(exp, "users"));
            assertThat(s.of("message").imported()).isEqualTo(num(exp, "messages"));
            List<Message> all = t.allMessages();
            assertThat(all).hasSize((int) num(exp, "messages"));
            long in = all.stream().mapToLong(m -> m.usage().map(u -> u.inputTokens()).orElse(0L)).sum();
            long out = all.stream().mapToLong(m -> m.usage().map(u -> u.outputTokens()).orElse(0L)).sum();
            BigDecimal cost = all.stream().map(m -> m.usage().map(u -> u.cost()).orElse(BigDecimal.ZERO))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(in).isEqualTo(num(exp, "input_tokens"));
            assertThat(out).isEqualTo(num(exp, "output_tokens"));
            assertThat(cost).isEqualByComparingTo((BigDecimal) exp.members().get("cost"));
            // the store's own usage report agrees
            BigDecimal reported = users.stream().flatMap(u -> t.store.usage().forUser(u.id()).groups().stream())
                    .map(g -> g.cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(reported).isEqualByComparingTo(cost);
            for (User u : users) {
                assertThat(t.store.credentials().providers(u.id())).hasSize((int) num(exp, "api_keys_per_user"));
                assertThat(t.store.credentials().get(u.id(), "openai")).contains("sk-test-" + u.id() + "-openai");
                assertThat(u.profile().getString("email")).contains(u.id() + "@example.com");
                assertThat(u.displayName()).startsWith("User ");
            }
            Session conv = t.store.sessions().get("user_0", "conv_0_0").orElseThrow();
            assertThat(conv.model()).contains("gpt-4o");
            assertThat(conv.createdAt()).hasToString("2024-09-25T18:41:45.482Z");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Backend.class)
    void jsonStoreSampleEndsAsExpected(TestStore.Backend backend) throws Exception {
        JsonObject exp = expected("seed003");
        Path source = Samples.copy("seed003", tmp);
        Path report = tmp.resolve("report.jsonl");
        try (TestStore t = TestStore.open(backend, tmp)) {
            ImportSummary s = LegacyImports.run(LegacyFormat.JSON_STORE, t.store, source,
                    ImportOptions.defaults().withReport(report));

            assertThat(s.exitCode()).as(s.describe()).isZero();
            assertThat(Files.readString(report)).isEmpty();
            assertThat(t.sessionCount()).isEqualTo(num(exp, "sessions"));
            assertThat(t.allMessages()).hasSize((int) num(exp, "messages"));
            // personas/ are global personas; characters/ (which name their user) become that user's personas
            assertThat(t.store.personas().list(PersonaScope.global())).hasSize((int) num(exp, "personas"));
            assertThat(t.store.personas().list(PersonaScope.user("user-1")))
                    .hasSize(5)
                    .allSatisfy(p -> assertThat(p.data().getString("legacyKind")).contains("character"));
            Session c0 = t.store.sessions().get("user-1", "c00000").orElseThrow();
            assertThat(c0.metadata().getString("characterId")).contains("char-0");
            assertThat(c0.createdAt()).hasToString("2023-12-26T22:01:49.673Z");
            assertThat(t.store.sessions().get("user-1", "c00002").orElseThrow().messageCount()).isZero();
        }
    }
}
