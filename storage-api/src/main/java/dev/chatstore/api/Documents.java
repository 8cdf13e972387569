package dev.chatstore.api;

import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.spi.DocumentContent;
import dev.chatstore.api.spi.DocumentRepository;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Documents uploaded into a session, streamed in and out so a large one never sits in memory twice. Every call
 * names the user and throws {@link dev.chatstore.api.error.NotFoundException} if that user has no such session.
 * Obtained from {@link ChatStore#documents()}.
 */
public final class Documents {

    private final StoreCore core;

    Documents(StoreCore core) {
        this.core = core;
    }

    /** Saves (or replaces) a document from bytes in memory. */
    public Document save(String userId, String sessionId, String name, String mimeType, byte[] content) {
        return save(userId, sessionId, name, mimeType, new ByteArrayInputStream(content), JsonObject.empty());
    }

    /**
     * Saves (or replaces) a document, reading {@code content} to its end (the caller closes it). Its size and
     * SHA-256 are computed while it streams.
     *
     * @throws dev.chatstore.api.error.ValidationException if the name is not a plain file name
     * @throws LimitExceededException past {@code limits.max-document-bytes} or for an extension outside
     *                                {@code limits.allowed-document-extensions}; nothing is stored
     */
    public Document save(String userId, String sessionId, String name, String mimeType, InputStream content,
                         JsonObject metadata) {
        return save(userId, sessionId, name, mimeType, content, metadata, JsonObject.empty(), core.now());
    }

    Document save(String userId, String sessionId, String name, String mimeType, InputStream content,
                  JsonObject metadata, JsonObject analysis, Instant uploadedAt) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        Validator.documentName("name", name);
        Validator.label("mimeType", mimeType);
        Validator.json("metadata", metadata, core.config.maxJsonBytes());
        Validator.json("analysis", analysis, core.config.maxJsonBytes());
        checkExtension(name);
        DocumentContent body = new DocumentContent(content, core.config.maxDocumentBytes(), "limits.max-document-bytes");
        return core.backend.documents().save(userId,
                new DocumentRepository.Upload(sessionId, name, mimeType, uploadedAt, analysis, metadata, body));
    }

    /** The document's metadata. */
    public Optional<Document> get(String userId, String sessionId, String name) {
        check(userId, sessionId, name);
        return core.backend.documents().find(userId, sessionId, name);
    }

    /** The document's bytes in memory (use {@link #open} for large documents). */
    public Optional<byte[]> read(String userId, String sessionId, String name) {
        return open(userId, sessionId, name).map(in -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new StorageIOException("cannot read document " + name + ": " + e.getMessage(), e);
            }
        });
    }

    /** The document's bytes as a stream; the caller closes it. */
    public Optional<InputStream> open(String userId, String sessionId, String name) {
        check(userId, sessionId, name);
        return core.backend.documents().open(userId, sessionId, name);
    }

    /** The session's documents by name. */
    public List<Document> list(String userId, String sessionId) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        return core.backend.documents().list(userId, sessionId);
    }

    /** Replaces the document's analysis results. */
    public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
        check(userId, sessionId, name);
        Validator.json("analysis", analysis, core.config.maxJsonBytes());
        return core.backend.documents().updateAnalysis(userId, sessionId, name, analysis);
    }

    public boolean delete(String userId, String sessionId, String name) {
        check(userId, sessionId, name);
        return core.backend.documents().delete(userId, sessionId, name);
    }

    private void check(String userId, String sessionId, String name) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        Validator.documentName("name", name);
    }

    private void checkExtension(String name) {
        List<String> allowed = core.config.allowedDocumentExtensions();
        if (allowed.contains("*")) {
            return;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
        if (!allowed.contains(ext)) {
            throw new LimitExceededException("limits.allowed-document-extensions",
                    "'" + (ext.isEmpty() ? "(no extension)" : ext) + "' of " + Validator.printable(name)
                            + " is not allowed; allowed: " + allowed);
        }
    }
}
