package dev.chatstore.redis.internal;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.Orderings;
import dev.chatstore.api.spi.StoredCredential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Credentials: one hash per user, provider to the encrypted credential as JSON. */
final class RedisCredentials implements CredentialRepository {

    private final RedisAccess redis;
    private final Keys keys;

    RedisCredentials(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void put(StoredCredential c) {
        RedisAccess.Reply r = redis.run(RedisScript.CREDENTIAL_PUT,
                List.of(keys.user(c.userId()), keys.credentials(c.userId())),
                List.of(c.provider(), RedisRecords.credential(c)));
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("user", c.userId());
        }
        r.orThrow("credential put");
    }

    @Override
    public Optional<StoredCredential> find(String userId, String provider) {
        String json = redis.call("find credential", j -> j.hget(keys.credentials(userId), provider));
        return Optional.ofNullable(json).map(v -> RedisRecords.credential(userId, provider, v));
    }

    @Override
    public List<StoredCredential> list(String userId) {
        Map<String, String> all = redis.call("list credentials", j -> j.hgetAll(keys.credentials(userId)));
        List<StoredCredential> out = new ArrayList<>(all.size());
        all.forEach((provider, json) -> out.add(RedisRecords.credential(userId, provider, json)));
        out.sort((a, b) -> Orderings.compareCodePoints(a.provider(), b.provider()));
        return out;
    }

    @Override
    public boolean delete(String userId, String provider) {
        return redis.call("delete credential", j -> j.hdel(keys.credentials(userId), provider)) > 0;
    }
}
