package dev.chatstore.redis.internal;

import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.spi.LogRef;

/**
 * Every key the backend writes, in one place (the README's key table describes the same layout). All keys of one
 * user carry the hash tag {@code {u:<userId>}}, all keys of one panel {@code {p:<panelId>}}, global personas
 * {@code {g}} and the cross-entity listings {@code {idx}}, so each script touches exactly one slot of a cluster.
 * IDs are {@code [A-Za-z0-9._-]} (the core validates them), so they never contain the braces or the {@code :} that
 * structure a key.
 */
final class Keys {

    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** A pattern matching every key of this store, for tests and tools. */
    String allKeysPattern() {
        return prefix + ":*";
    }

    // ---- users ---------------------------------------------------------------------------------------------

    /** The common start of every key of one user (ends with ':'); scripts derive the rest from it. */
    String userBase(String userId) {
        return prefix + ":{u:" + userId + "}:";
    }

    String user(String userId) {
        return userBase(userId) + "user";
    }

    /** A pattern matching every key of one user. */
    String userPattern(String userId) {
        return prefix + ":{u:" + userId + "}:*";
    }

    /** All users' IDs (zero scores, so ZRANGEBYLEX walks them in byte = code point order). */
    String usersIndex() {
        return prefix + ":{idx}:users";
    }

    String credentials(String userId) {
        return userBase(userId) + "creds";
    }

    // ---- sessions ------------------------------------------------------------------------------------------

    /** The user's session IDs with score 0: code point order. */
    String sessionsById(String userId) {
        return userBase(userId) + "sessions";
    }

    /** The user's session IDs scored by -updatedAt (ms): ascending = newest first, ties by ID. */
    String sessionsByRecency(String userId) {
        return userBase(userId) + "recent";
    }

    String session(String userId, String sessionId) {
        return userBase(userId) + "s:" + sessionId;
    }

    String documentNames(String userId, String sessionId) {
        return session(userId, sessionId) + ":docs";
    }

    /** Where the session's document hashes start; a document's key is this plus its name. */
    String documentBase(String userId, String sessionId) {
        return session(userId, sessionId) + ":doc:";
    }

    String document(String userId, String sessionId, String name) {
        return documentBase(userId, sessionId) + name;
    }

    String currentContext(String userId, String sessionId) {
        return session(userId, sessionId) + ":ctx";
    }

    String snapshots(String userId, String sessionId) {
        return session(userId, sessionId) + ":snaps";
    }

    /** The user's search index for one word: message references scored by createdAt (ms). */
    String word(String userId, String word) {
        return userBase(userId) + "w:" + word;
    }

    // ---- message logs --------------------------------------------------------------------------------------

    /** The hash that owns the log (session or panel): it holds the log's last seq as messageCount. */
    String logOwner(LogRef log) {
        if (log instanceof LogRef.SessionLog s) {
            return session(s.userId(), s.sessionId());
        }
        return panel(log.logId());
    }

    /** The Stream of the log's messages, entry ID {@code <seq>-0}. */
    String log(LogRef log) {
        if (log instanceof LogRef.SessionLog s) {
            return session(s.userId(), s.sessionId()) + ":log";
        }
        return panelBase(log.logId()) + "log";
    }

    /** Message ID to seq, for duplicate checks and findById. */
    String messageIds(LogRef log) {
        if (log instanceof LogRef.SessionLog s) {
            return session(s.userId(), s.sessionId()) + ":ids";
        }
        return panelBase(log.logId()) + "ids";
    }

    // ---- personas ------------------------------------------------------------------------------------------

    String personaBase(PersonaScope scope) {
        return scope.userId().map(this::userBase).orElse(prefix + ":{g}:");
    }

    String personaIds(PersonaScope scope) {
        return personaBase(scope) + "personas";
    }

    String persona(PersonaScope scope, String personaId) {
        return personaBase(scope) + "persona:" + personaId;
    }

    // ---- panels --------------------------------------------------------------------------------------------

    String panelBase(String panelId) {
        return prefix + ":{p:" + panelId + "}:";
    }

    String panel(String panelId) {
        return panelBase(panelId) + "panel";
    }

    String panelsIndex() {
        return prefix + ":{idx}:panels";
    }

    String insightsByTime(String panelId) {
        return panelBase(panelId) + "insights";
    }

    String insights(String panelId) {
        return panelBase(panelId) + "insight";
    }

    /** The store's marker: written when the store is created, holds the layout version. */
    String storeMarker() {
        return prefix + ":{idx}:store";
    }

    /** A key for the health probe's write, in its own slot. */
    String healthProbe() {
        return prefix + ":{health}:probe";
    }
}
