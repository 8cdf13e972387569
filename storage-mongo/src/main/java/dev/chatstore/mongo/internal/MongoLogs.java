package dev.chatstore.mongo.internal;

import com.mongodb.MongoException;
import com.mongodb.TransactionOptions;
import com.mongodb.WriteConcern;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static dev.chatstore.mongo.internal.BsonMapping.date;
import static dev.chatstore.mongo.internal.BsonMapping.logKey;
import static dev.chatstore.mongo.internal.BsonMapping.longValue;

/**
 * Session and panel logs: one document per message in {@code messages}, and a commit pointer in the log's owner
 * document (the session or the panel) that says which of them exist.
 *
 * <p><b>The commit pointer.</b> The owner holds {@code lastSeq}; readers only ever return messages with
 * {@code seq <= lastSeq}, so whatever lies above it (a batch being written, or the remains of a writer that died)
 * is invisible. On a standalone server an append (and a restore) goes:
 * <ol>
 *   <li>reserve: one conditional update sets {@code pending: {token, base, n, at}} if {@code lastSeq} is still the
 *       value read and no live reservation is there (a reservation older than the lease is taken over);</li>
 *   <li>delete every message above {@code base}: leftovers of a crashed or overtaken writer;</li>
 *   <li>insert the batch at {@code base+1 .. base+n}; the unique (log, seq) index refuses a seq twice and the
 *       unique (log, mid) index a message ID twice;</li>
 *   <li>commit: one conditional update, only if {@code pending.token} is still ours, sets {@code lastSeq = base+n}
 *       (with the session's counters) and clears {@code pending}.</li>
 * </ol>
 * A writer that dies anywhere before step 4 leaves nothing visible, and the next writer removes its remains; a
 * writer that loses its reservation to a takeover cannot commit. Correctness rests on single-document conditional
 * updates and unique indexes only, which every server (and the in-process test server) enforces. On a replica set
 * the same steps run inside {@code withTransaction}, so a batch is also never partly stored.
 */
public final class MongoLogs implements MessageLogs {

    private static final Logger LOG = LoggerFactory.getLogger(MongoLogs.class);
    private static final int INSERT_ATTEMPTS = 8;

    private final MongoStore store;

    public MongoLogs(MongoStore store) {
        this.store = store;
    }

    // ---- owners ----------------------------------------------------------------------------------------------

    private MongoCollection<Document> owners(LogRef ref) {
        return ref instanceof LogRef.SessionLog ? store.sessions : store.panels;
    }

    private static Bson ownerId(LogRef ref) {
        if (ref instanceof LogRef.SessionLog s) {
            return Filters.eq("_id", BsonMapping.sessionKey(s.userId(), s.sessionId()));
        }
        return Filters.eq("_id", ((LogRef.PanelLog) ref).panelId());
    }

    static NotFoundException notFound(LogRef ref) {
        if (ref instanceof LogRef.SessionLog s) {
            return new NotFoundException("session", s.userId() + "/" + s.sessionId());
        }
        return new NotFoundException("panel", ((LogRef.PanelLog) ref).panelId());
    }

    /** The log's committed last seq; readers see nothing above it. */
    private long committedLast(LogRef ref) {
        Document head = owners(ref).find(ownerId(ref)).projection(Projections.include("lastSeq")).first();
        if (head == null) {
            throw notFound(ref);
        }
        return longValue(head, "lastSeq");
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    @Override
    public Optional<Message> findBySeq(LogRef ref, long seq) {
        return store.call("read " + ref, () -> {
            long last = committedLast(ref);
            if (seq < 1 || seq > last) {
                return Optional.empty();
            }
            return Optional.ofNullable(store.messages.find(Filters.and(Filters.eq("log", logKey(ref)),
                    Filters.eq("seq", seq))).first()).map(BsonMapping::message);
        });
    }

    @Override
    public Optional<Message> findById(LogRef ref, String messageId) {
        return store.call("read " + ref, () -> {
            long last = committedLast(ref);
            Document d = store.messages.find(Filters.and(Filters.eq("log", logKey(ref)), Filters.eq("mid", messageId),
                    Filters.lte("seq", last))).first();
            return Optional.ofNullable(d).map(BsonMapping::message);
        });
    }

    @Override
    public List<Message> after(LogRef ref, long afterSeq, int limit) {
        return store.call("read " + ref, () -> {
            long last = committedLast(ref);
            if (afterSeq >= last || limit <= 0) {
                return List.of();
            }
            return range(ref, afterSeq, Math.min(last, afterSeq + limit));
        });
    }

    @Override
    public List<Message> last(LogRef ref, int n) {
        return store.call("read " + ref, () -> {
            long last = committedLast(ref);
            if (last == 0 || n <= 0) {
                return List.of();
            }
            return range(ref, Math.max(0, last - n), last);
        });
    }

    /** Messages with {@code from < seq <= to}, ascending. */
    private List<Message> range(LogRef ref, long from, long to) {
        List<Message> out = new ArrayList<>((int) Math.min(to - from, 10_000));
        for (Document d : store.messages.find(Filters.and(Filters.eq("log", logKey(ref)), Filters.gt("seq", from),
                Filters.lte("seq", to))).sort(Sorts.ascending("seq")).batchSize((int) Math.min(to - from + 1, 5000))) {
            out.add(BsonMapping.message(d));
        }
        return out;
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    @Override
    public List<Message> append(LogRef ref, List<Message> drafts, long maxMessages) {
        return store.call("append to " + ref, () -> write(ref, drafts, (base) -> {
            if (base + drafts.size() > maxMessages) {
                throw new LimitExceededException("limits.max-messages-per-session", maxMessages,
                        base + drafts.size());
            }
            List<Message> stored = new ArrayList<>(drafts.size());
            long seq = base;
            for (Message m : drafts) {
                stored.add(m.withSeq(++seq));
            }
            return stored;
        }, false));
    }

    @Override
    public void restore(LogRef ref, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        store.run("restore " + ref, () -> write(ref, messages, base -> messages, true));
    }

    /** What a write stores, given the committed last seq it starts from. */
    private interface Plan {
        List<Message> messages(long base);
    }

    private List<Message> write(LogRef ref, List<Message> batch, Plan plan, boolean restore) {
        if (store.transactions) {
            return writeInTransaction(ref, plan, restore);
        }
        long deadline = System.nanoTime() + store.appendTimeout.toNanos();
        int attempt = 0;
        while (true) {
            Document head = owners(ref).find(ownerId(ref)).projection(Projections.include("lastSeq", "pending"))
                    .first();
            if (head == null) {
                throw notFound(ref);
            }
            long base = longValue(head, "lastSeq");
            Document pending = head.get("pending", Document.class);
            List<Message> planned = plan.messages(base);
            if (pending != null && !stale(pending)) {
                waitForTurn(ref, deadline, attempt++);
                continue;
            }
            String token = UUID.randomUUID().toString();
            Bson reservable = Filters.and(ownerId(ref), Filters.eq("lastSeq", base), pending == null
                    ? Filters.exists("pending", false) : Filters.eq("pending.token", pending.getString("token")));
            UpdateResult reserved = owners(ref).updateOne(reservable, Updates.set("pending",
                    new Document("token", token).append("base", base).append("n", planned.size())
                            .append("at", new Date(System.currentTimeMillis()))));
            if (reserved.getMatchedCount() == 0) {
                waitForTurn(ref, deadline, attempt++);
                continue;
            }
            if (pending != null) {
                LOG.warn("took over the stale append reservation {} of {} (base {})", pending.getString("token"), ref,
                        pending.get("base"));
            }
            boolean committing = false;
            try {
                String key = logKey(ref);
                if (pending != null || restore) {
                    // Taking over from a writer that died (or restoring): clear what it may have left above base.
                    // Otherwise leftovers are rare (a writer overtaken after its lease that still inserted) and the
                    // unique indexes report them on insert, where they are cleared and the insert retried.
                    store.messages.deleteMany(Filters.and(Filters.eq("log", key), Filters.gt("seq", base)));
                }
                if (restore) {
                    checkIds(ref, key, planned, true);
                }
                insert(ref, key, planned, base, token, restore);
                committing = true;
                commit(ref, key, planned, base, token, restore);
                return planned;
            } catch (RuntimeException e) {
                if (!committing) {
                    release(ref, token, base);
                }
                throw e;
            }
        }
    }

    /**
     * Whether a reservation is past its lease. Leases measure real time, so they use the wall clock, not the
     * store's (possibly fixed) clock; writers in different processes need clocks within a fraction of the lease.
     */
    private boolean stale(Document pending) {
        Date at = pending.getDate("at");
        return at == null || at.getTime() + store.appendLease.toMillis() < System.currentTimeMillis();
    }

    private void waitForTurn(LogRef ref, long deadline, int attempt) {
        if (System.nanoTime() > deadline) {
            throw new StorageUnavailableException("append to " + ref + " timed out after "
                    + store.appendTimeout.toMillis() + " ms waiting for other writers of the log "
                    + "(backend.append-timeout-ms)");
        }
        long ceiling = Math.min(50, 1L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while waiting to append to " + ref, e);
        }
    }

    /**
     * Refuses an ID stored at another committed seq. For an append every ID is new; for a restore the core has
     * checked that occupied seqs keep their IDs, and an ID may only come back at its own seq.
     */
    private void checkIds(LogRef ref, String key, List<Message> planned, boolean restore) {
        Map<String, Long> seqOf = new HashMap<>();
        planned.forEach(m -> seqOf.put(m.id(), m.seq()));
        for (Document d : store.messages.find(Filters.and(Filters.eq("log", key),
                Filters.in("mid", seqOf.keySet()))).projection(Projections.include("mid", "seq"))) {
            if (!restore || longValue(d, "seq") != seqOf.get(d.getString("mid"))) {
                throw new DuplicateKeyException("message", ref + "/" + d.getString("mid"));
            }
        }
    }

    private void insert(LogRef ref, String key, List<Message> planned, long base, String token, boolean restore) {
        List<Document> docs = new ArrayList<>(planned.size());
        planned.forEach(m -> docs.add(BsonMapping.message(ref, key, m, token)));
        if (restore) {
            // Replaces the messages at occupied seqs (same IDs) and adds the rest; the writes become visible to
            // readers at once below lastSeq (they carry the same IDs), and above it only with the commit.
            List<ReplaceOneModel<Document>> writes = new ArrayList<>(docs.size());
            for (Document d : docs) {
                writes.add(new ReplaceOneModel<>(Filters.and(Filters.eq("log", key), Filters.eq("seq", d.get("seq"))),
                        d, new ReplaceOptions().upsert(true)));
            }
            store.messages.bulkWrite(writes);
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                store.messages.insertMany(docs, new InsertManyOptions().ordered(true));
                return;
            } catch (MongoException e) {
                if (!MongoExceptionTranslator.isDuplicateKey(e) || attempt >= INSERT_ATTEMPTS) {
                    throw e;
                }
                // Either an ID is already committed (a real duplicate), or something lies above base: the
                // remains of a writer that died or was overtaken. Clear the range (ours included, we still hold
                // the reservation), refuse committed IDs, and insert the whole batch anew.
                ensureReserved(ref, token);
                store.messages.deleteMany(Filters.and(Filters.eq("log", key), Filters.gt("seq", base)));
                checkIds(ref, key, planned, false);
            }
        }
    }

    private void ensureReserved(LogRef ref, String token) {
        if (owners(ref).countDocuments(Filters.and(ownerId(ref), Filters.eq("pending.token", token))) == 0) {
            throw new StorageUnavailableException("append to " + ref + " lost its reservation to another writer "
                    + "after backend.append-lease-ms; nothing of the batch was stored");
        }
    }

    private void commit(LogRef ref, String key, List<Message> planned, long base, String token, boolean restore) {
        Message lastWritten = planned.get(planned.size() - 1);
        long newLast = Math.max(base, lastWritten.seq());
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.set("lastSeq", newLast));
        updates.add(Updates.unset("pending"));
        if (ref instanceof LogRef.SessionLog) {
            Instant lastAt = lastWritten.seq() == newLast ? lastWritten.createdAt() : createdAtOf(key, newLast);
            updates.add(Updates.set("lastMessageAt", date(lastAt)));
        }
        if (!restore) {
            Instant newest = planned.stream().map(Message::createdAt).max(Comparator.naturalOrder()).orElseThrow();
            updates.add(Updates.max("updatedAt", date(newest)));
        }
        UpdateResult committed = owners(ref).updateOne(Filters.and(ownerId(ref), Filters.eq("pending.token", token)),
                Updates.combine(updates));
        if (committed.getMatchedCount() == 0) {
            // Overtaken after the lease: the new holder clears the range; remove what is ours in case it has not.
            store.messages.deleteMany(Filters.and(Filters.eq("log", key), Filters.eq("tok", token),
                    Filters.gt("seq", base)));
            throw new StorageUnavailableException("append to " + ref + " lost its reservation to another writer "
                    + "after backend.append-lease-ms (or the log was deleted); nothing of the batch was stored");
        }
    }

    private Instant createdAtOf(String key, long seq) {
        Document d = store.messages.find(Filters.and(Filters.eq("log", key), Filters.eq("seq", seq)))
                .projection(Projections.include("createdAt")).first();
        return d == null ? Instant.EPOCH : d.getDate("createdAt").toInstant();
    }

    /** Gives the reservation back and removes what this writer inserted above the committed seq. */
    private void release(LogRef ref, String token, long base) {
        try {
            owners(ref).updateOne(Filters.and(ownerId(ref), Filters.eq("pending.token", token)),
                    Updates.unset("pending"));
            store.messages.deleteMany(Filters.and(Filters.eq("log", logKey(ref)), Filters.eq("tok", token),
                    Filters.gt("seq", base)));
        } catch (RuntimeException e) {
            // The reservation then expires after the lease and the next writer clears the range.
            LOG.warn("could not release the append reservation {} of {}: {}", token, ref, e.toString());
        }
    }

    // ---- replica sets ----------------------------------------------------------------------------------------

    private List<Message> writeInTransaction(LogRef ref, Plan plan, boolean restore) {
        TransactionOptions options = TransactionOptions.builder().writeConcern(WriteConcern.MAJORITY).build();
        long deadline = System.nanoTime() + store.appendTimeout.toNanos();
        int attempt = 0;
        while (true) {
            try (ClientSession session = store.client.startSession()) {
                return session.withTransaction(() -> {
                    Document head = owners(ref).find(session, ownerId(ref))
                            .projection(Projections.include("lastSeq", "pending")).first();
                    if (head == null) {
                        throw notFound(ref);
                    }
                    Document pending = head.get("pending", Document.class);
                    if (pending != null && !stale(pending)) {
                        throw new LogBusy();
                    }
                    long base = longValue(head, "lastSeq");
                    List<Message> planned = plan.messages(base);
                    String key = logKey(ref);
                    String token = UUID.randomUUID().toString();
                    store.messages.deleteMany(session, Filters.and(Filters.eq("log", key), Filters.gt("seq", base)));
                    Map<String, Long> seqOf = new HashMap<>();
                    planned.forEach(m -> seqOf.put(m.id(), m.seq()));
                    for (Document d : store.messages.find(session, Filters.and(Filters.eq("log", key),
                            Filters.in("mid", seqOf.keySet())))) {
                        if (!restore || longValue(d, "seq") != seqOf.get(d.getString("mid"))) {
                            throw new DuplicateKeyException("message", ref + "/" + d.getString("mid"));
                        }
                    }
                    List<Document> docs = new ArrayList<>();
                    planned.forEach(m -> docs.add(BsonMapping.message(ref, key, m, token)));
                    if (restore) {
                        for (Document d : docs) {
                            store.messages.replaceOne(session, Filters.and(Filters.eq("log", key),
                                    Filters.eq("seq", d.get("seq"))), d, new ReplaceOptions().upsert(true));
                        }
                    } else {
                        store.messages.insertMany(session, docs);
                    }
                    Message lastWritten = planned.get(planned.size() - 1);
                    long newLast = Math.max(base, lastWritten.seq());
                    List<Bson> updates = new ArrayList<>();
                    updates.add(Updates.set("lastSeq", newLast));
                    updates.add(Updates.unset("pending"));
                    if (ref instanceof LogRef.SessionLog) {
                        Document at = store.messages.find(session, Filters.and(Filters.eq("log", key),
                                Filters.eq("seq", newLast))).projection(Projections.include("createdAt")).first();
                        updates.add(Updates.set("lastMessageAt", at == null ? date(lastWritten.createdAt())
                                : at.getDate("createdAt")));
                    }
                    if (!restore) {
                        Instant newest = planned.stream().map(Message::createdAt).max(Comparator.naturalOrder())
                                .orElseThrow();
                        updates.add(Updates.max("updatedAt", date(newest)));
                    }
                    owners(ref).updateOne(session, ownerId(ref), Updates.combine(updates));
                    return planned;
                }, options);
            } catch (LogBusy busy) {
                waitForTurn(ref, deadline, attempt++);
            }
        }
    }

    /** A standalone-protocol writer holds the log; the transaction waits like a standalone writer would. */
    private static final class LogBusy extends RuntimeException {
        LogBusy() {
            super("log busy", null, false, false);
        }
    }
}
