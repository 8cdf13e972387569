package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.model.Message;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Group commit of appends to one session: threads of this store that append to the same session at the same time
 * have their batches written by one of them (the leader) in one transaction, instead of queueing one by one on the
 * session row's lock, each with its own commit.
 *
 * <p>A caller whose session has no append in flight writes its batch itself, as before. Otherwise it queues; when the
 * running write ends, its leader hands the lead to the first queued caller, which takes every queued batch (up to
 * {@value #MAX_GROUP_MESSAGES} messages) and writes them as one batch, in queue order. So each caller's messages get
 * contiguous seqs, as if the batches had been appended one after the other, and the counters grow by the total in
 * the same statement. A group that fails as a whole for a reason that belongs to one caller's batch (a duplicate
 * message ID, the session's message limit) wrote nothing, and its batches are then written one by one, so each caller
 * gets its own answer, exactly as without grouping; any other failure (the session is gone, the database is
 * unreachable) is every caller's answer.
 */
final class GroupedAppends {

    /** The largest group written as one batch: one statement's arrays stay small. */
    static final int MAX_GROUP_MESSAGES = 1000;

    /** Writes one batch to a session in one transaction, assigning seqs after its last one. */
    @FunctionalInterface
    interface Writer {
        List<Message> append(List<Message> drafts, long maxMessages);
    }

    private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();

    /** The appends waiting for (or being written by) one session's leader. */
    private static final class Group {
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        boolean busy;
    }

    /** One caller's batch and, once written, its answer. */
    private static final class Pending {
        final List<Message> drafts;
        final long maxMessages;
        boolean leads;
        boolean done;
        List<Message> stored;
        RuntimeException failure;

        Pending(List<Message> drafts, long maxMessages) {
            this.drafts = drafts;
            this.maxMessages = maxMessages;
        }

        List<Message> answer() {
            if (failure != null) {
                throw failure;
            }
            return stored;
        }
    }

    /**
     * Appends {@code drafts} to the session named by {@code sessionKey} through {@code writer}, alone or in a group.
     *
     * @return the drafts as stored, with their seqs
     */
    List<Message> append(String sessionKey, List<Message> drafts, long maxMessages, Writer writer) {
        Pending me = new Pending(drafts, maxMessages);
        Group group;
        boolean interrupted = false;
        while (true) {
            group = groups.computeIfAbsent(sessionKey, k -> new Group());
            synchronized (group) {
                if (groups.get(sessionKey) != group) {
                    continue; // retired while we looked it up
                }
                group.queue.add(me);
                if (!group.busy) {
                    group.busy = true;
                    me.leads = true;
                }
                while (!me.leads && !me.done) {
                    try {
                        group.wait();
                    } catch (InterruptedException e) {
                        // a queued batch cannot be withdrawn once a leader may have taken it: wait for its answer
                        interrupted = true;
                    }
                }
            }
            break;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (me.done) {
            return me.answer();
        }
        lead(sessionKey, group, writer);
        return me.answer();
    }

    /** Takes the queued batches (the leader's first), writes them, answers them, and passes the lead on. */
    private void lead(String sessionKey, Group group, Writer writer) {
        List<Pending> taken = new ArrayList<>();
        synchronized (group) {
            int messages = 0;
            while (!group.queue.isEmpty()
                    && (taken.isEmpty() || messages + group.queue.peek().drafts.size() <= MAX_GROUP_MESSAGES)) {
                Pending p = group.queue.poll();
                messages += p.drafts.size();
                taken.add(p);
            }
        }
        try {
            write(taken, writer);
        } catch (RuntimeException e) {
            for (Pending p : taken) {
                if (p.stored == null && p.failure == null) {
                    p.failure = e;
                }
            }
        } finally {
            synchronized (group) {
                for (Pending p : taken) {
                    p.done = true;
                }
                Pending next = group.queue.peek();
                if (next != null) {
                    next.leads = true;
                } else {
                    group.busy = false;
                    groups.remove(sessionKey, group);
                }
                group.notifyAll();
            }
        }
    }

    private static void write(List<Pending> taken, Writer writer) {
        if (taken.size() == 1) {
            writeAlone(taken.get(0), writer);
            return;
        }
        List<Message> all = new ArrayList<>();
        long max = Long.MAX_VALUE;
        for (Pending p : taken) {
            all.addAll(p.drafts);
            max = Math.min(max, p.maxMessages);
        }
        List<Message> stored;
        try {
            stored = writer.append(all, max);
        } catch (DuplicateKeyException | LimitExceededException e) {
            // one batch's own failure: the group wrote nothing; give each batch its own answer
            for (Pending p : taken) {
                writeAlone(p, writer);
            }
            return;
        }
        int from = 0;
        for (Pending p : taken) {
            p.stored = List.copyOf(stored.subList(from, from + p.drafts.size()));
            from += p.drafts.size();
        }
    }

    private static void writeAlone(Pending p, Writer writer) {
        try {
            p.stored = writer.append(p.drafts, p.maxMessages);
        } catch (RuntimeException e) {
            p.failure = e;
        }
    }
}
