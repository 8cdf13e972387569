package dev.chatstore.redis.internal;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.spi.DocumentRepository;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Documents: one hash per document (metadata fields and the bytes in {@code content}) and a zero-score sorted set
 * of the session's document names (byte order = code point order). The bytes are read to their end (and counted
 * against the limit) before anything is written, then one script checks the session and writes both.
 */
final class RedisDocuments implements DocumentRepository {

    private final RedisAccess redis;
    private final Keys keys;

    RedisDocuments(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public Document save(String userId, Upload upload) {
        String sid = upload.sessionId();
        list(userId, sid); // fail fast on a missing session before reading the bytes
        byte[] bytes;
        try {
            bytes = upload.content().readAllBytes();
        } catch (IOException e) {
            throw new StorageIOException("cannot read the content of document " + upload.name() + ": "
                    + e.getMessage(), e);
        }
        Document document = new Document(sid, upload.name(), upload.mimeType(), upload.content().size(),
                upload.content().sha256(), upload.uploadedAt(), upload.analysis(), upload.metadata());
        List<Object> args = new ArrayList<>();
        args.add(upload.name());
        args.addAll(RedisRecords.document(document, bytes));
        RedisAccess.Reply r = redis.run(RedisScript.DOC_SAVE, List.of(keys.session(userId, sid),
                keys.documentNames(userId, sid), keys.document(userId, sid, upload.name())), args);
        if (r.failed("NOTFOUND")) {
            throw sessionNotFound(userId, sid);
        }
        r.orThrow("document save");
        return document;
    }

    @Override
    public Optional<Document> find(String userId, String sessionId, String name) {
        return read(userId, sessionId, "meta", name).stream().findFirst();
    }

    @Override
    public Optional<InputStream> open(String userId, String sessionId, String name) {
        RedisAccess.Reply r = redis.run(RedisScript.DOC_READ, List.of(keys.session(userId, sessionId),
                keys.documentNames(userId, sessionId)), List.of("content", name, keys.documentBase(userId, sessionId)));
        if (r.failed("NOTFOUND")) {
            throw sessionNotFound(userId, sessionId);
        }
        Object content = r.orThrow("document open").values().isEmpty() ? null : r.values().get(0);
        return content instanceof byte[] b ? Optional.of(new ByteArrayInputStream(b)) : Optional.empty();
    }

    @Override
    public List<Document> list(String userId, String sessionId) {
        return read(userId, sessionId, "list", "");
    }

    @Override
    public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
        RedisAccess.Reply r = redis.run(RedisScript.DOC_UPDATE, List.of(keys.session(userId, sessionId),
                keys.document(userId, sessionId, name)), List.of(analysis.toJson()));
        if (r.failed("NOTFOUND")) {
            if ("session".equals(r.text(0))) {
                throw sessionNotFound(userId, sessionId);
            }
            throw new NotFoundException("document", userId + "/" + sessionId + "/" + name);
        }
        return RedisRecords.document(sessionId, (List<?>) r.orThrow("document update").values().get(0));
    }

    @Override
    public boolean delete(String userId, String sessionId, String name) {
        RedisAccess.Reply r = redis.run(RedisScript.DOC_DELETE, List.of(keys.session(userId, sessionId),
                keys.documentNames(userId, sessionId), keys.document(userId, sessionId, name)), List.of(name));
        if (r.failed("NOTFOUND")) {
            throw sessionNotFound(userId, sessionId);
        }
        return !"0".equals(r.orThrow("document delete").text(0));
    }

    private List<Document> read(String userId, String sessionId, String mode, String name) {
        RedisAccess.Reply r = redis.run(RedisScript.DOC_READ, List.of(keys.session(userId, sessionId),
                keys.documentNames(userId, sessionId)), List.of(mode, name, keys.documentBase(userId, sessionId)));
        if (r.failed("NOTFOUND")) {
            throw sessionNotFound(userId, sessionId);
        }
        return r.orThrow("document read").values().stream()
                .map(v -> RedisRecords.document(sessionId, (List<?>) v)).toList();
    }

    private static NotFoundException sessionNotFound(String userId, String sessionId) {
        return new NotFoundException("session", userId + "/" + sessionId);
    }
}
