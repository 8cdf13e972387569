package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.Orderings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Documents of a session: {@code documents/metadata.json} lists them (in name order) and each one's bytes are in
 * {@code documents/files/<name>.<sha256 prefix>}. Saving streams the bytes to a temporary file first and renames
 * it in under the session's lock, then replaces {@code metadata.json}, so a failed upload leaves nothing behind and
 * a replaced document's old bytes stay valid until the new metadata is written.
 */
final class FlatfileDocuments implements DocumentRepository {

    private final FlatfileStore store;
    private final FlatfileSessions sessions;

    FlatfileDocuments(FlatfileStore store, FlatfileSessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    /** The session's documents by name ({@link Orderings#CODE_POINTS}), as stored in metadata.json. */
    private static Map<String, ObjectNode> metadata(Path docs) {
        Map<String, ObjectNode> out = new TreeMap<>(Orderings.CODE_POINTS);
        Json.readFile(StoreLayout.documentsMetadata(docs)).ifPresent(n -> {
            for (JsonNode d : n.path("documents")) {
                out.put(d.path("name").asText(), (ObjectNode) d);
            }
        });
        return out;
    }

    private void writeMetadata(Path docs, Map<String, ObjectNode> all) {
        ObjectNode n = Json.object();
        var arr = n.putArray("documents");
        all.values().forEach(arr::add);
        store.write(StoreLayout.documentsMetadata(docs), n);
    }

    private static Document decode(Path docs, ObjectNode d) {
        return Json.decode(StoreLayout.documentsMetadata(docs).toString(), 0, () -> new Document(
                Json.text(d, "sessionId"), Json.text(d, "name"), Json.text(d, "mimeType"), Json.longValue(d, "size"),
                Json.text(d, "sha256"), Json.instant(d, "uploadedAt"), Json.jsonObject(d, "analysis"),
                Json.jsonObject(d, "metadata")));
    }

    private static ObjectNode encode(Document doc, String fileName) {
        ObjectNode d = Json.object();
        d.put("name", doc.name());
        d.put("sessionId", doc.sessionId());
        d.put("file", "files/" + fileName);
        d.put("mimeType", doc.mimeType());
        d.put("size", doc.size());
        d.put("sha256", doc.sha256());
        d.put("uploadedAt", doc.uploadedAt().toString());
        d.set("analysis", Json.toNode(doc.analysis()));
        d.set("metadata", Json.toNode(doc.metadata()));
        return d;
    }

    private Path docsOf(String userId, String sessionId) {
        return StoreLayout.documentsDir(sessions.existing(userId, sessionId));
    }

    @Override
    public Document save(String userId, Upload upload) {
        store.checkWritable();
        Path sdir = sessions.existing(userId, upload.sessionId());
        Path docs = StoreLayout.documentsDir(sdir);
        Path filesDir = StoreLayout.documentFilesDir(docs);
        store.mkdirs(docs);
        store.mkdirs(filesDir);
        Path staged;
        Path target = filesDir.resolve(FsNames.encode(upload.name()));
        try {
            staged = store.files.stage(target, upload.content());
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("store document " + upload.name() + " as", target, e);
        }
        try {
            Document doc = new Document(upload.sessionId(), upload.name(), upload.mimeType(),
                    upload.content().size(), upload.content().sha256(), upload.uploadedAt(), upload.analysis(),
                    upload.metadata());
            String fileName = FsNames.encode(upload.name()) + "." + doc.sha256().substring(0, 16);
            try (StoreLocks.Held held = store.lockerFor(sdir).lock()) {
                sessions.existing(userId, upload.sessionId());
                store.files.commit(staged, filesDir.resolve(fileName));
                Map<String, ObjectNode> all = metadata(docs);
                ObjectNode old = all.get(upload.name());
                all.put(doc.name(), encode(doc, fileName));
                writeMetadata(docs, all);
                if (old != null && !old.path("file").asText().equals("files/" + fileName)) {
                    AtomicFiles.deleteQuietly(docs.resolve(old.path("file").asText()));
                }
            }
            return doc;
        } finally {
            AtomicFiles.deleteQuietly(staged);
        }
    }

    @Override
    public Optional<Document> find(String userId, String sessionId, String name) {
        store.checkOpen();
        Path docs = docsOf(userId, sessionId);
        return Optional.ofNullable(metadata(docs).get(name)).map(d -> decode(docs, d));
    }

    @Override
    public Optional<InputStream> open(String userId, String sessionId, String name) {
        store.checkOpen();
        Path docs = docsOf(userId, sessionId);
        ObjectNode d = metadata(docs).get(name);
        if (d == null) {
            return Optional.empty();
        }
        Path file = docs.resolve(d.path("file").asText()).normalize();
        if (!file.startsWith(docs)) {
            throw new StorageCorruptionException(StoreLayout.documentsMetadata(docs).toString(), -1,
                    "document " + name + " points outside its directory");
        }
        try {
            return Optional.of(Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            throw new StorageCorruptionException(file.toString(), -1, "the bytes of document " + name
                    + " are missing");
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", file, e);
        }
    }

    @Override
    public List<Document> list(String userId, String sessionId) {
        store.checkOpen();
        Path docs = docsOf(userId, sessionId);
        return metadata(docs).values().stream().map(d -> decode(docs, d)).toList();
    }

    @Override
    public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
        store.checkWritable();
        Path sdir = sessions.existing(userId, sessionId);
        try (StoreLocks.Held held = store.lockerFor(sdir).lock()) {
            Path docs = docsOf(userId, sessionId);
            Map<String, ObjectNode> all = metadata(docs);
            ObjectNode d = all.get(name);
            if (d == null) {
                throw new NotFoundException("document", userId + "/" + sessionId + "/" + name);
            }
            d.set("analysis", Json.toNode(analysis));
            writeMetadata(docs, all);
            return decode(docs, d);
        }
    }

    @Override
    public boolean delete(String userId, String sessionId, String name) {
        store.checkWritable();
        Path sdir = sessions.existing(userId, sessionId);
        try (StoreLocks.Held held = store.lockerFor(sdir).lock()) {
            Path docs = docsOf(userId, sessionId);
            Map<String, ObjectNode> all = metadata(docs);
            ObjectNode d = all.remove(name);
            if (d == null) {
                return false;
            }
            writeMetadata(docs, all);
            AtomicFiles.deleteQuietly(docs.resolve(d.path("file").asText()));
            return true;
        }
    }
}
