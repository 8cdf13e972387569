package dev.chatstore.api.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the application has understood of a conversation so far. A session has one current context and a
 * bounded history of snapshots.
 *
 * @param summary    a short summary (at most {@code limits.max-context-summary-length} characters)
 * @param keyPoints  the important points (at most {@code limits.max-context-key-points})
 * @param entities   extracted entities: a category name to its values
 * @param confidence how sure the application is, from 0 to 1
 * @param capturedAt when it was captured
 */
public record SituationalContext(String summary, List<String> keyPoints, Map<String, List<String>> entities,
                                 double confidence, Instant capturedAt) {

    public SituationalContext {
        Objects.requireNonNull(summary, "summary");
        keyPoints = List.copyOf(keyPoints);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        entities.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "entity name"), List.copyOf(v)));
        entities = java.util.Collections.unmodifiableMap(copy);
        Objects.requireNonNull(capturedAt, "capturedAt");
    }

    /** A context captured now. */
    public static SituationalContext of(String summary, List<String> keyPoints, Map<String, List<String>> entities,
                                        double confidence) {
        return new SituationalContext(summary, keyPoints, entities, confidence, Instant.now());
    }

    public SituationalContext withCapturedAt(Instant newCapturedAt) {
        return new SituationalContext(summary, keyPoints, entities, confidence, newCapturedAt);
    }
}
