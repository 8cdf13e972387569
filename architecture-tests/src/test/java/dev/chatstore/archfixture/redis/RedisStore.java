package dev.chatstore.archfixture.redis;

/** The fixture's Redis adapter. */
public final class RedisStore {
}
