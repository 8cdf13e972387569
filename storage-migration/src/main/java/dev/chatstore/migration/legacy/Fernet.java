package dev.chatstore.migration.legacy;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decrypts Fernet tokens (the Python {@code cryptography} package's format) with the JDK only: base64url of
 * {@code 0x80 | timestamp (8) | IV (16) | AES-128-CBC ciphertext | HMAC-SHA256 (32)}, the key being base64url of
 * a 16-byte signing key followed by a 16-byte encryption key. The HMAC is checked (in constant time) before
 * anything is decrypted; the token's timestamp is not used as a time-to-live (old keys are exactly what an import
 * reads). The key is held only as long as this object.
 */
final class Fernet {

    private static final int VERSION = 0x80;
    private static final int HEADER = 1 + 8 + 16;
    private static final int HMAC_BYTES = 32;

    private final byte[] signingKey;
    private final byte[] encryptionKey;

    /** @throws IllegalArgumentException if the key is not base64url of 32 bytes */
    Fernet(String key) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the legacy key is not base64url: " + e.getMessage());
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("the legacy key must be 32 bytes in base64url, got " + raw.length + " bytes");
        }
        this.signingKey = Arrays.copyOfRange(raw, 0, 16);
        this.encryptionKey = Arrays.copyOfRange(raw, 16, 32);
        Arrays.fill(raw, (byte) 0);
    }

    /** @throws IllegalArgumentException naming why the token cannot be decrypted (malformed, wrong key, ...) */
    String decrypt(String token) {
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(token.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Fernet token (bad base64url)");
        }
        if (data.length < HEADER + 16 + HMAC_BYTES || (data[0] & 0xff) != VERSION) {
            throw new IllegalArgumentException("not a Fernet token (bad version byte or too short)");
        }
        int macStart = data.length - HMAC_BYTES;
        if ((macStart - HEADER) % 16 != 0) {
            throw new IllegalArgumentException("not a Fernet token (ciphertext is not whole AES blocks)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            mac.update(data, 0, macStart);
            byte[] expected = mac.doFinal();
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(data, macStart, data.length))) {
                throw new IllegalArgumentException("HMAC mismatch: the token was not made with this legacy key, or it was altered");
            }
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"),
                    new IvParameterSpec(data, 9, 16));
            byte[] plain = aes.doFinal(data, HEADER, macStart - HEADER);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot decrypt: " + e.getMessage());
        }
    }
}
