package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.StoredCredential;
import dev.chatstore.jdbc.internal.mapping.CredentialRow;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/** Encrypted credentials: reads through Hibernate's StatelessSession, the put as a native upsert. */
final class JdbcCredentials implements CredentialRepository {

    private final Database db;

    JdbcCredentials(Database db) {
        this.db = db;
    }

    @Override
    public void put(StoredCredential credential) {
        try {
            db.write("storing a credential of user " + credential.userId(), c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials (user_id, provider, key_id, nonce,"
                        + " ciphertext, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, provider)"
                        + " DO UPDATE SET key_id = excluded.key_id, nonce = excluded.nonce,"
                        + " ciphertext = excluded.ciphertext, created_at = excluded.created_at,"
                        + " updated_at = excluded.updated_at")) {
                    ps.setString(1, credential.userId());
                    ps.setString(2, credential.provider());
                    ps.setString(3, credential.keyId());
                    ps.setString(4, credential.nonce());
                    ps.setString(5, credential.ciphertext());
                    ps.setLong(6, Codec.millis(credential.createdAt()));
                    ps.setLong(7, Codec.millis(credential.updatedAt()));
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (NotFoundException e) {
            throw new NotFoundException("user", credential.userId());
        }
    }

    @Override
    public Optional<StoredCredential> find(String userId, String provider) {
        return db.readStateless("reading a credential of user " + userId,
                s -> Optional.ofNullable(s.get(CredentialRow.class, new CredentialRow.Key(userId, provider))))
                .map(JdbcCredentials::credential);
    }

    @Override
    public List<StoredCredential> list(String userId) {
        return db.readStateless("listing credentials of user " + userId, s -> s.createSelectionQuery(
                        "from CredentialRow where userId = :user order by provider", CredentialRow.class)
                .setParameter("user", userId).getResultList()).stream().map(JdbcCredentials::credential).toList();
    }

    @Override
    public boolean delete(String userId, String provider) {
        return db.writeStateless("deleting a credential of user " + userId, s -> s.createMutationQuery(
                        "delete from CredentialRow where userId = :user and provider = :provider")
                .setParameter("user", userId).setParameter("provider", provider).executeUpdate() == 1);
    }

    private static StoredCredential credential(CredentialRow r) {
        return new StoredCredential(r.userId, r.provider, r.keyId, r.nonce, r.ciphertext, Codec.instant(r.createdAt),
                Codec.instant(r.updatedAt));
    }
}
