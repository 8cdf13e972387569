package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller gives to create a panel: {@code NewPanel.of("analysis_team", List.of("analyst", "critic"))}.
 *
 * @param id       a caller-chosen ID, or empty to have one generated
 * @param type     the panel type
 * @param personas the persona IDs taking part
 * @param config   free-form configuration
 */
public record NewPanel(Optional<String> id, String type, List<String> personas, JsonObject config) {

    public NewPanel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        personas = List.copyOf(personas);
        Objects.requireNonNull(config, "config");
    }

    public static NewPanel of(String type, List<String> personas) {
        return new NewPanel(Optional.empty(), type, personas, JsonObject.empty());
    }

    public NewPanel withId(String newId) {
        return new NewPanel(Optional.of(newId), type, personas, config);
    }

    public NewPanel withConfig(JsonObject newConfig) {
        return new NewPanel(id, type, personas, newConfig);
    }
}
