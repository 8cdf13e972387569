package dev.chatstore.mongo.internal;

import com.mongodb.MongoException;
import com.mongodb.client.gridfs.GridFSDownloadStream;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.Orderings;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.mongo.internal.BsonMapping.date;
import static dev.chatstore.mongo.internal.BsonMapping.documentKey;
import static dev.chatstore.mongo.internal.BsonMapping.sessionKey;

/**
 * Documents: metadata in {@code documents} ({@code _id = "<user>/<session>/<name>"}, unique (user, sid, name)) and
 * bytes in the GridFS bucket {@code documentBytes}, streamed both ways in 255 KiB chunks, so a 100 MiB document is
 * never held in memory. A save uploads the bytes under a new file ID first and only then points the metadata at
 * them: a failed or oversized upload leaves the previous document as it was, and its partial chunks are removed.
 */
public final class MongoDocuments implements DocumentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(MongoDocuments.class);

    private final MongoStore store;

    public MongoDocuments(MongoStore store) {
        this.store = store;
    }

    private void requireSession(String userId, String sessionId) {
        if (store.sessions.countDocuments(Filters.eq("_id", sessionKey(userId, sessionId))) == 0) {
            throw new NotFoundException("session", sessionKey(userId, sessionId));
        }
    }

    @Override
    public Document save(String userId, Upload upload) {
        String key = documentKey(userId, upload.sessionId(), upload.name());
        store.run("save document " + key, () -> requireSession(userId, upload.sessionId()));
        ObjectId fileId = new ObjectId();
        SourceGuard source = new SourceGuard(upload.content());
        try {
            store.documentBytes.uploadFromStream(new org.bson.BsonObjectId(fileId), key, source,
                    new GridFSUploadOptions().metadata(new org.bson.Document("user", userId)
                            .append("sid", upload.sessionId())));
        } catch (RuntimeException e) {
            deleteFileQuietly(fileId);
            // What the content stream threw (a limit, a damaged import) reaches the caller unchanged.
            if (source.failure instanceof RuntimeException r) {
                throw r;
            }
            if (source.failure instanceof IOException io) {
                throw new StorageIOException("cannot read the content of document " + key + ": " + io.getMessage(), io);
            }
            throw MongoExceptionTranslator.translate("save document " + key, e, null);
        }
        return store.call("save document " + key, () -> {
            Document document = new Document(upload.sessionId(), upload.name(), upload.mimeType(),
                    upload.content().size(), upload.content().sha256(), upload.uploadedAt(), upload.analysis(),
                    upload.metadata());
            org.bson.Document previous;
            try {
                previous = store.documents.findOneAndReplace(Filters.eq("_id", key), toBson(userId, document, fileId),
                        new FindOneAndReplaceOptions().upsert(true).returnDocument(ReturnDocument.BEFORE));
            } catch (RuntimeException e) {
                deleteFileQuietly(fileId);
                throw e;
            }
            if (previous != null) {
                deleteFileQuietly(previous.get("file"));
            }
            if (store.sessions.countDocuments(Filters.eq("_id", sessionKey(userId, upload.sessionId()))) == 0) {
                // The session was deleted while the bytes streamed in: do not leave an orphan behind.
                store.documents.deleteOne(Filters.and(Filters.eq("_id", key), Filters.eq("file", fileId)));
                deleteFileQuietly(fileId);
                throw new NotFoundException("session", sessionKey(userId, upload.sessionId()));
            }
            return document;
        });
    }

    /** Remembers what the upload's content stream threw, so that it is not mistaken for a driver failure. */
    private static final class SourceGuard extends FilterInputStream {
        Exception failure;

        SourceGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failure = e;
                throw e;
            }
        }
    }

    private void deleteFileQuietly(Object fileId) {
        if (fileId == null) {
            return;
        }
        try {
            if (store.documentBytes.find(Filters.eq("_id", fileId)).first() != null) {
                store.documentBytes.delete((ObjectId) fileId);
            } else {
                store.database.getCollection("documentBytes.chunks").deleteMany(Filters.eq("files_id", fileId));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not delete the document bytes {}: {}", fileId, e.toString());
        }
    }

    private static org.bson.Document toBson(String userId, Document d, ObjectId fileId) {
        return new org.bson.Document("_id", documentKey(userId, d.sessionId(), d.name()))
                .append("user", userId)
                .append("sid", d.sessionId())
                .append("name", d.name())
                .append("mimeType", d.mimeType())
                .append("size", d.size())
                .append("sha256", d.sha256())
                .append("uploadedAt", date(d.uploadedAt()))
                .append("analysis", d.analysis().toJson())
                .append("metadata", d.metadata().toJson())
                .append("file", fileId);
    }

    private static Document fromBson(org.bson.Document b) {
        return new Document(b.getString("sid"), b.getString("name"), b.getString("mimeType"),
                BsonMapping.longValue(b, "size"), b.getString("sha256"), BsonMapping.instant(b, "uploadedAt"),
                BsonMapping.json(b, "analysis"), BsonMapping.json(b, "metadata"));
    }

    @Override
    public Optional<Document> find(String userId, String sessionId, String name) {
        return store.call("read document " + documentKey(userId, sessionId, name), () -> {
            requireSession(userId, sessionId);
            return Optional.ofNullable(store.documents.find(Filters.eq("_id", documentKey(userId, sessionId, name)))
                    .first()).map(MongoDocuments::fromBson);
        });
    }

    @Override
    public Optional<InputStream> open(String userId, String sessionId, String name) {
        String key = documentKey(userId, sessionId, name);
        return store.call("open document " + key, () -> {
            requireSession(userId, sessionId);
            org.bson.Document meta = store.documents.find(Filters.eq("_id", key)).first();
            if (meta == null) {
                return Optional.empty();
            }
            GridFSDownloadStream bytes = store.documentBytes.openDownloadStream(meta.getObjectId("file"));
            return Optional.of(new TranslatingStream(key, bytes));
        });
    }

    @Override
    public List<Document> list(String userId, String sessionId) {
        return store.call("list documents of " + sessionKey(userId, sessionId), () -> {
            requireSession(userId, sessionId);
            List<Document> out = new ArrayList<>();
            for (org.bson.Document b : store.documents.find(Filters.and(Filters.eq("user", userId),
                    Filters.eq("sid", sessionId)))) {
                out.add(fromBson(b));
            }
            out.sort(Comparator.comparing(Document::name, Orderings.CODE_POINTS));
            return out;
        });
    }

    @Override
    public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
        String key = documentKey(userId, sessionId, name);
        return store.call("update the analysis of document " + key, () -> {
            requireSession(userId, sessionId);
            org.bson.Document after = store.documents.findOneAndUpdate(Filters.eq("_id", key),
                    Updates.set("analysis", analysis.toJson()),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            if (after == null) {
                throw new NotFoundException("document", key);
            }
            return fromBson(after);
        });
    }

    @Override
    public boolean delete(String userId, String sessionId, String name) {
        String key = documentKey(userId, sessionId, name);
        return store.call("delete document " + key, () -> {
            requireSession(userId, sessionId);
            org.bson.Document deleted = store.documents.findOneAndDelete(Filters.eq("_id", key));
            if (deleted == null) {
                return false;
            }
            deleteFileQuietly(deleted.get("file"));
            return true;
        });
    }

    /** The GridFS stream with driver exceptions turned into the API's, as everywhere else in the adapter. */
    private static final class TranslatingStream extends FilterInputStream {
        private final String key;

        TranslatingStream(String key, InputStream in) {
            super(in);
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (MongoException e) {
                throw MongoExceptionTranslator.translate("read document " + key, e, null);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (MongoException e) {
                throw MongoExceptionTranslator.translate("read document " + key, e, null);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (MongoException e) {
                throw MongoExceptionTranslator.translate("read document " + key, e, null);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (MongoException e) {
                throw MongoExceptionTranslator.translate("close document " + key, e, null);
            }
        }
    }
}
