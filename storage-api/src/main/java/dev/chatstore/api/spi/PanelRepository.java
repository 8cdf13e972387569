package dev.chatstore.api.spi;

import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Panels with their message logs and insights. Methods naming a panel throw
 * {@link dev.chatstore.api.error.NotFoundException} when it does not exist.
 */
public interface PanelRepository {

    /** @throws dev.chatstore.api.error.DuplicateKeyException if the ID exists */
    void insert(Panel panel);

    Optional<Panel> find(String panelId);

    /** Panels by createdAt descending, then ID ascending. */
    List<Panel> list(int offset, int limit);

    /** Deletes the panel with its messages and insights. */
    boolean delete(String panelId);

    /**
     * Appends to the panel's log exactly as {@link MessageRepository#append} does for a session (atomic, seqs
     * contiguous, IDs unique in the panel); the panel's updatedAt becomes the later of itself and the newest
     * createdAt.
     */
    List<Message> append(String panelId, List<Message> messages, long maxMessages);

    /** Messages with seq greater than {@code afterSeq}, ascending, at most {@code limit}. */
    List<Message> messages(String panelId, long afterSeq, int limit);

    /** @throws dev.chatstore.api.error.DuplicateKeyException if the panel already has an insight with that ID */
    void saveInsight(Insight insight);

    /** The panel's insights, createdAt descending then ID descending, at most {@code limit}. */
    List<Insight> insights(String panelId, int limit);

    /** Removes every insight (of every panel) created before {@code cutoff}; returns how many. */
    long purgeInsightsBefore(Instant cutoff);

    /** Writes the panel exactly as given (import, backfill, repair). */
    void restore(Panel panel);

    /** Writes messages exactly as given, seqs included (import, backfill, repair). */
    void restoreMessages(String panelId, List<Message> messages);

    /** Writes an insight exactly as given, replacing one with the same ID. */
    void restoreInsight(Insight insight);
}
