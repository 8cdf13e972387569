package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * An analysis or conclusion saved for a panel. Insights older than {@code panels.insight-retention-days} are
 * removed by {@code purgeExpiredInsights}.
 *
 * @param id        generated as {@code insight_YYYYMMDD_HHMMSS_<random>}
 * @param panelId   the panel
 * @param createdAt when it was saved
 * @param content   the insight itself
 */
public record Insight(String id, String panelId, Instant createdAt, JsonObject content) {

    public Insight {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(panelId, "panelId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(content, "content");
    }
}
