package dev.chatstore.archfixture.migration;

import dev.chatstore.archfixture.redis.RedisStore;

/** VIOLATION of migrationDependsOnlyOnPorts: migration reaching into an adapter instead of the ports. */
public final class Backfill {
    public Object target() {
        return new RedisStore();
    }
}
