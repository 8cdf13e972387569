package dev.chatstore.api.spi;

import java.util.List;
import java.util.Optional;

/** Encrypted credentials, keyed by (userId, provider). */
public interface CredentialRepository {

    /**
     * Stores the credential, replacing one for the same provider.
     *
     * @throws dev.chatstore.api.error.NotFoundException if the user does not exist
     */
    void put(StoredCredential credential);

    /** The default searches {@link #list}. */
    default Optional<StoredCredential> find(String userId, String provider) {
        return list(userId).stream().filter(c -> c.provider().equals(provider)).findFirst();
    }

    /** The user's credentials by provider ({@link Orderings#CODE_POINTS}). */
    List<StoredCredential> list(String userId);

    boolean delete(String userId, String provider);
}
