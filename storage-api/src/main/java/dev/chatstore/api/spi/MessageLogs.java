package dev.chatstore.api.spi;

import dev.chatstore.api.model.Message;

import java.util.List;
import java.util.Optional;

/**
 * The message logs of sessions and panels. Every method throws {@link dev.chatstore.api.error.NotFoundException}
 * when the log's owner does not exist (for a session log: when that user has no such session).
 */
public interface MessageLogs {

    /**
     * Appends the messages atomically, assigning seqs after the log's last one (the {@code seq} they carry is
     * ignored). Never reads or rewrites earlier messages. In the same atomic step, for a session log:
     * messageCount grows by their number, lastMessageAt becomes the last one's createdAt, updatedAt becomes the
     * later of itself and the newest createdAt; for a panel log: the panel's updatedAt becomes the later of itself
     * and the newest createdAt.
     *
     * @return the messages as stored, with their seqs
     * @throws dev.chatstore.api.error.DuplicateKeyException  if a message ID already exists in the log
     * @throws dev.chatstore.api.error.LimitExceededException if the log would hold more than {@code maxMessages}
     */
    List<Message> append(LogRef log, List<Message> messages, long maxMessages);

    Optional<Message> findBySeq(LogRef log, long seq);

    Optional<Message> findById(LogRef log, String messageId);

    /** Messages with seq greater than {@code afterSeq}, ascending, at most {@code limit}. */
    List<Message> after(LogRef log, long afterSeq, int limit);

    /** The last {@code n} messages, ascending. */
    List<Message> last(LogRef log, int n);

    /**
     * Writes messages exactly as given, seqs included (import, backfill, repair), all or nothing.
     *
     * <p>The core has already checked the batch: seqs are consecutive and ascending, the first is at most the log's
     * last seq + 1 (no gap), IDs are distinct, and a message that lands on an occupied seq carries the ID of the
     * message stored there (so re-copying a record is idempotent and a restore never moves an ID). The adapter
     * writes each message at its seq, replacing the one there, and throws
     * {@link dev.chatstore.api.error.DuplicateKeyException} (writing nothing) if a message's ID is already used at
     * another seq of the log. For a session log it then sets messageCount to the log's last seq and lastMessageAt
     * to that message's createdAt, so the counters never claim what the log does not hold; updatedAt and version
     * are left alone. A panel is left alone.
     */
    void restore(LogRef log, List<Message> messages);
}
