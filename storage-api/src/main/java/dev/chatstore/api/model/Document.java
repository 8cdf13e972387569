package dev.chatstore.api.model;

import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * The metadata of a document uploaded into a session; its bytes are read separately.
 *
 * @param sessionId  the session it belongs to
 * @param name       its file name, unique within the session
 * @param mimeType   the content type the caller declared
 * @param size       its length in bytes
 * @param sha256     the lowercase hex SHA-256 of its bytes, computed by the store
 * @param uploadedAt when it was (last) saved
 * @param analysis   analysis results, replaced by {@code updateAnalysis}
 * @param metadata   free-form data
 */
public record Document(String sessionId, String name, String mimeType, long size, String sha256, Instant uploadedAt,
                       JsonObject analysis, JsonObject metadata) {

    public Document {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(metadata, "metadata");
    }

    public Document withAnalysis(JsonObject newAnalysis) {
        return new Document(sessionId, name, mimeType, size, sha256, uploadedAt, newAnalysis, metadata);
    }
}
