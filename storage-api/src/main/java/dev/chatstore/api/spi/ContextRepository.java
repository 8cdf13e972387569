package dev.chatstore.api.spi;

import dev.chatstore.api.model.SituationalContext;

import java.util.List;
import java.util.Optional;

/**
 * The situational context of sessions: one current value and a bounded history of snapshots. Every method
 * throws {@link dev.chatstore.api.error.NotFoundException} when that user has no such session.
 */
public interface ContextRepository {

    void setCurrent(String userId, String sessionId, SituationalContext context);

    Optional<SituationalContext> current(String userId, String sessionId);

    /**
     * Adds a snapshot, then prunes the history to the newest {@code keep} (newest = capturedAt descending, then
     * the order snapshots were added, latest first), atomically.
     */
    void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep);

    /** Snapshots newest-first (capturedAt descending, then latest added first), at most {@code limit}. */
    List<SituationalContext> history(String userId, String sessionId, int limit);
}
