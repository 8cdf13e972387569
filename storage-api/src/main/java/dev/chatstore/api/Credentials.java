package dev.chatstore.api;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.internal.CredentialCipher;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.StoredCredential;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users' API keys for model providers, stored only encrypted with AES-256-GCM (a random nonce per value, the
 * key ID recorded for rotation). Plaintext exists only in the calls' arguments and results, and only with
 * {@code encryption.keys} configured. Obtained from {@link ChatStore#credentials()}.
 */
public final class Credentials {

    /** Longest secret accepted, in characters. */
    public static final int MAX_SECRET_LENGTH = 16 * 1024;

    private final StoreCore core;

    Credentials(StoreCore core) {
        this.core = core;
    }

    /**
     * Encrypts and stores the secret, replacing the user's previous one for the provider.
     *
     * @throws dev.chatstore.api.error.StorageConfigurationException if no encryption key is configured
     * @throws dev.chatstore.api.error.NotFoundException             if the user does not exist
     */
    public void put(String userId, String provider, String secret) {
        Validator.id("userId", userId);
        Validator.id("provider", provider);
        Validator.text("secret", secret);
        if (secret.isEmpty() || secret.length() > MAX_SECRET_LENGTH) {
            throw new ValidationException("secret", "must be 1 to " + MAX_SECRET_LENGTH + " characters");
        }
        CredentialCipher.Sealed sealed = core.cipher.encrypt(userId, provider, secret);
        Instant now = core.now();
        Instant createdAt = core.backend.credentials().find(userId, provider).map(StoredCredential::createdAt).orElse(now);
        core.backend.credentials().put(new StoredCredential(userId, provider, sealed.keyId(), sealed.nonce(),
                sealed.ciphertext(), createdAt, now));
    }

    /**
     * The decrypted secret, or empty if none is stored.
     *
     * @throws dev.chatstore.api.error.StorageConfigurationException if its key is not configured
     * @throws dev.chatstore.api.error.StorageCorruptionException    if the ciphertext fails authentication
     */
    public Optional<String> get(String userId, String provider) {
        Validator.id("userId", userId);
        Validator.id("provider", provider);
        return core.backend.credentials().find(userId, provider).map(c -> core.cipher.decrypt(userId, provider,
                new CredentialCipher.Sealed(c.keyId(), c.nonce(), c.ciphertext())));
    }

    /** The providers the user has a credential for, sorted. */
    public List<String> providers(String userId) {
        Validator.id("userId", userId);
        return core.backend.credentials().list(userId).stream().map(StoredCredential::provider).toList();
    }

    public boolean delete(String userId, String provider) {
        Validator.id("userId", userId);
        Validator.id("provider", provider);
        return core.backend.credentials().delete(userId, provider);
    }

    /**
     * Re-encrypts every credential not under the active key with the active key (after adding a new key to
     * {@code encryption.keys} and making it active). Returns how many were re-encrypted.
     */
    public long rotate() {
        String active = core.cipher.activeKeyId().orElseThrow(() -> new StorageConfigurationException(
                "rotation needs an active key: set encryption.keys and encryption.active-key-id"));
        long rotated = 0;
        String after = "";
        int page = 500;
        while (true) {
            List<User> users = core.backend.users().list(after, page);
            for (User u : users) {
                for (StoredCredential c : core.backend.credentials().list(u.id())) {
                    if (!c.keyId().equals(active)) {
                        String plain = core.cipher.decrypt(c.userId(), c.provider(),
                                new CredentialCipher.Sealed(c.keyId(), c.nonce(), c.ciphertext()));
                        CredentialCipher.Sealed sealed = core.cipher.encrypt(c.userId(), c.provider(), plain);
                        core.backend.credentials().put(new StoredCredential(c.userId(), c.provider(), sealed.keyId(),
                                sealed.nonce(), sealed.ciphertext(), c.createdAt(), core.now()));
                        rotated++;
                    }
                }
            }
            if (users.size() < page) {
                return rotated;
            }
            after = users.get(users.size() - 1).id();
        }
    }
}
