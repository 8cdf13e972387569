package dev.chatstore.jdbc.internal;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Native full-text search of session messages: SQLite's FTS5 table {@code message_search} (plus the unindexed tail,
 * {@link SqliteSearchTail}), PostgreSQL's GIN index
 * on {@code messages.search_words}, both holding the API's own words ({@link IndexedWords}). The index only
 * narrows the candidates; every candidate is filtered with {@link SearchRequest#matches}, so the answer equals the
 * core's scan ({@link dev.chatstore.api.spi.LogScan#search}).
 */
final class JdbcSearch implements MessageSearch {

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;

    JdbcSearch(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
    }

    @Override
    public List<Message> search(String userId, SearchRequest request) {
        return db.read("searching the messages of user " + userId, c -> {
            if (request.sessionId().isPresent()) {
                Sessions.key(c, userId, request.sessionId().get());
            }
            // named, so that ORDER BY can name them after SQLite's UNION ALL
            StringBuilder columns = new StringBuilder("SELECT s.id AS session_id, m.seq AS seq");
            for (String col : Codec.MESSAGE_COLUMNS.split(", ")) {
                columns.append(", m.").append(col).append(" AS ").append(col);
            }
            String inSession = request.sessionId().isPresent() ? " AND s.id = ?" : "";
            StringBuilder sql = new StringBuilder(columns);
            String match;
            boolean indexed = true;
            if (dialect == Dialect.SQLITE) {
                // the index below its mark, and the tail above it scanned (SqliteSearchTail), in one snapshot
                sql.append(" FROM message_search f JOIN messages m ON m.rowid = f.rowid"
                        + " JOIN sessions s ON s.sk = m.session_sk WHERE message_search MATCH ? AND s.user_id = ?")
                        .append(inSession)
                        .append(" UNION ALL ").append(columns)
                        .append(" FROM messages m JOIN sessions s ON s.sk = m.session_sk WHERE m.rowid > ")
                        .append(SqliteSearchTail.INDEXED_THROUGH).append(" AND s.user_id = ?");
                match = IndexedWords.ftsQuery(request.words());
            } else if (IndexedWords.indexable(request.words())) {
                sql.append(" FROM messages m JOIN sessions s ON s.sk = m.session_sk WHERE"
                        + " (m.search_words @@ ?::tsquery OR m.search_words IS NULL) AND s.user_id = ?");
                match = IndexedWords.tsquery(request.words());
            } else {
                // a query word too long to be a lexeme: scan the user's messages (the filter below decides)
                sql.append(" FROM messages m JOIN sessions s ON s.sk = m.session_sk WHERE s.user_id = ?");
                match = null;
                indexed = false;
            }
            sql.append(inSession).append(" ORDER BY created_at DESC, session_id, seq DESC");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (indexed) {
                    ps.setString(i++, match);
                }
                for (int part = 0; part < (dialect == Dialect.SQLITE ? 2 : 1); part++) {
                    ps.setString(i++, userId);
                    if (request.sessionId().isPresent()) {
                        ps.setString(i++, request.sessionId().get());
                    }
                }
                ps.setFetchSize(256);
                List<Message> hits = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && hits.size() < request.limit()) {
                        Message m = codec.message(rs, rs.getString("session_id"), "messages");
                        if (request.matches(m.content())) {
                            hits.add(m);
                        }
                    }
                }
                hits.sort(TextSearch.RESULT_ORDER);
                return hits;
            }
        });
    }
}
