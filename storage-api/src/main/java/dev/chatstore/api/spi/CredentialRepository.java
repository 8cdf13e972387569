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

    Optional<StoredCredential> find(String userId, String provider);

    /** The user's credentials by provider ascending. */
    List<StoredCredential> list(String userId);

    boolean delete(String userId, String provider);
}
