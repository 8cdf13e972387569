package dev.chatstore.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite's full-text index ({@code message_search}) written in batches: an append writes only its message row and its
 * session's counters, and the newest messages, the tail, are indexed together later. An FTS5 insert flushes a new
 * index segment at every commit (a leaf, its entry, the structure record, its content and size rows, and merges now
 * and then): about 7 of the 12 pages an append used to write, where a raw INSERT writes 2.
 *
 * <p>The invariant: the index holds exactly the session messages whose rowid is at most the index's largest rowid
 * (the indexed-through mark, read from FTS5's own content table, {@code message_search_content}); the messages above
 * it are the tail. A new message always gets a rowid above every message's, so above the mark; a deleted message's
 * index row goes with it (the delete trigger); so a deletion can lower the mark but never leaves an unindexed message
 * below it. Search reads the index for the messages below the mark and scans the tail, in one snapshot
 * ({@link JdbcSearch}), so it sees every committed message.
 *
 * <p>The tail is indexed, in the writing transaction, when this store has appended {@value #MAX_TAIL} messages since
 * it last did (so a search scans at most that many rows per process writing) and by every restore, which indexes the
 * tail with the rows it wrote. State is guarded by the single writer ({@link Database#writeCached}).
 */
final class SqliteSearchTail {

    /** Appends between two indexings of the tail, and so about the most rows a search scans unindexed. */
    static final int MAX_TAIL = 256;
    /** The indexed-through mark: the largest rowid in the index, 0 when it is empty. */
    static final String INDEXED_THROUGH = "(SELECT coalesce(max(rowid), 0) FROM message_search_content)";

    private int appended;

    /** Counts {@code n} messages just appended in the writer's transaction on {@code c}, indexing the tail when due. */
    void appended(Connection c, int n) throws SQLException {
        appended += n;
        if (appended >= MAX_TAIL) {
            index(c);
        }
    }

    /** Indexes every message above the mark, in the caller's write transaction on {@code c}. */
    void index(Connection c) throws SQLException {
        record Row(long rowid, String content) {
        }
        List<Row> tail = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rowid, content FROM messages WHERE rowid > "
                + INDEXED_THROUGH + " ORDER BY rowid")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tail.add(new Row(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO message_search (rowid, words) VALUES (?, ?)")) {
            for (Row r : tail) {
                ps.setLong(1, r.rowid());
                ps.setString(2, IndexedWords.ftsDocument(r.content()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        appended = 0;
    }
}
