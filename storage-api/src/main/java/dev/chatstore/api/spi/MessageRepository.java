package dev.chatstore.api.spi;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;

import java.util.List;
import java.util.Optional;

/**
 * The message logs of sessions. Every method naming a session throws
 * {@link dev.chatstore.api.error.NotFoundException} when that user has no such session.
 */
public interface MessageRepository {

    /**
     * Appends the messages atomically, assigning seqs after the session's last one (the {@code seq} they carry
     * is ignored). In the same atomic step: messageCount grows by their number, lastMessageAt becomes the last
     * one's createdAt, updatedAt becomes the later of itself and the newest createdAt. Never reads or rewrites
     * earlier messages.
     *
     * @return the messages as stored, with their seqs
     * @throws dev.chatstore.api.error.DuplicateKeyException  if a message ID already exists in the session
     * @throws dev.chatstore.api.error.LimitExceededException if the session would hold more than {@code maxMessages}
     */
    List<Message> append(String userId, String sessionId, List<Message> messages, long maxMessages);

    Optional<Message> findBySeq(String userId, String sessionId, long seq);

    Optional<Message> findById(String userId, String sessionId, String messageId);

    /** Messages with seq greater than {@code afterSeq}, ascending, at most {@code limit}. */
    List<Message> after(String userId, String sessionId, long afterSeq, int limit);

    /** The last {@code n} messages, ascending. */
    List<Message> last(String userId, String sessionId, int n);

    /**
     * The user's messages (all sessions, or the request's one) that match, ordered by createdAt descending,
     * then sessionId ascending, then seq descending, at most {@code request.limit()}. The result must equal
     * {@link TextSearch#matches} applied to every message; a native index may only find candidates.
     */
    List<Message> search(String userId, SearchRequest request);

    /** Totals of the messages with usage, grouped by model, provider and currency, in {@link UsageTotals#ORDER}. */
    List<UsageTotals> usage(UsageQuery query);

    /**
     * Writes messages exactly as given, seqs included, replacing any with the same seq; leaves the session's
     * counters alone (import, backfill, repair). The caller keeps seqs contiguous.
     */
    void restore(String userId, String sessionId, List<Message> messages);
}
