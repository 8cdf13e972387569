package dev.chatstore.flatfile.internal;

import dev.chatstore.api.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finding records of a {@link MessageLog} by seq and by ID. Records are addressed by position (the offset index
 * has one entry per record); without gaps record {@code i} holds seq {@code i + 1}, after a salvage (gaps) a
 * binary search over positions finds a seq. IDs go through the log's in-memory ID table of hashes, each hit
 * confirmed by reading the record.
 */
final class LogLookups {

    private LogLookups() {
    }

    /** The position of the first record with seq greater than {@code seq}. */
    static long firstPositionAfter(MessageLog log, long seq) {
        MessageLog.State st = log.state();
        if (seq <= 0) {
            return 0;
        }
        if (seq >= st.lastSeq()) {
            return st.lines();
        }
        if (st.lastSeq() == st.lines()) {
            return seq; // no gaps: record i holds seq i+1
        }
        long lo = 0;
        long hi = st.lines();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (log.readLines(mid, mid + 1).get(0).seq() > seq) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Messages with seq above {@code afterSeq}, ascending, at most {@code limit}. */
    static List<Message> after(MessageLog log, long afterSeq, int limit) {
        long position = firstPositionAfter(log, afterSeq);
        return log.readLines(position, position + limit);
    }

    /** The last {@code n} messages, ascending. */
    static List<Message> last(MessageLog log, int n) {
        long count = log.state().lines();
        return log.readLines(Math.max(0, count - n), count);
    }

    /** Every message, ascending. */
    static List<Message> all(MessageLog log) {
        return log.readLines(0, log.state().lines());
    }

    static Optional<Message> bySeq(MessageLog log, long seq) {
        MessageLog.State st = log.state();
        if (seq < 1 || seq > st.lastSeq()) {
            return Optional.empty();
        }
        long position = firstPositionAfter(log, seq - 1);
        if (position >= st.lines()) {
            return Optional.empty();
        }
        Message m = log.readLines(position, position + 1).get(0);
        return m.seq() == seq ? Optional.of(m) : Optional.empty();
    }

    /** Lookup by ID through the ID table (loaded on first use by a full, checked scan). */
    static Optional<Message> byId(MessageLog log, String id) {
        long seq = log.seqOfIdHash(id);
        if (seq < 0) {
            return Optional.empty();
        }
        Optional<Message> m = bySeq(log, seq);
        if (m.isPresent() && m.get().id().equals(id)) {
            return m;
        }
        // a 64-bit hash collision: settle it by a scan (practically never happens)
        List<Message> found = new ArrayList<>();
        log.forEach(0, msg -> {
            if (msg.id().equals(id)) {
                found.add(msg);
            }
        });
        return found.stream().findFirst();
    }

    /** Whether a message with this ID is in the log. */
    static boolean containsId(MessageLog log, String id) {
        return log.seqOfIdHash(id) >= 0 && byId(log, id).isPresent();
    }
}
