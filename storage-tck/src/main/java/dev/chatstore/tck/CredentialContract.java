package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.spi.StoredCredential;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: credentials. Secrets are stored only encrypted (AES-256-GCM, a random nonce per value, the key ID
 * recorded), come back exactly through the API with the key configured, can be re-encrypted under a new key, and
 * a missing key or a damaged ciphertext is an error, never an empty answer.
 */
public abstract class CredentialContract extends TckSupport {

    private static final String USER = "cred-user";
    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) (fill * 37));
        k[0] = (byte) fill;
        return k;
    }

    /** Rewrites the first credential line of an export with {@code change}. */
    static String withCredentialChanged(String export, java.util.function.UnaryOperator<JsonObject> change) {
        List<String> lines = ExportImportContract.lines(export);
        int i = ExportImportContract.indexOfType(lines, "credential");
        lines.set(i, change.apply(JsonObject.parse(lines.get(i))).toJson());
        return ExportImportContract.unlines(lines);
    }

    /** Flips one bit of the decoded base64 value and encodes it again. */
    static String flipBit(String base64, int byteIndex) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[byteIndex % bytes.length] ^= 0x01;
        return Base64.getEncoder().encodeToString(bytes);
    }

    private ChatStore storeWith(Consumer<ChatStoreConfig.Builder> keys) {
        ChatStore s = open(keys);
        s.users().create(USER);
        return s;
    }

    private static void assertNoPlaintext(String text, String secret) {
        assertThat(text).doesNotContain(secret);
        assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        assertThat(text).doesNotContain(Base64.getEncoder().withoutPadding()
                .encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("A secret comes back exactly as put, Unicode included")
    void putAndGet() {
        user(USER);
        String unicode = "sk-тест-🔑-ключ-密钥-" + "x".repeat(200);

        store.credentials().put(USER, "openai", "sk-proj-abc123");
        store.credentials().put(USER, "anthropic", unicode);

        assertThat(store.credentials().get(USER, "openai")).contains("sk-proj-abc123");
        assertThat(store.credentials().get(USER, "anthropic")).contains(unicode);
        assertThat(store.credentials().get(USER, "mistral")).isEmpty();
        assertThat(store.credentials().get("cred-nobody", "openai")).isEmpty();
    }

    @Test
    @DisplayName("providers lists the user's providers sorted, and only that user's")
    void providersSorted() {
        user(USER);
        user("cred-other");
        for (String p : List.of("openai", "mistral", "anthropic", "cohere")) {
            store.credentials().put(USER, p, "secret-" + p);
        }
        store.credentials().put("cred-other", "groq", "other");

        assertThat(store.credentials().providers(USER)).containsExactly("anthropic", "cohere", "mistral", "openai");
        assertThat(store.credentials().providers("cred-other")).containsExactly("groq");
        assertThat(store.credentials().providers("cred-nobody")).isEmpty();
    }

    @Test
    @DisplayName("put replaces the user's secret for the provider; delete removes it")
    void replaceAndDelete() {
        user(USER);
        store.credentials().put(USER, "openai", "first");
        StoredCredential first = backendOf(store).credentials().find(USER, "openai").orElseThrow();

        store.credentials().put(USER, "openai", "second");

        assertThat(store.credentials().get(USER, "openai")).contains("second");
        assertThat(store.credentials().providers(USER)).containsExactly("openai");
        StoredCredential second = backendOf(store).credentials().find(USER, "openai").orElseThrow();
        assertThat(second.createdAt()).isEqualTo(first.createdAt());
        assertThat(second.updatedAt()).isAfterOrEqualTo(first.updatedAt());

        assertThat(store.credentials().delete(USER, "openai")).isTrue();
        assertThat(store.credentials().get(USER, "openai")).isEmpty();
        assertThat(store.credentials().providers(USER)).isEmpty();
        assertThat(store.credentials().delete(USER, "openai")).isFalse();
    }

    @Test
    @DisplayName("The plaintext appears nowhere in the stored record or in an export")
    void noPlaintextAtRest() {
        user(USER);
        String secret = "sk-live-VERY-SECRET-value-1234567890";
        store.credentials().put(USER, "openai", secret);

        StoredCredential stored = backendOf(store).credentials().find(USER, "openai").orElseThrow();

        for (String field : List.of(stored.keyId(), stored.nonce(), stored.ciphertext(), stored.toString())) {
            assertNoPlaintext(field, secret);
        }
        assertThat(backendOf(store).credentials().list(USER)).containsExactly(stored);
        String export = exportBody(store);
        assertNoPlaintext(export, secret);
        assertThat(export).contains(stored.ciphertext());
        assertThat(Base64.getDecoder().decode(stored.nonce())).hasSize(12);
        assertThat(Base64.getDecoder().decode(stored.ciphertext()))
                .as("ciphertext plus a 128-bit tag").hasSize(secret.getBytes(StandardCharsets.UTF_8).length + 16);
    }

    @Test
    @DisplayName("Each put uses a fresh random nonce: the same secret twice gives different nonces and ciphertexts")
    void randomNonce() {
        user(USER);
        store.credentials().put(USER, "openai", "same secret");
        StoredCredential a = backendOf(store).credentials().find(USER, "openai").orElseThrow();
        store.credentials().put(USER, "openai", "same secret");
        StoredCredential b = backendOf(store).credentials().find(USER, "openai").orElseThrow();
        store.credentials().put(USER, "azure", "same secret");
        StoredCredential c = backendOf(store).credentials().find(USER, "azure").orElseThrow();

        assertThat(List.of(a.nonce(), b.nonce(), c.nonce())).doesNotHaveDuplicates();
        assertThat(List.of(a.ciphertext(), b.ciphertext(), c.ciphertext())).doesNotHaveDuplicates();
        assertThat(store.credentials().get(USER, "openai")).contains("same secret");
        assertThat(store.credentials().get(USER, "azure")).contains("same secret");
    }

    @Test
    @DisplayName("The stored record names the key that encrypted it")
    void keyIdRecorded() {
        user(USER);
        store.credentials().put(USER, "openai", "secret");
        ChatStore k2 = storeWith(b -> b.encryptionKey("k2", KEY_2).activeKeyId("k2"));
        k2.credentials().put(USER, "openai", "secret");

        assertThat(backendOf(store).credentials().find(USER, "openai").orElseThrow().keyId()).isEqualTo(TEST_KEY_ID);
        assertThat(backendOf(k2).credentials().find(USER, "openai").orElseThrow().keyId()).isEqualTo("k2");
    }

    @Test
    @DisplayName("rotate re-encrypts every credential under the active key; secrets still read back, with the old key gone too")
    void rotation() {
        ChatStore old = storeWith(b -> b.encryptionKey("k1", KEY_1).activeKeyId("k1"));
        old.users().create("cred-second");
        old.credentials().put(USER, "openai", "sk-openai");
        old.credentials().put(USER, "anthropic", "sk-anthropic-ключ");
        old.credentials().put("cred-second", "openai", "sk-second");
        String underK1 = ExportImportContract.exportText(old);

        ChatStore both = open(b -> b.encryptionKey("k1", KEY_1).encryptionKey("k2", KEY_2).activeKeyId("k2"));
        ExportImportContract.importText(both, underK1);
        assertThat(backendOf(both).credentials().find(USER, "openai").orElseThrow().keyId()).isEqualTo("k1");
        assertThat(both.credentials().get(USER, "openai")).as("old key still configured").contains("sk-openai");
        StoredCredential beforeRotation = backendOf(both).credentials().find(USER, "anthropic").orElseThrow();

        assertThat(both.credentials().rotate()).isEqualTo(3);

        for (StoredCredential c : backendOf(both).credentials().list(USER)) {
            assertThat(c.keyId()).isEqualTo("k2");
        }
        StoredCredential afterRotation = backendOf(both).credentials().find(USER, "anthropic").orElseThrow();
        assertThat(afterRotation.ciphertext()).isNotEqualTo(beforeRotation.ciphertext());
        assertThat(afterRotation.createdAt()).isEqualTo(beforeRotation.createdAt());
        assertThat(both.credentials().get(USER, "openai")).contains("sk-openai");
        assertThat(both.credentials().get(USER, "anthropic")).contains("sk-anthropic-ключ");
        assertThat(both.credentials().get("cred-second", "openai")).contains("sk-second");
        assertThat(both.credentials().rotate()).as("nothing left to rotate").isZero();

        ChatStore onlyNew = open(b -> b.encryptionKey("k2", KEY_2).activeKeyId("k2"));
        ExportImportContract.importText(onlyNew, ExportImportContract.exportText(both));
        assertThat(onlyNew.credentials().get(USER, "anthropic")).as("k1 no longer needed").contains("sk-anthropic-ключ");
    }

    @Test
    @DisplayName("Reading a credential whose key is not configured is a StorageConfigurationException, not an empty answer")
    void missingKeyOnRead() {
        ChatStore k1 = storeWith(b -> b.encryptionKey("k1", KEY_1).activeKeyId("k1"));
        k1.credentials().put(USER, "openai", "sk-k1");
        ChatStore withoutK1 = open(b -> { });
        ExportImportContract.importText(withoutK1, ExportImportContract.exportText(k1));

        assertThatThrownBy(() -> withoutK1.credentials().get(USER, "openai"))
                .isInstanceOf(StorageConfigurationException.class).hasMessageContaining("k1");
        assertThat(withoutK1.credentials().providers(USER)).containsExactly("openai");
    }

    @Test
    @DisplayName("The same key ID with different key material fails authentication: a StorageCorruptionException")
    void wrongKeyMaterial() {
        ChatStore k1 = storeWith(b -> b.encryptionKey("k1", KEY_1).activeKeyId("k1"));
        k1.credentials().put(USER, "openai", "sk-k1");
        ChatStore impostor = open(b -> b.encryptionKey("k1", KEY_2).activeKeyId("k1"));
        ExportImportContract.importText(impostor, ExportImportContract.exportText(k1));

        assertThatThrownBy(() -> impostor.credentials().get(USER, "openai"))
                .isInstanceOf(StorageCorruptionException.class);
    }

    @Test
    @DisplayName("A tampered ciphertext, nonce or owner is a StorageCorruptionException on read")
    void tamperedCredential() {
        user(USER);
        user("cred-mallory");
        store.credentials().put(USER, "openai", "sk-victim");
        String export = ExportImportContract.exportText(store);

        List<String> tampered = List.of(
                withCredentialChanged(export, c -> c.with("ciphertext", flipBit(c.getString("ciphertext").orElseThrow(), 3))),
                withCredentialChanged(export, c -> c.with("ciphertext", flipBit(c.getString("ciphertext").orElseThrow(), 24))),
                withCredentialChanged(export, c -> c.with("nonce", flipBit(c.getString("nonce").orElseThrow(), 0))));
        for (String text : tampered) {
            ChatStore target = open(b -> { });
            ExportImportContract.importText(target, text);
            assertThatThrownBy(() -> target.credentials().get(USER, "openai"))
                    .isInstanceOf(StorageCorruptionException.class);
        }

        ChatStore moved = open(b -> { });
        ExportImportContract.importText(moved, withCredentialChanged(export, c -> c.with("userId", "cred-mallory")));
        assertThatThrownBy(() -> moved.credentials().get("cred-mallory", "openai"))
                .as("a ciphertext moved to another user").isInstanceOf(StorageCorruptionException.class);
        ChatStore reassigned = open(b -> { });
        ExportImportContract.importText(reassigned, withCredentialChanged(export, c -> c.with("provider", "anthropic")));
        assertThatThrownBy(() -> reassigned.credentials().get(USER, "anthropic"))
                .as("a ciphertext moved to another provider").isInstanceOf(StorageCorruptionException.class);
    }

    @Test
    @DisplayName("Without any encryption key, put is a StorageConfigurationException and stores nothing")
    void noKeyConfigured() {
        try (ChatStore keyless = openConfigured(ChatStoreConfig.isolated())) {
            keyless.users().create(USER);

            assertThatThrownBy(() -> keyless.credentials().put(USER, "openai", "sk-nowhere"))
                    .isInstanceOf(StorageConfigurationException.class);

            assertThat(keyless.credentials().providers(USER)).isEmpty();
            assertThat(keyless.credentials().get(USER, "openai")).isEmpty();
        }
    }

    @Test
    @DisplayName("Without any encryption key, reading an imported credential is a StorageConfigurationException")
    void noKeyConfiguredOnRead() {
        user(USER);
        store.credentials().put(USER, "openai", "sk-somewhere");
        String export = ExportImportContract.exportText(store);

        try (ChatStore keyless = openConfigured(ChatStoreConfig.isolated())) {
            ExportImportContract.importText(keyless, export);

            assertThatThrownBy(() -> keyless.credentials().get(USER, "openai"))
                    .isInstanceOf(StorageConfigurationException.class);
        }
    }

    @Test
    @DisplayName("put for an unknown user is a NotFoundException; an empty secret or invalid provider is a ValidationException")
    void invalidPuts() {
        user(USER);

        assertThatThrownBy(() -> store.credentials().put("cred-nobody", "openai", "sk")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.credentials().put(USER, "openai", "")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.credentials().put(USER, "open ai", "sk")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.credentials().put(USER, "openai", "bad\uD800")).isInstanceOf(ValidationException.class);
        assertThat(store.credentials().providers(USER)).isEmpty();
        assertThat(store.credentials().providers("cred-nobody")).isEmpty();
    }
}
