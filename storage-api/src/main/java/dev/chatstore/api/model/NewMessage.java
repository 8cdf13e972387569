package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller gives to append a message. The store assigns the seq, and the ID and timestamp unless given:
 * {@code NewMessage.assistant("Hello!").withUsage(Usage.of(12, 40, "0.0008")).withModel("gpt-4o")}.
 *
 * @param id          a caller-chosen ID, or empty to have a time-ordered one generated
 * @param role        see {@link Message#role()}
 * @param content     the text
 * @param createdAt   an explicit timestamp (imports, migrations), or empty for "now"
 * @param attachments names of documents of the session
 * @param metadata    free-form data
 * @param usage       token usage and cost
 * @param model       the model that produced it
 * @param provider    the provider of that model
 */
public record NewMessage(Optional<String> id, String role, String content, Optional<Instant> createdAt,
                         List<String> attachments, JsonObject metadata, Optional<Usage> usage,
                         Optional<String> model, Optional<String> provider) {

    public NewMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(createdAt, "createdAt");
        attachments = List.copyOf(attachments);
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
    }

    public static NewMessage of(String role, String content) {
        return new NewMessage(Optional.empty(), role, content, Optional.empty(), List.of(), JsonObject.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static NewMessage user(String content) {
        return of(Message.ROLE_USER, content);
    }

    public static NewMessage assistant(String content) {
        return of(Message.ROLE_ASSISTANT, content);
    }

    public static NewMessage system(String content) {
        return of(Message.ROLE_SYSTEM, content);
    }

    public static NewMessage tool(String content) {
        return of(Message.ROLE_TOOL, content);
    }

    public NewMessage withId(String newId) {
        return new NewMessage(Optional.of(newId), role, content, createdAt, attachments, metadata, usage, model,
                provider);
    }

    public NewMessage withCreatedAt(Instant newCreatedAt) {
        return new NewMessage(id, role, content, Optional.of(newCreatedAt), attachments, metadata, usage, model,
                provider);
    }

    public NewMessage withAttachments(List<String> newAttachments) {
        return new NewMessage(id, role, content, createdAt, newAttachments, metadata, usage, model, provider);
    }

    public NewMessage withMetadata(JsonObject newMetadata) {
        return new NewMessage(id, role, content, createdAt, attachments, newMetadata, usage, model, provider);
    }

    public NewMessage withUsage(Usage newUsage) {
        return new NewMessage(id, role, content, createdAt, attachments, metadata, Optional.of(newUsage), model,
                provider);
    }

    public NewMessage withModel(String newModel) {
        return new NewMessage(id, role, content, createdAt, attachments, metadata, usage, Optional.of(newModel),
                provider);
    }

    public NewMessage withProvider(String newProvider) {
        return new NewMessage(id, role, content, createdAt, attachments, metadata, usage, model,
                Optional.of(newProvider));
    }
}
