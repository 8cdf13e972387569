package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.util.Objects;
import java.util.Optional;

/**
 * What a caller gives to create a session. Build it fluently:
 * {@code NewSession.titled("Python help").withModel("gpt-4o").withProvider("openai")}.
 *
 * @param id       a caller-chosen ID, or empty to have one generated
 * @param title    the title; may be empty
 * @param model    the model, if known
 * @param provider the provider, if known
 * @param metadata free-form configuration
 */
public record NewSession(Optional<String> id, String title, Optional<String> model, Optional<String> provider,
                         JsonObject metadata) {

    public NewSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(metadata, "metadata");
    }

    public static NewSession titled(String title) {
        return new NewSession(Optional.empty(), title, Optional.empty(), Optional.empty(), JsonObject.empty());
    }

    public NewSession withId(String newId) {
        return new NewSession(Optional.of(newId), title, model, provider, metadata);
    }

    public NewSession withModel(String newModel) {
        return new NewSession(id, title, Optional.of(newModel), provider, metadata);
    }

    public NewSession withProvider(String newProvider) {
        return new NewSession(id, title, model, Optional.of(newProvider), metadata);
    }

    public NewSession withMetadata(JsonObject newMetadata) {
        return new NewSession(id, title, model, provider, newMetadata);
    }
}
