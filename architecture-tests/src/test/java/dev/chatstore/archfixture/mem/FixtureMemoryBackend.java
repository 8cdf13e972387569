package dev.chatstore.archfixture.mem;

/** The fixture's in-memory adapter (allowed: an adapter depending on nothing else). */
public final class FixtureMemoryBackend {
}
