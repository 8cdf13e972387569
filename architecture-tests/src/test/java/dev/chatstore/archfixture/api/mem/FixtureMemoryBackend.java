package dev.chatstore.archfixture.api.mem;

/** The fixture's in-memory adapter (allowed: an adapter inside the API depending on nothing else). */
public final class FixtureMemoryBackend {
}
