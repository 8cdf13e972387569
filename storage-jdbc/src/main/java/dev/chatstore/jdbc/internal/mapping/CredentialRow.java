package dev.chatstore.jdbc.internal.mapping;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** A row of {@code credentials}: only ever ciphertext (AES-256-GCM, encrypted by the API). */
@Entity
@Table(name = "credentials")
@IdClass(CredentialRow.Key.class)
public class CredentialRow {
    @Id
    @Column(name = "user_id", length = 128)
    public String userId;
    @Id
    @Column(name = "provider", length = 128)
    public String provider;
    @Column(name = "key_id", nullable = false)
    public String keyId;
    @Column(name = "nonce", nullable = false)
    public String nonce;
    @Column(name = "ciphertext", nullable = false)
    public String ciphertext;
    @Column(name = "created_at", nullable = false)
    public long createdAt;
    @Column(name = "updated_at", nullable = false)
    public long updatedAt;

    /** The primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String userId;
        public String provider;

        public Key() {
        }

        public Key(String userId, String provider) {
            this.userId = userId;
            this.provider = provider;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(provider, k.provider);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, provider);
        }
    }
}
