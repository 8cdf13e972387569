package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.StoredCredential;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.flatfile.internal.StoreLocks.Level;

/**
 * Credentials: {@code users/<user>/credentials/<provider>.json}, holding only what the core encrypted (keyId,
 * nonce, ciphertext; never plaintext), replaced atomically under the user's lock.
 */
final class FlatfileCredentials implements CredentialRepository {

    private final FlatfileStore store;
    private final StoreLayout layout;

    FlatfileCredentials(FlatfileStore store) {
        this.store = store;
        this.layout = store.layout;
    }

    @Override
    public void put(StoredCredential credential) {
        store.locked(Level.USER, FlatfileStore.userKey(credential.userId()), () -> {
            if (!Files.exists(layout.userFile(credential.userId()))) {
                throw new NotFoundException("user", credential.userId());
            }
            Path f = layout.credentialFile(credential.userId(), credential.provider());
            store.mkdirs(f.getParent());
            store.write(f, Json.credential(credential));
            return null;
        });
    }

    @Override
    public Optional<StoredCredential> find(String userId, String provider) {
        store.checkOpen();
        return FlatfileStore.read(layout.credentialFile(userId, provider), Json::credential)
                .filter(c -> c.provider().equals(provider));
    }

    @Override
    public List<StoredCredential> list(String userId) {
        store.checkOpen();
        List<StoredCredential> out = new ArrayList<>();
        for (Path f : FlatfileStore.children(layout.credentialsDir(userId), false, ".json")) {
            FlatfileStore.read(f, Json::credential).ifPresent(out::add);
        }
        out.sort((a, b) -> Orderings.CODE_POINTS.compare(a.provider(), b.provider()));
        return out;
    }

    @Override
    public boolean delete(String userId, String provider) {
        return store.locked(Level.USER, FlatfileStore.userKey(userId),
                () -> store.delete(layout.credentialFile(userId, provider)));
    }
}
