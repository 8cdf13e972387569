package dev.chatstore.flatfile.internal;

import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The append path of one log (LevelDB's writer queue, Kafka's group commit): appends queue up; the first caller in
 * the queue becomes the leader, takes the log's cross-process lock, has {@link MessageLog} re-read the log's real
 * end (another process may have appended) and lay out the whole group, writes it in one write and (with
 * {@link Durability#SYNC}) one fsync, then answers everyone in the group. A failed write is cut off again; a failed
 * fsync poisons the store (after a failed fsync the kernel may have dropped the data, so it is never retried).
 */
final class GroupCommitWriter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_GROUP = 128;
    private static final int MAX_GROUP_BYTES = 4 << 20;

    private final MessageLog log;
    private final FileIo io;
    private final Durability durability;
    private final Poison poison;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private volatile boolean dirty;

    GroupCommitWriter(MessageLog log, FileIo io, Durability durability, Poison poison) {
        this.log = log;
        this.io = io;
        this.durability = durability;
        this.poison = poison;
    }

    /** One caller's append waiting in the queue. */
    static final class Pending {
        final List<Message> drafts;
        final long max;
        final String owner;
        /** Restored messages carry their seqs, which must continue the log. */
        final boolean restore;
        List<Message> result;
        RuntimeException error;
        boolean done;

        Pending(List<Message> drafts, long max, String owner, boolean restore) {
            this.drafts = drafts;
            this.max = max;
            this.owner = owner;
            this.restore = restore;
        }
    }

    /**
     * Appends the drafts with the next seqs, atomically and durably as configured.
     *
     * @param ownerCheck run under the lock before writing when the log file is not the one this view knows;
     *                   throws if the session or panel is gone
     */
    List<Message> append(List<Message> drafts, long maxMessages, String owner, MessageLog.Locker locker,
                         Runnable ownerCheck) {
        poison.checkWritable();
        Pending me = new Pending(drafts, maxMessages, owner, false);
        boolean interrupted = Thread.interrupted(); // restored at the end; the write itself must not be cut short
        try {
            return lead(me, locker, ownerCheck);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Appends restored messages (seqs given, continuing the log) while the caller already holds the lock, without
     * joining the queue (whose leader may be waiting for that very lock).
     */
    List<Message> appendRestoredLocked(List<Message> messages, String owner) {
        poison.checkWritable();
        Pending p = new Pending(messages, Long.MAX_VALUE, owner, true);
        writeGroup(List.of(p), null);
        return finish(p);
    }

    private List<Message> lead(Pending me, MessageLog.Locker locker, Runnable ownerCheck) {
        synchronized (queue) {
            queue.addLast(me);
            boolean interrupted = false;
            while (!me.done && queue.peekFirst() != me) {
                try {
                    queue.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // keep our place: leaving the queue would orphan the group
                }
            }
            if (interrupted) {
                Thread.interrupted();
            }
            if (me.done) {
                return finish(me);
            }
        }
        List<Pending> group = new ArrayList<>();
        synchronized (queue) {
            int bytes = 0;
            for (Pending p : queue) {
                if (group.size() >= MAX_GROUP || bytes > MAX_GROUP_BYTES) {
                    break;
                }
                group.add(p);
                for (Message m : p.drafts) {
                    bytes += m.content().length();
                }
            }
        }
        try {
            try (StoreLocks.Held held = locker.lock()) {
                BasicFileAttributes attrs = log.statIfUnchanged();
                if (attrs == null) {
                    // the log is new to this view, was replaced, grew elsewhere or is gone: check that the owner
                    // (session or panel) still exists before trusting it; while the same file is unchanged it does
                    // (deleting an owner moves its whole directory, log included)
                    ownerCheck.run();
                }
                writeGroup(group, attrs);
            }
        } catch (RuntimeException e) {
            for (Pending p : group) {
                if (p.result == null && p.error == null) {
                    p.error = e;
                }
            }
        } finally {
            synchronized (queue) {
                for (Pending p : group) {
                    queue.remove(p);
                    p.done = true;
                }
                queue.notifyAll();
            }
        }
        return finish(me);
    }

    private static List<Message> finish(Pending p) {
        if (p.error != null) {
            throw p.error; // the same typed exception may be shared by a group
        }
        return p.result;
    }

    /**
     * Under the lock: lays the group out against the log's end, writes it, syncs it as configured and
     * publishes it ({@link MessageLog#publish}). {@code attrs}: the log's attributes just read under this lock
     * when they showed it unchanged; null to refresh the view first.
     */
    private void writeGroup(List<Pending> group, BasicFileAttributes attrs) {
        poison.checkWritable();
        MessageLog.Batch batch;
        synchronized (log) {
            LogEnd end = log.endForWrite(attrs);
            batch = layOut(group, log.channel(), end);
        }
        if (batch.accepted().isEmpty()) {
            return;
        }
        try {
            io.write(batch.channel(), ByteBuffer.wrap(batch.bytes()), batch.startOffset());
        } catch (IOException e) {
            cutBack(batch);
            fail(batch.accepted(), FlatfileExceptionTranslator.io("append to", log.path(), e));
            return;
        }
        if (durability == Durability.SYNC) {
            try {
                io.force(batch.channel());
            } catch (IOException e) {
                poison.set("fsync of " + log.path() + " failed: " + FlatfileExceptionTranslator.reason(e));
                cutBack(batch);
                fail(batch.accepted(), new StorageIOException("fsync of " + log.path() + " failed; the store"
                        + " refuses writes until it is reopened: " + FlatfileExceptionTranslator.reason(e), e));
                return;
            }
        } else if (durability == Durability.BATCH) {
            dirty = true;
        }
        log.publish(batch);
    }

    /**
     * Assigns seqs and checks each pending append (limit, duplicate IDs) against the log's end; a refused one gets
     * its error, the others their result. Holding the log's monitor.
     */
    private MessageLog.Batch layOut(List<Pending> group, FileChannel channel, LogEnd end) {
        long seq = end.lastSeq();
        long max = end.maxCreatedAt();
        long lastAt = end.lastCreatedAt();
        long offset = end.offset();
        List<Pending> accepted = new ArrayList<>();
        OffsetIndex.Entries entries = new OffsetIndex.Entries(16);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // duplicate IDs within the group: only a group of more than one message needs the sets
        boolean single = group.size() == 1 && group.get(0).drafts.size() == 1;
        Set<String> groupIds = single ? Set.of() : new HashSet<>();
        for (Pending p : group) {
            try {
                if (!p.restore && seq + p.drafts.size() > p.max) {
                    throw new LimitExceededException("limits.max-messages-per-session", p.max, seq + p.drafts.size());
                }
                Set<String> mine = single ? null : new HashSet<>();
                List<Message> stored = new ArrayList<>(p.drafts.size());
                long s = seq;
                for (Message m : p.drafts) {
                    if ((mine != null && (!mine.add(m.id()) || groupIds.contains(m.id()))) || LogLookups.containsId(log, m.id())) {
                        throw new DuplicateKeyException("message", p.owner + "/" + m.id());
                    }
                    long next = p.restore ? m.seq() : s + 1;
                    if (p.restore && next != s + 1) {
                        throw new ValidationException("message.seq", "restoring seq " + next
                                + " would not continue the log after seq " + s);
                    }
                    s = next;
                    stored.add(p.restore ? m : m.withSeq(s));
                }
                for (Message m : stored) {
                    byte[] line = LogLines.encode(m);
                    max = Math.max(max, m.createdAt().toEpochMilli());
                    entries.add(offset, max);
                    offset += line.length;
                    bytes.writeBytes(line);
                    lastAt = m.createdAt().toEpochMilli();
                }
                if (mine != null) {
                    groupIds.addAll(mine);
                }
                seq = s;
                p.result = List.copyOf(stored);
                accepted.add(p);
            } catch (StorageException e) {
                p.error = e;
            }
        }
        return new MessageLog.Batch(channel, end.offset(), bytes.toByteArray(), entries, accepted,
                new LogEnd(end.records() + entries.size(), offset, seq, lastAt, max));
    }

    private void cutBack(MessageLog.Batch batch) {
        try {
            io.truncate(batch.channel(), batch.startOffset());
        } catch (IOException e) {
            poison.set("cannot cut a failed append off " + log.path() + ": " + FlatfileExceptionTranslator.reason(e));
            LOG.error("{}: cannot truncate a failed append back to offset {}: {}", log.path(), batch.startOffset(),
                    FlatfileExceptionTranslator.reason(e));
        }
    }

    private static void fail(List<Pending> accepted, RuntimeException e) {
        for (Pending p : accepted) {
            p.result = null;
            p.error = e;
        }
    }

    /** Batch durability: fsync if anything was written since the last flush. */
    void flushIfDirty() {
        if (!dirty) {
            return;
        }
        dirty = false;
        FileChannel ch = log.channel();
        if (ch == null) {
            return;
        }
        try {
            io.force(ch);
        } catch (ClosedChannelException e) {
            // closed meanwhile (session deleted or store closed); nothing left to flush
        } catch (IOException e) {
            poison.set("fsync of " + log.path() + " failed: " + FlatfileExceptionTranslator.reason(e));
            LOG.error("{}: background fsync failed; the store refuses writes until reopened", log.path(), e);
        }
    }
}
