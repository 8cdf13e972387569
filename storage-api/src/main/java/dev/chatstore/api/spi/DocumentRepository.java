package dev.chatstore.api.spi;

import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Documents of sessions, keyed by (userId, sessionId, name). Every method naming a session throws
 * {@link dev.chatstore.api.error.NotFoundException} when that user has no such session.
 */
public interface DocumentRepository {

    /**
     * Reads {@code upload.content()} to its end and stores the bytes with their metadata (size and sha256 from
     * the content), replacing any document of the same name. If reading fails (including
     * {@link dev.chatstore.api.error.LimitExceededException}) nothing is left behind and any previous document of
     * that name is unchanged.
     */
    Document save(String userId, Upload upload);

    /** The document's metadata. The default searches {@link #list}; adapters with a keyed read override it. */
    default Optional<Document> find(String userId, String sessionId, String name) {
        return list(userId, sessionId).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The document's bytes as a stream the caller closes. */
    Optional<InputStream> open(String userId, String sessionId, String name);

    /** The session's documents by name in {@link Orderings#CODE_POINTS} order. */
    List<Document> list(String userId, String sessionId);

    /** @throws dev.chatstore.api.error.NotFoundException if the document does not exist */
    Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis);

    boolean delete(String userId, String sessionId, String name);

    /**
     * A document to store.
     *
     * @param sessionId  the session
     * @param name       the validated file name
     * @param mimeType   the declared content type
     * @param uploadedAt the timestamp to record
     * @param analysis   the analysis to record
     * @param metadata   free-form metadata
     * @param content    the bytes
     */
    record Upload(String sessionId, String name, String mimeType, Instant uploadedAt, JsonObject analysis,
                  JsonObject metadata, DocumentContent content) {
        public Upload {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(uploadedAt, "uploadedAt");
            Objects.requireNonNull(analysis, "analysis");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(content, "content");
        }
    }
}
