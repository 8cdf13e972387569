package dev.chatstore.api.internal;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialCipherTest {

    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);

    private final CredentialCipher cipher = new CredentialCipher(Map.of("k1", KEY_1), Optional.of("k1"));

    @Test
    void roundTrip() {
        for (String secret : new String[]{"sk-test-123", "", "ünïcödé \uD83D\uDD11 \u0000 end", "x".repeat(10_000)}) {
            CredentialCipher.Sealed sealed = cipher.encrypt("alice", "openai", secret);
            assertThat(sealed.keyId()).isEqualTo("k1");
            assertThat(cipher.decrypt("alice", "openai", sealed)).isEqualTo(secret);
        }
    }

    @Test
    void ciphertextDoesNotContainThePlaintext() {
        CredentialCipher.Sealed sealed = cipher.encrypt("alice", "openai", "sk-very-secret");
        String decoded = new String(Base64.getDecoder().decode(sealed.ciphertext()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(decoded).doesNotContain("sk-very-secret");
        assertThat(sealed.ciphertext()).doesNotContain("sk-very-secret");
    }

    @Test
    void everyEncryptionUsesAFreshNonce() {
        CredentialCipher.Sealed a = cipher.encrypt("alice", "openai", "same secret");
        CredentialCipher.Sealed b = cipher.encrypt("alice", "openai", "same secret");
        assertThat(Base64.getDecoder().decode(a.nonce())).hasSize(12);
        assertThat(a.nonce()).isNotEqualTo(b.nonce());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
    }

    @Test
    void associatedDataBindsTheCiphertextToItsUserAndProvider() {
        CredentialCipher.Sealed sealed = cipher.encrypt("alice", "openai", "sk-alice");
        assertThatThrownBy(() -> cipher.decrypt("bob", "openai", sealed)).isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining("bob/openai");
        assertThatThrownBy(() -> cipher.decrypt("alice", "anthropic", sealed)).isInstanceOf(StorageCorruptionException.class);
        // the separator keeps ("ab","c") and ("a","bc") apart
        CredentialCipher.Sealed ab = cipher.encrypt("ab", "c", "s");
        assertThatThrownBy(() -> cipher.decrypt("a", "bc", ab)).isInstanceOf(StorageCorruptionException.class);
    }

    @Test
    void alteredCiphertextOrNonceIsCorruption() {
        CredentialCipher.Sealed sealed = cipher.encrypt("alice", "openai", "sk-alice");
        byte[] data = Base64.getDecoder().decode(sealed.ciphertext());
        data[0] ^= 1;
        CredentialCipher.Sealed flipped = new CredentialCipher.Sealed("k1", sealed.nonce(), Base64.getEncoder().encodeToString(data));
        assertThatThrownBy(() -> cipher.decrypt("alice", "openai", flipped)).isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining("authentication failed");
        byte[] nonce = Base64.getDecoder().decode(sealed.nonce());
        nonce[11] ^= 1;
        CredentialCipher.Sealed otherNonce = new CredentialCipher.Sealed("k1", Base64.getEncoder().encodeToString(nonce), sealed.ciphertext());
        assertThatThrownBy(() -> cipher.decrypt("alice", "openai", otherNonce)).isInstanceOf(StorageCorruptionException.class);
        CredentialCipher.Sealed notBase64 = new CredentialCipher.Sealed("k1", "***", sealed.ciphertext());
        assertThatThrownBy(() -> cipher.decrypt("alice", "openai", notBase64)).isInstanceOf(StorageCorruptionException.class);
        CredentialCipher.Sealed truncated = new CredentialCipher.Sealed("k1", sealed.nonce(), "AAAA");
        assertThatThrownBy(() -> cipher.decrypt("alice", "openai", truncated)).isInstanceOf(StorageCorruptionException.class);
    }

    @Test
    void theWrongKeyUnderTheSameIdIsCorruption() {
        CredentialCipher.Sealed sealed = cipher.encrypt("alice", "openai", "sk-alice");
        CredentialCipher wrongKey = new CredentialCipher(Map.of("k1", KEY_2), Optional.of("k1"));
        assertThatThrownBy(() -> wrongKey.decrypt("alice", "openai", sealed))
                .isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining("key 'k1'");
    }

    @Test
    void anUnknownKeyIdIsAConfigurationError() {
        CredentialCipher.Sealed sealed = cipher.encrypt("alice", "openai", "sk-alice");
        CredentialCipher other = new CredentialCipher(Map.of("k2", KEY_2), Optional.of("k2"));
        assertThatThrownBy(() -> other.decrypt("alice", "openai", sealed))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("'k1'")
                .hasMessageContaining("k2");
    }

    @Test
    void withoutAnActiveKeyEncryptionIsAConfigurationError() {
        CredentialCipher none = new CredentialCipher(Map.of(), Optional.empty());
        assertThatThrownBy(() -> none.encrypt("alice", "openai", "sk"))
                .isInstanceOf(StorageConfigurationException.class)
                .hasMessageContaining("encryption.keys");
        CredentialCipher.Sealed sealed = cipher.encrypt("alice", "openai", "sk-alice");
        assertThatThrownBy(() -> none.decrypt("alice", "openai", sealed)).isInstanceOf(StorageConfigurationException.class);
    }

    @Test
    void rotationDecryptsOldValuesAndEncryptsNewOnesWithTheActiveKey() {
        CredentialCipher.Sealed old = cipher.encrypt("alice", "openai", "old secret");
        Map<String, byte[]> both = new LinkedHashMap<>();
        both.put("k1", KEY_1);
        both.put("k2", KEY_2);
        CredentialCipher rotated = new CredentialCipher(both, Optional.of("k2"));
        assertThat(rotated.decrypt("alice", "openai", old)).isEqualTo("old secret");
        CredentialCipher.Sealed fresh = rotated.encrypt("alice", "openai", "new secret");
        assertThat(fresh.keyId()).isEqualTo("k2");
        assertThat(rotated.decrypt("alice", "openai", fresh)).isEqualTo("new secret");
    }

    @Test
    void theCallersKeyMapIsCopied() {
        byte[] key = key(7);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put("k", key);
        CredentialCipher c = new CredentialCipher(keys, Optional.of("k"));
        keys.clear();
        CredentialCipher.Sealed sealed = c.encrypt("u", "p", "s");
        assertThat(c.decrypt("u", "p", sealed)).isEqualTo("s");
    }

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }
}
