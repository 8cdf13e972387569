package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.spi.DocumentContent;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.Orderings;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Documents: metadata in {@code documents}, bytes in {@code document_chunks} rows of at most
 * {@link #CHUNK_BYTES}. Why chunks: the PostgreSQL driver materialises a whole {@code bytea} value (and
 * sqlite-jdbc a whole BLOB) when it is read, so one column holding a 100 MiB document would need 100 MiB
 * of heap, more than once. Chunked rows keep both directions at one chunk of heap, work the same on both
 * databases, and (unlike PostgreSQL large objects) are removed by ordinary cascading deletes and need no
 * vacuumlo. Each save writes a new document row, so a reader streaming an older version while it is
 * replaced gets an IOException rather than a mix of the two.
 */
final class JdbcDocuments implements DocumentRepository {

    static final int CHUNK_BYTES = 1 << 20;
    private static final String COLUMNS = "sk, name, mime_type, size, sha256, uploaded_at, analysis, metadata";

    private final Database db;
    private final Codec codec;

    JdbcDocuments(Database db, Codec codec) {
        this.db = db;
        this.codec = codec;
    }

    @Override
    public Document save(String userId, Upload upload) {
        db.read("finding session " + upload.sessionId(), c -> Sessions.key(c, userId, upload.sessionId()));
        try {
            return saveInTransaction(userId, upload);
        } catch (ContentFailure e) {
            throw e.failure; // the caller's stream failed: its exception, unchanged (after the rollback)
        }
    }

    /** Carries an exception thrown by the content stream through the transaction's translation. */
    private static final class ContentFailure extends StorageException {
        private static final long serialVersionUID = 1L;
        final transient RuntimeException failure;

        ContentFailure(RuntimeException failure) {
            super("reading the document's content failed", failure);
            this.failure = failure;
        }
    }

    private Document saveInTransaction(String userId, Upload upload) {
        return db.write("saving document " + upload.name(), c -> {
            long sessionSk = Sessions.key(c, userId, upload.sessionId());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE session_sk = ? AND name = ?")) {
                ps.setLong(1, sessionSk);
                ps.setString(2, Codec.text(upload.name()));
                ps.executeUpdate();
            }
            long documentSk;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO documents (session_sk, name, mime_type, size,"
                    + " sha256, uploaded_at, analysis, metadata) VALUES (?, ?, ?, 0, '', ?, ?, ?) RETURNING sk")) {
                ps.setLong(1, sessionSk);
                ps.setString(2, Codec.text(upload.name()));
                ps.setString(3, Codec.text(upload.mimeType()));
                ps.setLong(4, Codec.millis(upload.uploadedAt()));
                ps.setString(5, Codec.json(upload.analysis()));
                ps.setString(6, Codec.json(upload.metadata()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    documentSk = rs.getLong(1);
                }
            }
            DocumentContent content = upload.content();
            writeChunks(c, documentSk, content);
            try (PreparedStatement ps = c.prepareStatement("UPDATE documents SET size = ?, sha256 = ? WHERE sk = ?")) {
                ps.setLong(1, content.size());
                ps.setString(2, content.sha256());
                ps.setLong(3, documentSk);
                ps.executeUpdate();
            }
            return new Document(upload.sessionId(), upload.name(), upload.mimeType(), content.size(), content.sha256(),
                    upload.uploadedAt(), upload.analysis(), upload.metadata());
        });
    }

    private static void writeChunks(Connection c, long documentSk, DocumentContent content) throws SQLException {
        byte[] buffer = new byte[CHUNK_BYTES];
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO document_chunks (document_sk, chunk_no, data) VALUES (?, ?, ?)")) {
            int chunk = 0;
            while (true) {
                int filled;
                try {
                    filled = readFully(content, buffer);
                } catch (RuntimeException e) {
                    throw new ContentFailure(e);
                }
                if (filled == 0) {
                    break;
                }
                ps.setLong(1, documentSk);
                ps.setInt(2, chunk++);
                ps.setBinaryStream(3, new ByteArrayInputStream(buffer, 0, filled), filled);
                ps.executeUpdate();
                if (filled < buffer.length) {
                    break;
                }
            }
            if (!content.finished()) {
                try {
                    content.drain();
                } catch (RuntimeException e) {
                    throw new ContentFailure(e);
                }
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot read the content of the document: " + e.getMessage(), e);
        }
    }

    private static int readFully(InputStream in, byte[] buffer) throws IOException {
        int filled = 0;
        while (filled < buffer.length) {
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    @Override
    public Optional<Document> find(String userId, String sessionId, String name) {
        return db.read("reading document " + name, c -> find(c, userId, sessionId, name)).map(Row::document);
    }

    private record Row(long sk, Document document) {
    }

    private Optional<Row> find(Connection c, String userId, String sessionId, String name) throws SQLException {
        long sessionSk = Sessions.key(c, userId, sessionId);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM documents WHERE session_sk = ? AND name = ?")) {
            ps.setLong(1, sessionSk);
            ps.setString(2, Codec.text(name));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs, sessionId)) : Optional.empty();
            }
        }
    }

    private Row row(ResultSet rs, String sessionId) throws SQLException {
        String name = Codec.untext(rs.getString("name"));
        String key = sessionId + "/" + name;
        return new Row(rs.getLong("sk"), new Document(sessionId, name, Codec.untext(rs.getString("mime_type")),
                rs.getLong("size"), rs.getString("sha256"), Codec.instant(rs.getLong("uploaded_at")),
                codec.json(rs.getString("analysis"), "documents", key),
                codec.json(rs.getString("metadata"), "documents", key)));
    }

    @Override
    public Optional<InputStream> open(String userId, String sessionId, String name) {
        return db.read("opening document " + name, c -> find(c, userId, sessionId, name))
                .map(r -> new ChunkStream(r.sk(), r.document().size(), name));
    }

    @Override
    public List<Document> list(String userId, String sessionId) {
        return db.read("listing documents of session " + sessionId, c -> {
            long sessionSk = Sessions.key(c, userId, sessionId);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM documents WHERE session_sk = ?")) {
                ps.setLong(1, sessionSk);
                List<Document> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs, sessionId).document());
                    }
                }
                // by name in code-point order, whatever the database's collation (names are free text, and a
                // NUL in one is stored escaped, so the database cannot sort them)
                out.sort(Orderings.DOCUMENTS_BY_NAME);
                return out;
            }
        });
    }

    @Override
    public Document updateAnalysis(String userId, String sessionId, String name, JsonObject analysis) {
        return db.write("updating the analysis of document " + name, c -> {
            Row r = find(c, userId, sessionId, name)
                    .orElseThrow(() -> new NotFoundException("document", userId + "/" + sessionId + "/" + name));
            try (PreparedStatement ps = c.prepareStatement("UPDATE documents SET analysis = ? WHERE sk = ?")) {
                ps.setString(1, Codec.json(analysis));
                ps.setLong(2, r.sk());
                ps.executeUpdate();
            }
            return r.document().withAnalysis(analysis);
        });
    }

    @Override
    public boolean delete(String userId, String sessionId, String name) {
        return db.write("deleting document " + name, c -> {
            long sessionSk = Sessions.key(c, userId, sessionId);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE session_sk = ? AND name = ?")) {
                ps.setLong(1, sessionSk);
                ps.setString(2, Codec.text(name));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Reads a document one chunk (one short read transaction) at a time. */
    private final class ChunkStream extends InputStream {
        private final long documentSk;
        private final long size;
        private final String name;
        private byte[] chunk = new byte[0];
        private int pos;
        private int nextChunk;
        private long delivered;
        private boolean closed;

        ChunkStream(long documentSk, long size, String name) {
            this.documentSk = documentSk;
            this.size = size;
            this.name = name;
        }

        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("document stream " + name + " is closed");
            }
            while (pos >= chunk.length) {
                if (delivered >= size) {
                    return false;
                }
                int no = nextChunk++;
                byte[] data;
                try {
                    data = db.read("reading document " + name, c -> {
                        try (PreparedStatement ps = c.prepareStatement(
                                "SELECT data FROM document_chunks WHERE document_sk = ? AND chunk_no = ?")) {
                            ps.setLong(1, documentSk);
                            ps.setInt(2, no);
                            try (ResultSet rs = ps.executeQuery()) {
                                return rs.next() ? rs.getBytes(1) : null;
                            }
                        }
                    });
                } catch (StorageException e) {
                    throw new IOException(e.getMessage(), e);
                }
                if (data == null) {
                    throw new IOException("document " + name + " was replaced or deleted while it was being read");
                }
                chunk = data;
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            delivered++;
            return chunk[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            delivered += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
            chunk = new byte[0];
        }
    }
}
