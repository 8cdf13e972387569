package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A multi-persona panel: several personas discussing in one shared message log, with saved insights.
 *
 * @param id        generated as {@code panel_YYYYMMDD_HHMMSS_<random>} unless supplied
 * @param type      e.g. {@code multi_persona}, {@code focus_group}
 * @param personas  the IDs of the personas taking part (at most {@code limits.max-personas-per-panel})
 * @param config    free-form configuration
 * @param createdAt when it was created
 * @param updatedAt the later of its creation and its newest message's createdAt
 */
public record Panel(String id, String type, List<String> personas, JsonObject config, Instant createdAt,
                    Instant updatedAt) {

    public Panel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        personas = List.copyOf(personas);
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
