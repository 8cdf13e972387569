package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.model.Message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of one message-log table: {@code messages} (session logs, owner {@code session_sk}, counter on
 * {@code sessions}) or {@code panel_messages} (panel logs, owner {@code panel_id}, counter on {@code panels}):
 * inserting appended and restored rows, their search words, and reading rows back.
 *
 * <p>seq under concurrency: the owner row's counter is incremented and returned in the append's own
 * transaction ({@code UPDATE ... SET message_count = message_count + n ... RETURNING}). The update takes the
 * owner row's lock (PostgreSQL) or runs under the single writer (SQLite), so concurrent appends, from any
 * number of threads or processes, get contiguous, distinct ranges; the limit is part of the same
 * {@code WHERE}, so it is checked atomically. Earlier messages are never read.
 */
final class LogTable {

    /** IDs per {@code IN (...)} lookup: well under SQLite's and PostgreSQL's bound-parameter limits. */
    private static final int ID_CHUNK = 500;

    private final Dialect dialect;
    private final Codec codec;
    private final boolean session;
    private final String table;
    private final String ownerColumn;
    /** SQLite session logs: their full-text index, written in batches; null otherwise. */
    private final SqliteSearchTail searchTail;

    private LogTable(Dialect dialect, Codec codec, boolean session) {
        this.dialect = dialect;
        this.codec = codec;
        this.session = session;
        this.table = session ? "messages" : "panel_messages";
        this.ownerColumn = session ? "session_sk" : "panel_id";
        this.searchTail = session && dialect == Dialect.SQLITE ? new SqliteSearchTail() : null;
    }

    static LogTable sessions(Dialect dialect, Codec codec) {
        return new LogTable(dialect, codec, true);
    }

    static LogTable panels(Dialect dialect, Codec codec) {
        return new LogTable(dialect, codec, false);
    }

    /**
     * Inserts the drafts with seqs {@code firstSeq, firstSeq + 1, ...} in one JDBC batch (rewritten into
     * multi-row INSERTs by the PostgreSQL driver), plus their search words.
     */
    List<Message> insert(Connection c, Object owner, String ownerId, long firstSeq, List<Message> drafts)
            throws SQLException {
        List<Message> stored = new ArrayList<>(drafts.size());
        long seq = firstSeq;
        for (Message m : drafts) {
            Message s = m.withSeq(seq++);
            stored.add(s.sessionId().equals(ownerId) ? s : relabel(s, ownerId));
        }
        insertStored(c, owner, stored);
        return stored;
    }

    /**
     * SQLite's append: each draft's row with seqs {@code firstSeq, firstSeq + 1, ...}; session messages join the
     * search index's tail ({@link SqliteSearchTail}), indexed with others later.
     */
    List<Message> insertSqlite(Statements st, Object owner, String ownerId, long firstSeq, List<Message> drafts)
            throws SQLException {
        PreparedStatement insert = st.prepare("INSERT INTO " + table + " (" + ownerColumn + ", seq, "
                + Codec.MESSAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        List<Message> stored = new ArrayList<>(drafts.size());
        long seq = firstSeq;
        for (Message draft : drafts) {
            Message m = draft.withSeq(seq++);
            stored.add(m.sessionId().equals(ownerId) ? m : relabel(m, ownerId));
            int i = bindOwner(insert, 1, owner);
            insert.setLong(i++, m.seq());
            codec.bindMessage(insert, i, m);
            insert.executeUpdate();
        }
        if (searchTail != null) {
            searchTail.appended(st.connection(), drafts.size());
        }
        return stored;
    }

    /** Inserts messages that already carry their seqs. */
    void insertStored(Connection c, Object owner, List<Message> stored) throws SQLException {
        String searchColumn = session && dialect == Dialect.POSTGRESQL ? ", search_words" : "";
        String searchValue = session && dialect == Dialect.POSTGRESQL ? ", array_to_tsvector(string_to_array(?, ' '))" : "";
        String sql = "INSERT INTO " + table + " (" + ownerColumn + ", seq, " + Codec.MESSAGE_COLUMNS + searchColumn
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + searchValue + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Message m : stored) {
                int i = bindOwner(ps, 1, owner);
                ps.setLong(i++, m.seq());
                i = codec.bindMessage(ps, i, m);
                if (!searchColumn.isEmpty()) {
                    ps.setString(i, IndexedWords.lexemeText(m.content()));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (searchTail != null) {
            // the restored rows are the newest: indexing the tail indexes them, and keeps the index's invariant
            searchTail.index(c);
        }
    }

    private static Message relabel(Message m, String ownerId) {
        return new Message(m.id(), ownerId, m.seq(), m.role(), m.content(), m.createdAt(), m.attachments(),
                m.metadata(), m.usage(), m.model(), m.provider());
    }

    private int bindOwner(PreparedStatement ps, int i, Object owner) throws SQLException {
        if (owner instanceof Long sk) {
            ps.setLong(i, sk);
        } else {
            ps.setString(i, (String) owner);
        }
        return i + 1;
    }

    /**
     * Writes messages exactly as given at their seqs, replacing the messages stored there, in the caller's
     * transaction (see {@link dev.chatstore.api.spi.MessageLogs#restore}). The core has checked the batch; what
     * is checked here is what only this transaction can see atomically: that no given ID is stored at another
     * seq (a {@link DuplicateKeyException}, before anything is written) and that the batch leaves no gap. The
     * replaced seqs are deleted as one range and the batch inserted, so no ID is ever moved and no seq is left
     * empty.
     *
     * @return the log's last seq and that message's createdAt afterwards
     */
    Tail restore(Connection c, Object owner, String ownerId, List<Message> messages) throws SQLException {
        Tail before = tail(c, owner);
        long first = messages.get(0).seq();
        long last = messages.get(messages.size() - 1).seq();
        if (first < 1 || first > before.seq() + 1) {
            throw new ValidationException("message.seq", "restoring seq " + first + " would leave a gap after seq "
                    + before.seq());
        }
        requireIdsFree(c, owner, ownerId, messages);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE " + ownerColumn
                + " = ? AND seq BETWEEN ? AND ?")) {
            bindOwner(delete, 1, owner);
            delete.setLong(2, first);
            delete.setLong(3, last);
            delete.executeUpdate();
        }
        List<Message> relabelled = new ArrayList<>(messages.size());
        for (Message m : messages) {
            relabelled.add(m.sessionId().equals(ownerId) ? m : relabel(m, ownerId));
        }
        insertStored(c, owner, relabelled);
        return last >= before.seq() ? new Tail(last, messages.get(messages.size() - 1).createdAt()) : before;
    }

    /** The throw of {@link #restore}: an ID of the batch already stored at another seq of the log. */
    private void requireIdsFree(Connection c, Object owner, String ownerId, List<Message> messages)
            throws SQLException {
        Map<String, Long> given = new HashMap<>();
        for (Message m : messages) {
            given.put(m.id(), m.seq());
        }
        List<String> ids = new ArrayList<>(given.keySet());
        for (int from = 0; from < ids.size(); from += ID_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + ID_CHUNK));
            String sql = "SELECT id, seq FROM " + table + " WHERE " + ownerColumn + " = ? AND id IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = bindOwner(ps, 1, owner);
                for (String id : chunk) {
                    ps.setString(i++, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        long storedAt = rs.getLong(2);
                        if (storedAt != given.get(id)) {
                            throw new DuplicateKeyException("message", ownerId + "/" + id + " (stored at seq "
                                    + storedAt + ", the restore brings it at seq " + given.get(id) + ")");
                        }
                    }
                }
            }
        }
    }

    /** The last seq of a log and its message's createdAt (seq 0 and no time for an empty log). */
    record Tail(long seq, Instant createdAt) {
    }

    Tail tail(Connection c, Object owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, created_at FROM " + table + " WHERE "
                + ownerColumn + " = ? ORDER BY seq DESC LIMIT 1")) {
            bindOwner(ps, 1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Tail(rs.getLong(1), Codec.instant(rs.getLong(2))) : new Tail(0, null);
            }
        }
    }

    /** The newest createdAt among the drafts, and the last one's (which becomes lastMessageAt). */
    static Instant newest(List<Message> drafts) {
        Instant newest = drafts.get(0).createdAt();
        for (Message m : drafts) {
            if (m.createdAt().isAfter(newest)) {
                newest = m.createdAt();
            }
        }
        return newest;
    }

    static DuplicateKeyException duplicate(String ownerKey, List<Message> drafts, Throwable cause) {
        String ids = drafts.size() == 1 ? drafts.get(0).id() : drafts.stream().map(Message::id).toList().toString();
        return new DuplicateKeyException("message", ownerKey + "/" + ids, cause);
    }

    static LimitExceededException limit(long max, long current, int adding) {
        return new LimitExceededException("limits.max-messages-per-session", max, current + adding);
    }

    /** The message with this ID, if the log holds one. */
    Optional<Message> findById(Connection c, Object owner, String ownerId, String messageId) throws SQLException {
        String sql = "SELECT seq, " + Codec.MESSAGE_COLUMNS + " FROM " + table + " WHERE " + ownerColumn
                + " = ? AND id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindOwner(ps, 1, owner);
            ps.setString(i, messageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(codec.message(rs, ownerId, table)) : Optional.empty();
            }
        }
    }

    /** Reads messages with the given WHERE/ORDER tail (owner bound as parameter 1). */
    List<Message> select(Connection c, Object owner, String ownerId, String tail, long... params) throws SQLException {
        String sql = "SELECT seq, " + Codec.MESSAGE_COLUMNS + " FROM " + table + " WHERE " + ownerColumn + " = ? " + tail;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return select(ps, bindOwner(ps, 1, owner), ownerId, params);
        }
    }

    /**
     * Reads a session's messages with the given WHERE/ORDER tail, finding the session by its user and ID in the same
     * statement; an unknown session reads as no messages.
     */
    List<Message> selectInSession(Connection c, String userId, String sessionId, String tail, long... params)
            throws SQLException {
        String sql = "SELECT seq, " + Codec.MESSAGE_COLUMNS + " FROM " + table + " WHERE " + ownerColumn
                + " = (SELECT sk FROM sessions WHERE user_id = ? AND id = ?) " + tail;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, userId);
            ps.setString(2, sessionId);
            return select(ps, 3, sessionId, params);
        }
    }

    private List<Message> select(PreparedStatement ps, int firstParam, String ownerId, long... params)
            throws SQLException {
        int i = firstParam;
        for (long p : params) {
            ps.setLong(i++, p);
        }
        List<Message> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(codec.message(rs, ownerId, table));
            }
        }
        return out;
    }
}
