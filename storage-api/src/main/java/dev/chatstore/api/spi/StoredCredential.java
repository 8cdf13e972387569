package dev.chatstore.api.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A credential as backends store it: only ever encrypted (AES-256-GCM). Backends never see the plaintext.
 *
 * @param userId     the owner
 * @param provider   e.g. {@code openai}
 * @param keyId      the ID of the key it was encrypted with
 * @param nonce      the 96-bit GCM nonce, base64
 * @param ciphertext ciphertext with the 128-bit tag appended, base64
 * @param createdAt  when it was first put
 * @param updatedAt  when it was last put or re-encrypted
 */
public record StoredCredential(String userId, String provider, String keyId, String nonce, String ciphertext,
                               Instant createdAt, Instant updatedAt) {

    public StoredCredential {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    @Override
    public String toString() {
        return "StoredCredential[userId=" + userId + ", provider=" + provider + ", keyId=" + keyId + "]";
    }
}
