package dev.chatstore.api.config;

import dev.chatstore.api.config.ChatStoreConfig.Source;
import dev.chatstore.api.error.StorageConfigurationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatStoreConfigTest {

    private static final String KEY_A = Base64.getEncoder().encodeToString(bytes(32, 1));
    private static final String KEY_B = Base64.getEncoder().encodeToString(bytes(32, 2));

    @TempDir
    Path dir;

    /** A builder that reads only the given system properties and environment, never the real ones. */
    private static ChatStoreConfig.Builder sources(Properties sys, Map<String, String> env) {
        return ChatStoreConfig.builder().systemProperties(sys).environment(env);
    }

    private static ChatStoreConfig.Builder noSources() {
        return sources(new Properties(), Map.of());
    }

    private static Properties props(String... keysAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private Path file(String... lines) throws IOException {
        Path f = Files.createTempFile(dir, "chatstore", ".properties");
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    @Nested
    class Defaults {

        @Test
        void builtInDefaultsMatchTheSeed() {
            ChatStoreConfig c = noSources().build();
            assertThat(c.url()).isEqualTo("file:./data");
            assertThat(c.profile()).isEqualTo(Profile.DEFAULT);
            assertThat(c.maxMessageBytes()).isEqualTo(1_048_576);
            assertThat(c.maxMessagesPerSession()).isEqualTo(100_000L);
            assertThat(c.maxSessionsPerUser()).isEqualTo(1_000);
            assertThat(c.maxDocumentBytes()).isEqualTo(100L * 1024 * 1024);
            assertThat(c.allowedDocumentExtensions()).containsExactly(".pdf", ".txt", ".md", ".json", ".csv", ".png", ".jpg", ".jpeg");
            assertThat(c.maxPersonasPerPanel()).isEqualTo(10);
            assertThat(c.maxContextHistory()).isEqualTo(100);
            assertThat(c.maxContextSummaryLength()).isEqualTo(500);
            assertThat(c.maxContextKeyPoints()).isEqualTo(10);
            assertThat(c.maxJsonBytes()).isEqualTo(1_048_576);
            assertThat(c.messageDefaultLimit()).isEqualTo(100);
            assertThat(c.sessionDefaultLimit()).isEqualTo(50);
            assertThat(c.searchDefaultLimit()).isEqualTo(20);
            assertThat(c.maxPageLimit()).isEqualTo(10_000);
            assertThat(c.searchMinWordLength()).isEqualTo(3);
            assertThat(c.insightRetentionDays()).isEqualTo(90);
            assertThat(c.durability()).isEqualTo(Durability.SYNC);
            assertThat(c.batchIntervalMillis()).isEqualTo(200);
            assertThat(c.encryptionKeys()).isEmpty();
            assertThat(c.activeKeyId()).isEmpty();
            assertThat(c.backendOptions()).isEmpty();
            for (Setting s : Setting.values()) {
                assertThat(c.source(s)).as(s.key()).isEqualTo(Source.DEFAULT);
                assertThat(c.value(s)).as(s.key()).isEqualTo(s.defaultValue());
            }
        }

        @Test
        void isolatedAndForUrlIgnoreTheEnvironment() {
            ChatStoreConfig c = ChatStoreConfig.forUrl("mem:");
            assertThat(c.url()).isEqualTo("mem:");
            assertThat(c.source(Setting.URL)).isEqualTo(Source.CODE);
            assertThat(c.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(Source.DEFAULT);
            assertThat(ChatStoreConfig.isolated().build().url()).isEqualTo("file:./data");
        }

        @Test
        void everySettingHasItsEnvironmentAndPropertyName() {
            assertThat(Setting.MAX_MESSAGE_BYTES.environmentName()).isEqualTo("CHATSTORE_LIMITS_MAX_MESSAGE_BYTES");
            assertThat(Setting.MAX_MESSAGE_BYTES.propertyName()).isEqualTo("chatstore.limits.max-message-bytes");
            assertThat(Setting.BATCH_INTERVAL_MILLIS.environmentName()).isEqualTo("CHATSTORE_DURABILITY_BATCH_INTERVAL_MILLIS");
            assertThat(Setting.byKey("durability")).contains(Setting.DURABILITY);
            assertThat(Setting.byKey("nope")).isEmpty();
            assertThat(Setting.all()).hasSize(Setting.values().length);
        }
    }

    @Nested
    class Precedence {

        private static final String KEY = "limits.max-message-bytes";
        private static final String ENV = "CHATSTORE_LIMITS_MAX_MESSAGE_BYTES";

        @Test
        void codeBeatsSystemPropertyBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
            Path f = file(KEY + "=4000");
            Properties sys = props("chatstore." + KEY, "2000");
            Map<String, String> env = Map.of(ENV, "3000");

            ChatStoreConfig all = sources(sys, env).propertiesFile(f).set(KEY, 1000).build();
            assertThat(all.maxMessageBytes()).isEqualTo(1000);
            assertThat(all.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(Source.CODE);

            ChatStoreConfig noCode = sources(sys, env).propertiesFile(f).build();
            assertThat(noCode.maxMessageBytes()).isEqualTo(2000);
            assertThat(noCode.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(Source.SYSTEM_PROPERTY);

            ChatStoreConfig envAndFile = sources(new Properties(), env).propertiesFile(f).build();
            assertThat(envAndFile.maxMessageBytes()).isEqualTo(3000);
            assertThat(envAndFile.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(Source.ENVIRONMENT);

            ChatStoreConfig fileOnly = noSources().propertiesFile(f).build();
            assertThat(fileOnly.maxMessageBytes()).isEqualTo(4000);
            assertThat(fileOnly.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(Source.FILE);

            ChatStoreConfig none = noSources().build();
            assertThat(none.maxMessageBytes()).isEqualTo(1_048_576);
            assertThat(none.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(Source.DEFAULT);
        }

        @Test
        void profileSitsBetweenTheFileAndTheDefaults() throws IOException {
            String key = "paging.message-default-limit"; // production profile: 50, default: 100
            Path f = file(key + "=4");
            assertThat(noSources().profile(Profile.PRODUCTION).propertiesFile(f).build().messageDefaultLimit()).isEqualTo(4);
            ChatStoreConfig profileOnly = noSources().profile(Profile.PRODUCTION).build();
            assertThat(profileOnly.messageDefaultLimit()).isEqualTo(50);
            assertThat(profileOnly.source(Setting.MESSAGE_DEFAULT_LIMIT)).isEqualTo(Source.PROFILE);
            assertThat(sources(new Properties(), Map.of("CHATSTORE_PAGING_MESSAGE_DEFAULT_LIMIT", "3"))
                    .profile(Profile.PRODUCTION).build().messageDefaultLimit()).isEqualTo(3);
            assertThat(sources(props("chatstore." + key, "2"), Map.of()).profile(Profile.PRODUCTION).build()
                    .messageDefaultLimit()).isEqualTo(2);
            assertThat(noSources().profile(Profile.PRODUCTION).set(key, 1).build().messageDefaultLimit()).isEqualTo(1);
        }

        @Test
        void theFileIsNamedByTheConfigKeyFromTheEnvironmentOrSystemProperties() throws IOException {
            Path f = file("limits.max-sessions-per-user=7");
            assertThat(sources(new Properties(), Map.of("CHATSTORE_CONFIG", f.toString())).build().maxSessionsPerUser())
                    .isEqualTo(7);
            assertThat(sources(props("chatstore.config", f.toString()), Map.of()).build().maxSessionsPerUser()).isEqualTo(7);
        }

        @Test
        void fileKeysMayCarryTheChatstorePrefix() throws IOException {
            Path f = file("chatstore.limits.max-sessions-per-user=8", "durability=batch");
            ChatStoreConfig c = noSources().propertiesFile(f).build();
            assertThat(c.maxSessionsPerUser()).isEqualTo(8);
            assertThat(c.durability()).isEqualTo(Durability.BATCH);
        }

        @Test
        void aFileMustNotNameAnotherFile() throws IOException {
            Path f = file("config=/etc/other.properties");
            assertThatThrownBy(() -> noSources().propertiesFile(f).build())
                    .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("must not name another file");
        }

        @Test
        void aMissingFileIsAnError() {
            Path missing = dir.resolve("absent.properties");
            assertThatThrownBy(() -> noSources().propertiesFile(missing).build())
                    .isInstanceOf(StorageConfigurationException.class).hasMessageContaining(missing.toString());
        }

        @Test
        void theEnvironmentMapIsCopied() {
            Map<String, String> env = new HashMap<>(Map.of("CHATSTORE_URL", "mem:a"));
            ChatStoreConfig.Builder b = sources(new Properties(), env);
            env.put("CHATSTORE_URL", "mem:b");
            assertThat(b.build().url()).isEqualTo("mem:a");
        }

        @Test
        void valuesAreTrimmed() {
            ChatStoreConfig c = sources(props("chatstore.limits.max-message-bytes", " 12 "),
                    Map.of("CHATSTORE_DURABILITY", " None ")).build();
            assertThat(c.maxMessageBytes()).isEqualTo(12);
            assertThat(c.durability()).isEqualTo(Durability.NONE);
        }
    }

    @Nested
    class Profiles {

        @Test
        void developmentAndProductionValues() {
            ChatStoreConfig dev = noSources().profile(Profile.DEVELOPMENT).build();
            assertThat(dev.url()).isEqualTo("file:./dev_data");
            assertThat(dev.messageDefaultLimit()).isEqualTo(100);
            ChatStoreConfig prod = noSources().profile(Profile.PRODUCTION).build();
            assertThat(prod.url()).isEqualTo("file:/var/lib/chatdb/data");
            assertThat(prod.messageDefaultLimit()).isEqualTo(50);
            assertThat(prod.searchDefaultLimit()).isEqualTo(10);
            assertThat(prod.source(Setting.URL)).isEqualTo(Source.PROFILE);
            assertThat(prod.source(Setting.MAX_MESSAGE_BYTES)).isEqualTo(Source.DEFAULT);
        }

        @Test
        void chosenByTheProfileKeyFromEachSource() throws IOException {
            assertThat(sources(new Properties(), Map.of("CHATSTORE_PROFILE", "production")).build().profile())
                    .isEqualTo(Profile.PRODUCTION);
            assertThat(sources(props("chatstore.profile", "Development"), Map.of()).build().profile())
                    .isEqualTo(Profile.DEVELOPMENT);
            assertThat(noSources().propertiesFile(file("profile=production")).build().url())
                    .isEqualTo("file:/var/lib/chatdb/data");
            assertThat(noSources().profile(Profile.PRODUCTION).build().profile()).isEqualTo(Profile.PRODUCTION);
        }

        @Test
        void theProfileKeyFollowsThePrecedenceToo() throws IOException {
            ChatStoreConfig c = sources(props("chatstore.profile", "development"), Map.of("CHATSTORE_PROFILE", "production"))
                    .propertiesFile(file("profile=production")).build();
            assertThat(c.profile()).isEqualTo(Profile.DEVELOPMENT);
            assertThat(sources(props("chatstore.profile", "development"), Map.of()).profile(Profile.PRODUCTION).build()
                    .profile()).as("profile(...) in code wins").isEqualTo(Profile.PRODUCTION);
        }

        @Test
        void anUnknownProfileIsAnError() {
            assertThatThrownBy(() -> sources(new Properties(), Map.of("CHATSTORE_PROFILE", "staging")).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("staging")
                    .hasMessageContaining("development, production");
        }

        @Test
        void byNameIsCaseInsensitive() {
            assertThat(Profile.byName(" PRODUCTION ")).contains(Profile.PRODUCTION);
            assertThat(Profile.byName("prod")).isEmpty();
        }
    }

    @Nested
    class UnknownKeys {

        @Test
        void inCode() {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().set("limits.max-mesage-bytes", 1))
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("'limits.max-mesage-bytes'")
                    .hasMessageContaining("(code)")
                    .hasMessageContaining("limits.max-message-bytes");
        }

        @Test
        void inSystemProperties() {
            assertThatThrownBy(() -> sources(props("chatstore.limits.max-mesage-bytes", "1"), Map.of()).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("'chatstore.limits.max-mesage-bytes'")
                    .hasMessageContaining("system property");
        }

        @Test
        void inTheEnvironment() {
            assertThatThrownBy(() -> sources(new Properties(), Map.of("CHATSTORE_LIMITS_MAX_MESAGE_BYTES", "1")).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("'CHATSTORE_LIMITS_MAX_MESAGE_BYTES'")
                    .hasMessageContaining("environment variable");
        }

        @Test
        void inTheFile() throws IOException {
            Path f = file("limits.max-mesage-bytes=1");
            assertThatThrownBy(() -> noSources().propertiesFile(f).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("'limits.max-mesage-bytes'")
                    .hasMessageContaining("file " + f);
        }

        @Test
        void inAnIsolatedBuildersFile() throws IOException {
            Path f = file("nope=1");
            assertThatThrownBy(() -> ChatStoreConfig.isolated().propertiesFile(f).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("'nope'")
                    .hasMessageContaining("file " + f);
        }

        @Test
        void testHarnessVariablesAndForeignVariablesAreIgnored() {
            Map<String, String> env = Map.of("CHATSTORE_TEST_BACKENDS", "all", "CHATSTORE_TEST_PG_URL", "jdbc:postgresql://x",
                    "PATH", "/usr/bin", "CHATSTOREX", "1", "HOME", "/root");
            Properties sys = props("chatstore.test.anything", "1", "java.version", "17", "chatstorex", "1");
            ChatStoreConfig c = sources(sys, env).build();
            assertThat(c.backendOptions()).isEmpty();
            assertThat(c.url()).isEqualTo("file:./data");
        }

        @Test
        void nullValuesInCodeAreRejected() {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().set(Setting.URL, null))
                    .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("url");
        }
    }

    @Nested
    class MalformedValues {

        @ParameterizedTest
        @ValueSource(strings = {"abc", "1.5", "0x10", "", "1 000", "99999999999999999999"})
        void notAWholeNumber(String value) {
            assertThatThrownBy(() -> sources(props("chatstore.limits.max-message-bytes", value), Map.of()).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("limits.max-message-bytes (system property)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "2147483648"})
        void outOfRangeInt(String value) {
            assertThatThrownBy(() -> sources(new Properties(), Map.of("CHATSTORE_LIMITS_MAX_MESSAGE_BYTES", value)).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("limits.max-message-bytes (environment)")
                    .hasMessageContaining("'" + value + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-5"})
        void outOfRangeLong(String value) {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().set(Setting.MAX_DOCUMENT_BYTES, value).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("limits.max-document-bytes (code)")
                    .hasMessageContaining("at least 1");
        }

        @Test
        void largeLongsAreFine() {
            ChatStoreConfig c = ChatStoreConfig.isolated().set(Setting.MAX_DOCUMENT_BYTES, 10L * 1024 * 1024 * 1024).build();
            assertThat(c.maxDocumentBytes()).isEqualTo(10L * 1024 * 1024 * 1024);
            assertThat(ChatStoreConfig.isolated().set(Setting.MAX_MESSAGE_BYTES, Integer.MAX_VALUE).build().maxMessageBytes())
                    .isEqualTo(Integer.MAX_VALUE);
        }

        @Test
        void underscoresGroupDigitsAndTheAccessorsAgree() {
            ChatStoreConfig c = ChatStoreConfig.isolated()
                    .set(Setting.MAX_MESSAGE_BYTES, "2_000_000")
                    .set(Setting.MAX_MESSAGES_PER_SESSION, "1_000_000")
                    .set(Setting.MAX_DOCUMENT_BYTES, "5_000")
                    .build();
            assertThat(c.maxMessageBytes()).isEqualTo(2_000_000);
            assertThat(c.maxMessagesPerSession()).isEqualTo(1_000_000L);
            assertThat(c.maxDocumentBytes()).isEqualTo(5_000L);
        }

        @Test
        void badDurability() {
            assertThatThrownBy(() -> sources(props("chatstore.durability", "sometimes"), Map.of()).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("durability (system property)")
                    .hasMessageContaining("sync, batch, none");
            assertThat(ChatStoreConfig.isolated().set("durability", "BATCH").build().durability()).isEqualTo(Durability.BATCH);
            assertThat(ChatStoreConfig.isolated().durability(Durability.NONE).build().durability()).isEqualTo(Durability.NONE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"pdf", ".pdf,txt", ".", "./x", ".a/b", ",", " , "})
        void badExtensionList(String value) throws IOException {
            Path f = file("limits.allowed-document-extensions=" + value);
            assertThatThrownBy(() -> noSources().propertiesFile(f).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("limits.allowed-document-extensions (file)");
        }

        @Test
        void extensionListsAreNormalised() {
            ChatStoreConfig c = ChatStoreConfig.isolated().set(Setting.ALLOWED_DOCUMENT_EXTENSIONS, " .PDF , .Md,,").build();
            assertThat(c.allowedDocumentExtensions()).containsExactly(".pdf", ".md");
            assertThat(ChatStoreConfig.isolated().set(Setting.ALLOWED_DOCUMENT_EXTENSIONS, "*").build()
                    .allowedDocumentExtensions()).containsExactly("*");
        }

        @Test
        void emptyUrl() {
            assertThatThrownBy(() -> sources(new Properties(), Map.of("CHATSTORE_URL", "  ")).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("url (environment)");
        }
    }

    @Nested
    class BackendOptions {

        @Test
        void passedThroughFromEverySourceWithThePrecedence() throws IOException {
            Path f = file("backend.pool-size=1", "backend.from-file=f");
            Properties sys = props("chatstore.backend.pool-size", "3", "chatstore.backend.from-sys", "s");
            Map<String, String> env = Map.of("CHATSTORE_BACKEND_POOL_SIZE", "2", "CHATSTORE_BACKEND_FROM_ENV", "e");
            ChatStoreConfig c = sources(sys, env).propertiesFile(f).backendOption("pool-size", 4).build();
            assertThat(c.backendOptions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "backend.pool-size", "4",
                    "backend.from-file", "f",
                    "backend.from-sys", "s",
                    "backend.from-env", "e"));
            assertThat(sources(sys, env).propertiesFile(f).build().backendOptions()).containsEntry("backend.pool-size", "3");
            assertThat(sources(new Properties(), env).propertiesFile(f).build().backendOptions())
                    .containsEntry("backend.pool-size", "2");
            assertThat(noSources().propertiesFile(f).build().backendOptions()).containsEntry("backend.pool-size", "1");
        }

        @Test
        void environmentNamesBecomeLowerCaseHyphenatedKeys() {
            ChatStoreConfig c = sources(new Properties(), Map.of("CHATSTORE_BACKEND_POOL_SIZE", "8")).build();
            assertThat(c.backendOptions()).containsExactly(Map.entry("backend.pool-size", "8"));
        }

        @Test
        void codeKeysGetThePrefixOnce() {
            ChatStoreConfig c = ChatStoreConfig.isolated().backendOption("a", 1).backendOption("backend.b", 2).build();
            assertThat(c.backendOptions()).containsOnlyKeys("backend.a", "backend.b");
            assertThatThrownBy(() -> c.backendOptions().put("backend.c", "3")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void aBareBackendPrefixInTheEnvironmentIsUnknown() {
            assertThatThrownBy(() -> sources(new Properties(), Map.of("CHATSTORE_BACKEND_", "x")).build())
                    .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("CHATSTORE_BACKEND_");
        }
    }

    @Nested
    class EncryptionKeys {

        @Test
        void oneKeyIsTheActiveOne() {
            ChatStoreConfig c = sources(new Properties(), Map.of("CHATSTORE_ENCRYPTION_KEYS", "k1:" + KEY_A)).build();
            assertThat(c.encryptionKeys()).containsOnlyKeys("k1");
            assertThat(c.encryptionKeys().get("k1")).isEqualTo(bytes(32, 1));
            assertThat(c.activeKeyId()).contains("k1");
        }

        @Test
        void severalKeysWithAnActiveId() {
            ChatStoreConfig c = ChatStoreConfig.isolated()
                    .set(Setting.ENCRYPTION_KEYS, " old:" + KEY_A + " , new:" + KEY_B)
                    .activeKeyId("new")
                    .build();
            assertThat(c.encryptionKeys()).containsOnlyKeys("old", "new");
            assertThat(c.activeKeyId()).contains("new");
        }

        @Test
        void theBuilderAddsKeys() {
            ChatStoreConfig c = ChatStoreConfig.isolated().encryptionKey("a", bytes(32, 1)).encryptionKey("b", bytes(32, 2))
                    .activeKeyId("b").build();
            assertThat(c.encryptionKeys().get("a")).isEqualTo(bytes(32, 1));
            assertThat(c.encryptionKeys().get("b")).isEqualTo(bytes(32, 2));
        }

        @Test
        void returnedKeysAreCopies() {
            ChatStoreConfig c = ChatStoreConfig.isolated().encryptionKey("a", bytes(32, 1)).build();
            c.encryptionKeys().get("a")[0] = 99;
            assertThat(c.encryptionKeys().get("a")).isEqualTo(bytes(32, 1));
        }

        @Test
        void wrongLength() {
            String shortKey = Base64.getEncoder().encodeToString(bytes(16, 1));
            assertThatThrownBy(() -> ChatStoreConfig.isolated().set(Setting.ENCRYPTION_KEYS, "k1:" + shortKey).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("encryption.keys (code)")
                    .hasMessageContaining("16 bytes")
                    .hasMessageContaining("32")
                    .hasMessageNotContaining(shortKey);
        }

        @Test
        void badBase64() {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().set(Setting.ENCRYPTION_KEYS, "k1:not*base64!").build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("not valid base64")
                    .hasMessageNotContaining("not*base64!");
        }

        @ParameterizedTest
        @ValueSource(strings = {"justakey", ":abc", "-bad:abc"})
        void malformedEntries(String value) {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().set(Setting.ENCRYPTION_KEYS, value).build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("encryption.keys");
        }

        @Test
        void duplicateId() {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().set(Setting.ENCRYPTION_KEYS, "k1:" + KEY_A + ",k1:" + KEY_B)
                    .activeKeyId("k1").build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("'k1' appears twice");
        }

        @Test
        void activeKeyNotAmongTheKeys() {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().encryptionKey("k1", bytes(32, 1)).activeKeyId("k9").build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("encryption.active-key-id (code)")
                    .hasMessageContaining("'k9'");
            assertThatThrownBy(() -> ChatStoreConfig.isolated().activeKeyId("k9").build())
                    .as("an active key with no keys at all")
                    .isInstanceOf(StorageConfigurationException.class);
        }

        @Test
        void twoKeysWithoutAnActiveId() {
            assertThatThrownBy(() -> ChatStoreConfig.isolated().encryptionKey("k1", bytes(32, 1)).encryptionKey("k2", bytes(32, 2))
                    .build())
                    .isInstanceOf(StorageConfigurationException.class)
                    .hasMessageContaining("encryption.active-key-id");
        }
    }

    @Nested
    class DescribeAndRoundTrip {

        @Test
        void describeMasksSecretsAndNamesSources() {
            ChatStoreConfig c = sources(new Properties(), Map.of("CHATSTORE_ENCRYPTION_KEYS", "k1:" + KEY_A))
                    .url("mem:").backendOption("pool-size", 2).build();
            List<String> lines = c.describe();
            assertThat(lines).contains("profile = default", "url = mem:  (code)", "encryption.keys = ****  (environment)",
                    "limits.max-message-bytes = 1048576  (default)", "backend.pool-size = 2");
            assertThat(String.join("\n", lines)).doesNotContain(KEY_A);
            assertThat(c.toString()).doesNotContain(KEY_A).contains("****");
            assertThat(noSources().build().describe()).contains("encryption.keys =   (default)");
        }

        @Test
        void toBuilderRoundTripsEveryValue() throws IOException {
            Path f = file("limits.max-sessions-per-user=7", "backend.from-file=f");
            ChatStoreConfig original = sources(props("chatstore.durability", "batch"),
                    Map.of("CHATSTORE_ENCRYPTION_KEYS", "a:" + KEY_A + ",b:" + KEY_B, "CHATSTORE_ENCRYPTION_ACTIVE_KEY_ID", "b",
                            "CHATSTORE_PROFILE", "production", "CHATSTORE_BACKEND_POOL_SIZE", "3"))
                    .propertiesFile(f)
                    .url("mem:copy")
                    .build();
            ChatStoreConfig copy = original.toBuilder().build();
            assertThat(copy.profile()).isEqualTo(Profile.PRODUCTION);
            for (Setting s : Setting.values()) {
                assertThat(copy.value(s)).as(s.key()).isEqualTo(original.value(s));
            }
            assertThat(copy.backendOptions()).isEqualTo(original.backendOptions());
            assertThat(copy.encryptionKeys()).containsOnlyKeys("a", "b");
            assertThat(copy.encryptionKeys().get("b")).isEqualTo(bytes(32, 2));
            assertThat(copy.activeKeyId()).contains("b");
            assertThat(copy.describe()).isEqualTo(copy.toBuilder().build().describe());
            // what the original took from a profile or a default keeps coming from there
            assertThat(copy.source(Setting.MESSAGE_DEFAULT_LIMIT)).isEqualTo(Source.PROFILE);
            assertThat(copy.source(Setting.MAX_PAGE_LIMIT)).isEqualTo(Source.DEFAULT);
            assertThat(copy.source(Setting.MAX_SESSIONS_PER_USER)).isEqualTo(Source.CODE);
        }

        @Test
        void toBuilderCanOverrideOneValue() {
            ChatStoreConfig original = ChatStoreConfig.isolated().url("mem:").set(Setting.MAX_SESSIONS_PER_USER, 5).build();
            ChatStoreConfig changed = original.toBuilder().set(Setting.MAX_SESSIONS_PER_USER, 6).build();
            assertThat(changed.maxSessionsPerUser()).isEqualTo(6);
            assertThat(changed.url()).isEqualTo("mem:");
            assertThat(original.maxSessionsPerUser()).isEqualTo(5);
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 17 + i);
        }
        return b;
    }
}
