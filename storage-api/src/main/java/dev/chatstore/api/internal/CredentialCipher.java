package dev.chatstore.api.internal;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.StorageCorruptionException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * AES-256-GCM for credentials: a fresh random 96-bit nonce per value, a 128-bit tag, and the owner and provider
 * as associated data so a ciphertext cannot be moved to another user or provider. The key ID is stored beside
 * the ciphertext so keys can be rotated.
 */
public final class CredentialCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** An encrypted value with the ID of the key that encrypted it. */
    public record Sealed(String keyId, String nonce, String ciphertext) {
    }

    private final Map<String, byte[]> keys;
    private final Optional<String> activeKeyId;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(Map<String, byte[]> keys, Optional<String> activeKeyId) {
        this.keys = Map.copyOf(keys);
        this.activeKeyId = activeKeyId;
    }

    public Optional<String> activeKeyId() {
        return activeKeyId;
    }

    public Sealed encrypt(String userId, String provider, String plaintext) {
        String keyId = activeKeyId.orElseThrow(() -> new StorageConfigurationException(
                "credentials need an encryption key: set encryption.keys (keyId:base64 of 32 random bytes), "
                        + "e.g. CHATSTORE_ENCRYPTION_KEYS=k1:$(openssl rand -base64 32)"));
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(keyId), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(userId, provider));
            byte[] out = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new Sealed(keyId, b64.encodeToString(nonce), b64.encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is required by every Java platform", e);
        }
    }

    public String decrypt(String userId, String provider, Sealed sealed) {
        byte[] key = keys.get(sealed.keyId());
        String where = "credential " + userId + "/" + provider;
        if (key == null) {
            throw new StorageConfigurationException(where + " was encrypted with key '" + sealed.keyId()
                    + "', which is not configured in encryption.keys " + keys.keySet());
        }
        try {
            byte[] nonce = Base64.getDecoder().decode(sealed.nonce());
            byte[] data = Base64.getDecoder().decode(sealed.ciphertext());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(userId, provider));
            return new String(cipher.doFinal(data), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new StorageCorruptionException(where, -1,
                    "authentication failed: the ciphertext was altered or key '" + sealed.keyId() + "' is not the key it was encrypted with", e);
        } catch (IllegalArgumentException | java.security.ProviderException | GeneralSecurityException e) {
            // ProviderException: the JDK's GCM throws it (not AEADBadTagException) for input shorter than the tag
            throw new StorageCorruptionException(where, -1, "cannot decrypt: " + e.getMessage(), e);
        }
    }

    private static byte[] aad(String userId, String provider) {
        return ("chatstore-credential\u0000" + userId + "\u0000" + provider).getBytes(StandardCharsets.UTF_8);
    }
}
