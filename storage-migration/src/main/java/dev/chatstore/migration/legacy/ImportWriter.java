package dev.chatstore.migration.legacy;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every write an import makes goes through this class, and nowhere else: exact records (legacy IDs, timestamps,
 * seqs) through the store's restore operations, so that writing the same record twice changes nothing. When the
 * port changes, this is the one class to adapt. In a dry run nothing is written; reads still happen.
 *
 * <p>The writes are the core's validated restores ({@code store.transfer()}): {@code restoreUser}, {@code restoreSession}
 * (a session's counters always derive from its log), {@code restoreMessages(userId, sessionId, list)} in runs of
 * consecutive seqs, as the restore rules require, and {@code restorePersona}.
 *
 * <p>Order of writes for a session, so that an interrupted run never leaves counters that claim more than the log
 * holds: the session with counters of what is stored, then its messages in chunks, then the session with its
 * final counters.
 */
final class ImportWriter {

    private final ChatStore store;
    private final boolean dryRun;
    /** Users this run created or found, so a dry run behaves as if it had created them. */
    private final Set<String> knownUsers = new HashSet<>();

    ImportWriter(ChatStore store, boolean dryRun) {
        this.store = store;
        this.dryRun = dryRun;
    }

    boolean dryRun() {
        return dryRun;
    }

    /** Writes the user exactly as given (unless it is stored so already). */
    void restoreUser(User user) {
        knownUsers.add(user.id());
        if (!dryRun && !store.users().get(user.id()).filter(user::equals).isPresent()) {
            store.transfer().restoreUser(user);
        }
    }

    /** Creates the user (empty profile, created at {@code createdAt}) unless it exists; true if created. */
    boolean ensureUser(String userId, Instant createdAt) {
        if (knownUsers.contains(userId)) {
            return false;
        }
        if (store.users().get(userId).isPresent()) {
            knownUsers.add(userId);
            return false;
        }
        restoreUser(new User(userId, "", JsonObject.empty(), createdAt, createdAt, 1));
        return true;
    }

    void restorePersona(Persona persona) {
        if (!dryRun && !store.personas().find(persona.scope(), persona.id()).filter(persona::equals).isPresent()) {
            store.transfer().restorePersona(persona);
        }
    }

    /**
     * Encrypts and stores the API key under the store's credential key, unless the same plaintext is stored
     * already (so a re-run leaves the credential, its nonce and timestamps, untouched).
     */
    void putCredential(String userId, String provider, String plaintext) {
        if (dryRun) {
            return;
        }
        Optional<String> stored = store.credentials().get(userId, provider);
        if (stored.isPresent() && stored.get().equals(plaintext)) {
            return;
        }
        store.credentials().put(userId, provider, plaintext);
    }

    /** How many messages the session holds in the store, or -1 if it does not exist. */
    long storedMessageCount(String userId, String sessionId) {
        if ((dryRun || !knownUsers.contains(userId)) && store.users().get(userId).isEmpty()) {
            return -1; // a user this (dry) run has not written yet
        }
        return store.sessions().get(userId, sessionId).map(Session::messageCount).orElse(-1L);
    }

    /**
     * Writes the session record (its counters as given), unless the store holds exactly this record already: a
     * re-run then writes nothing, and a backend whose message restore already brought the counters up to date is
     * spared a second write of the session.
     */
    void restoreSession(Session session) {
        if (!dryRun && !store.sessions().get(session.userId(), session.id()).filter(session::equals).isPresent()) {
            store.transfer().restoreSession(session);
        }
    }

    /**
     * Writes messages with the given seqs (contiguous, continuing or overlapping what is stored). Messages the
     * store already holds equal are not written again; different ones replace the stored ones with their seq.
     */
    void writeMessages(String userId, String sessionId, List<Message> batch, long storedCount) {
        if (dryRun || batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).seq();
        List<Message> changed = new ArrayList<>();
        List<Message> fresh = new ArrayList<>();
        if (first <= storedCount) {
            long overlap = Math.min(batch.size(), storedCount - first + 1);
            List<Message> stored = new ArrayList<>((int) overlap);
            long after = first - 1;
            while (stored.size() < overlap) {
                List<Message> page = store.messages().after(userId, sessionId, after,
                        (int) Math.min(1000, overlap - stored.size()));
                if (page.isEmpty()) {
                    break;
                }
                stored.addAll(page);
                after = page.get(page.size() - 1).seq();
            }
            for (int i = 0; i < batch.size(); i++) {
                Message m = batch.get(i);
                if (i < stored.size()) {
                    if (!stored.get(i).equals(m)) {
                        changed.add(m);
                    }
                } else {
                    fresh.add(m);
                }
            }
        } else {
            fresh = batch;
        }
        // runs of consecutive seqs: Port v2's restore accepts nothing else
        int from = 0;
        for (int i = 1; i <= changed.size(); i++) {
            if (i == changed.size() || changed.get(i).seq() != changed.get(i - 1).seq() + 1) {
                store.transfer().restoreMessages(userId, sessionId, changed.subList(from, i));
                from = i;
            }
        }
        if (!fresh.isEmpty()) {
            store.transfer().restoreMessages(userId, sessionId, fresh);
        }
    }
}
