package dev.chatstore.jdbc.internal;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;
import dev.chatstore.api.spi.MessageRepository;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Session messages: appends, reads by (session, seq), search and usage totals, all native SQL. */
final class JdbcMessages implements MessageRepository {

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;
    private final MessageLog log;

    JdbcMessages(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
        this.log = MessageLog.sessions(dialect, codec);
    }

    @Override
    public List<Message> append(String userId, String sessionId, List<Message> messages, long maxMessages) {
        if (messages.isEmpty()) {
            db.read("finding session " + sessionId, c -> Sessions.key(c, userId, sessionId));
            return List.of();
        }
        try {
            if (messages.size() == 1 && dialect == Dialect.POSTGRESQL) {
                return appendOnePostgres(userId, sessionId, messages.get(0), maxMessages);
            }
            if (dialect == Dialect.POSTGRESQL) {
                return appendManyPostgres(userId, sessionId, messages, maxMessages);
            }
            return db.writeCached("appending to session " + sessionId, st -> appendSqlite(st, userId, sessionId,
                    messages, maxMessages));
        } catch (RuntimeException e) {
            throw duplicateOr(e, userId + "/" + sessionId, messages);
        }
    }

    private RuntimeException duplicateOr(RuntimeException e, String ownerKey, List<Message> messages) {
        if (e instanceof dev.chatstore.api.error.DuplicateKeyException d && "record".equals(d.entity())) {
            return log.duplicate(ownerKey, messages, e);
        }
        return e;
    }

    /**
     * One statement, one round trip: the session row's counter is incremented (under its row lock, with the
     * limit in the WHERE) and the message inserted with the returned seq.
     */
    private List<Message> appendOnePostgres(String userId, String sessionId, Message m, long max) {
        String sql = "WITH s AS (UPDATE sessions SET message_count = message_count + 1, last_message_at = ?, "
                + "updated_at = GREATEST(updated_at, ?) WHERE user_id = ? AND id = ? AND message_count < ? "
                + "RETURNING sk, message_count) "
                + "INSERT INTO messages (session_sk, seq, " + Codec.MESSAGE_COLUMNS + ", search_words) "
                + "SELECT s.sk, s.message_count, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "array_to_tsvector(string_to_array(?, ' ')) FROM s "
                + "RETURNING seq";
        Long seq = db.writeOneStatement("appending to session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                long at = Codec.millis(m.createdAt());
                ps.setLong(1, at);
                ps.setLong(2, at);
                ps.setString(3, userId);
                ps.setString(4, sessionId);
                ps.setLong(5, max);
                int i = codec.bindMessage(ps, 6, m);
                ps.setString(i, SearchIndex.lexemeText(m.content()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : null;
                }
            }
        });
        if (seq == null) {
            throw db.read("checking session " + sessionId, c -> missingOrFull(c, userId, sessionId, max, 1));
        }
        Message stored = m.withSeq(seq);
        return List.of(stored.sessionId().equals(sessionId) ? stored : new Message(m.id(), sessionId, seq, m.role(),
                m.content(), m.createdAt(), m.attachments(), m.metadata(), m.usage(), m.model(), m.provider()));
    }

    /**
     * A batch on PostgreSQL, also one statement and one round trip in auto-commit: the drafts travel as one
     * array per column and are {@code unnest}ed {@code WITH ORDINALITY}, which gives each its seq after the
     * counter's new value. (A JDBC batch in a transaction took four round trips: the counter update, the
     * inserts, the COMMIT, and the BEGIN piggy-backed on the first.) Search words travel as in a single append
     * ({@link SearchIndex#lexemeText}).
     */
    private List<Message> appendManyPostgres(String userId, String sessionId, List<Message> drafts, long max) {
        int n = drafts.size();
        String sql = "WITH s AS (UPDATE sessions SET message_count = message_count + ?, last_message_at = ?, "
                + "updated_at = GREATEST(updated_at, ?) WHERE user_id = ? AND id = ? AND message_count + ? <= ? "
                + "RETURNING sk, message_count), "
                + "i AS (INSERT INTO messages (session_sk, seq, " + Codec.MESSAGE_COLUMNS + ", search_words) "
                + "SELECT s.sk, s.message_count - ? + d.ord, d.id, d.role, d.content, d.created_at, d.attachments, "
                + "d.metadata, d.input_tokens, d.output_tokens, d.cost::numeric, d.currency, d.model, d.provider, "
                + "array_to_tsvector(string_to_array(d.words, ' ')) "
                + "FROM s, unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], "
                + "?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY "
                + "AS d(id, role, content, created_at, attachments, metadata, input_tokens, output_tokens, cost, "
                + "currency, model, provider, words, ord) "
                + "RETURNING seq) "
                + "SELECT min(seq) FROM i";
        String[] ids = new String[n];
        String[] roles = new String[n];
        String[] contents = new String[n];
        Long[] createdAt = new Long[n];
        String[] attachments = new String[n];
        String[] metadata = new String[n];
        Long[] inputTokens = new Long[n];
        Long[] outputTokens = new Long[n];
        String[] costs = new String[n];
        String[] currencies = new String[n];
        String[] models = new String[n];
        String[] providers = new String[n];
        String[] words = new String[n];
        for (int k = 0; k < n; k++) {
            Message m = drafts.get(k);
            ids[k] = m.id();
            roles[k] = Codec.text(m.role());
            contents[k] = Codec.text(m.content());
            createdAt[k] = Codec.millis(m.createdAt());
            attachments[k] = Codec.jsonArray(m.attachments());
            metadata[k] = Codec.json(m.metadata());
            if (m.usage().isPresent()) {
                inputTokens[k] = m.usage().get().inputTokens();
                outputTokens[k] = m.usage().get().outputTokens();
                costs[k] = m.usage().get().cost().toPlainString();
                currencies[k] = m.usage().get().currency();
            }
            models[k] = m.model().map(Codec::text).orElse(null);
            providers[k] = m.provider().map(Codec::text).orElse(null);
            words[k] = SearchIndex.lexemeText(m.content());
        }
        Long first = db.writeOneStatement("appending to session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, n);
                ps.setLong(i++, Codec.millis(drafts.get(n - 1).createdAt()));
                ps.setLong(i++, Codec.millis(MessageLog.newest(drafts)));
                ps.setString(i++, userId);
                ps.setString(i++, sessionId);
                ps.setLong(i++, n);
                ps.setLong(i++, max);
                ps.setLong(i++, n);
                ps.setArray(i++, c.createArrayOf("text", ids));
                ps.setArray(i++, c.createArrayOf("text", roles));
                ps.setArray(i++, c.createArrayOf("text", contents));
                ps.setArray(i++, c.createArrayOf("bigint", createdAt));
                ps.setArray(i++, c.createArrayOf("text", attachments));
                ps.setArray(i++, c.createArrayOf("text", metadata));
                ps.setArray(i++, c.createArrayOf("bigint", inputTokens));
                ps.setArray(i++, c.createArrayOf("bigint", outputTokens));
                ps.setArray(i++, c.createArrayOf("text", costs));
                ps.setArray(i++, c.createArrayOf("text", currencies));
                ps.setArray(i++, c.createArrayOf("text", models));
                ps.setArray(i++, c.createArrayOf("text", providers));
                ps.setArray(i, c.createArrayOf("text", words));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long seq = rs.getLong(1);
                    return rs.wasNull() ? null : seq;
                }
            }
        });
        if (first == null) {
            throw db.read("checking session " + sessionId, c -> missingOrFull(c, userId, sessionId, max, n));
        }
        List<Message> stored = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Message m = drafts.get(k).withSeq(first + k);
            stored.add(m.sessionId().equals(sessionId) ? m : new Message(m.id(), sessionId, m.seq(), m.role(),
                    m.content(), m.createdAt(), m.attachments(), m.metadata(), m.usage(), m.model(), m.provider()));
        }
        return stored;
    }

    /**
     * SQLite, on the single writer in one {@code BEGIN IMMEDIATE} transaction with cached statements: the
     * counter update, then per message its row and its FTS5 row.
     */
    private List<Message> appendSqlite(Statements st, String userId, String sessionId, List<Message> drafts, long max)
            throws SQLException {
        int n = drafts.size();
        PreparedStatement ps = st.prepare("UPDATE sessions SET message_count = message_count + ?, last_message_at = ?,"
                + " updated_at = max(updated_at, ?) WHERE user_id = ? AND id = ? AND message_count + ? <= ?"
                + " RETURNING sk, message_count");
        ps.setLong(1, n);
        ps.setLong(2, Codec.millis(drafts.get(n - 1).createdAt()));
        ps.setLong(3, Codec.millis(MessageLog.newest(drafts)));
        ps.setString(4, userId);
        ps.setString(5, sessionId);
        ps.setLong(6, n);
        ps.setLong(7, max);
        long sk;
        long count;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                rs.close();
                throw missingOrFull(st.connection(), userId, sessionId, max, n);
            }
            sk = rs.getLong(1);
            count = rs.getLong(2);
        }
        return log.insertSqlite(st, sk, sessionId, count - n + 1, drafts);
    }

    private RuntimeException missingOrFull(Connection c, String userId, String sessionId, long max, int adding)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT message_count FROM sessions WHERE user_id = ? AND id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Sessions.notFound(userId, sessionId);
                }
                return MessageLog.limit(max, rs.getLong(1), adding);
            }
        }
    }

    @Override
    public Optional<Message> findBySeq(String userId, String sessionId, long seq) {
        return db.read("reading message " + seq + " of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            return log.select(c, sk, sessionId, "AND seq = ?", seq).stream().findFirst();
        });
    }

    @Override
    public Optional<Message> findById(String userId, String sessionId, String messageId) {
        return db.read("reading message " + messageId + " of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            String sql = "SELECT seq, " + Codec.MESSAGE_COLUMNS + " FROM messages WHERE session_sk = ? AND id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, sk);
                ps.setString(2, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(codec.message(rs, sessionId, "messages")) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Message> after(String userId, String sessionId, long afterSeq, int limit) {
        return db.read("reading messages of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            return log.select(c, sk, sessionId, "AND seq > ? ORDER BY seq LIMIT ?", afterSeq, limit);
        });
    }

    @Override
    public List<Message> last(String userId, String sessionId, int n) {
        return db.read("reading the last messages of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            List<Message> newestFirst = log.select(c, sk, sessionId, "ORDER BY seq DESC LIMIT ?", n);
            List<Message> out = new ArrayList<>(newestFirst);
            Collections.reverse(out);
            return out;
        });
    }

    @Override
    public List<Message> search(String userId, SearchRequest request) {
        return db.read("searching the messages of user " + userId, c -> {
            if (request.sessionId().isPresent()) {
                Sessions.key(c, userId, request.sessionId().get());
            }
            StringBuilder sql = new StringBuilder("SELECT s.id AS session_id, m.seq, ");
            for (String col : Codec.MESSAGE_COLUMNS.split(", ")) {
                sql.append("m.").append(col).append(", ");
            }
            sql.setLength(sql.length() - 2);
            String match;
            boolean indexed = true;
            if (dialect == Dialect.SQLITE) {
                sql.append(" FROM message_search f JOIN messages m ON m.rowid = f.rowid"
                        + " JOIN sessions s ON s.sk = m.session_sk WHERE message_search MATCH ? AND s.user_id = ?");
                match = SearchIndex.ftsQuery(request.words());
            } else if (SearchIndex.indexable(request.words())) {
                sql.append(" FROM messages m JOIN sessions s ON s.sk = m.session_sk WHERE"
                        + " (m.search_words @@ ?::tsquery OR m.search_words IS NULL) AND s.user_id = ?");
                match = SearchIndex.tsquery(request.words());
            } else {
                // a query word too long to be a lexeme: scan the user's messages (the filter below decides)
                sql.append(" FROM messages m JOIN sessions s ON s.sk = m.session_sk WHERE s.user_id = ?");
                match = null;
                indexed = false;
            }
            if (request.sessionId().isPresent()) {
                sql.append(" AND s.id = ?");
            }
            sql.append(" ORDER BY m.created_at DESC, s.id, m.seq DESC");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (indexed) {
                    ps.setString(i++, match);
                }
                ps.setString(i++, userId);
                if (request.sessionId().isPresent()) {
                    ps.setString(i, request.sessionId().get());
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

    @Override
    public List<UsageTotals> usage(UsageQuery query) {
        return db.read("totalling the usage of user " + query.userId(), c -> {
            StringBuilder sql = new StringBuilder();
            boolean sumInSql = dialect == Dialect.POSTGRESQL;
            if (sumInSql) {
                sql.append("SELECT m.model, m.provider, m.currency, count(*) AS n, sum(m.input_tokens) AS input,"
                        + " sum(m.output_tokens) AS output, sum(m.cost) AS cost");
            } else {
                // SQLite has no exact decimal sum: stream the (covering-index) rows and add costs as BigDecimal
                sql.append("SELECT m.model, m.provider, m.currency, 1 AS n, m.input_tokens AS input,"
                        + " m.output_tokens AS output, m.cost AS cost");
            }
            sql.append(" FROM messages m JOIN sessions s ON s.sk = m.session_sk"
                    + " WHERE s.user_id = ? AND m.currency IS NOT NULL");
            if (query.sessionId().isPresent()) {
                sql.append(" AND s.id = ?");
            }
            if (query.from().isPresent()) {
                sql.append(" AND m.created_at >= ?");
            }
            if (query.to().isPresent()) {
                sql.append(" AND m.created_at < ?");
            }
            if (sumInSql) {
                sql.append(" GROUP BY m.model, m.provider, m.currency");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, query.userId());
                if (query.sessionId().isPresent()) {
                    ps.setString(i++, query.sessionId().get());
                }
                if (query.from().isPresent()) {
                    ps.setLong(i++, Codec.millis(query.from().get()));
                }
                if (query.to().isPresent()) {
                    ps.setLong(i, Codec.millis(query.to().get()));
                }
                record Key(Optional<String> model, Optional<String> provider, String currency) {
                }
                Map<Key, long[]> counts = new HashMap<>();
                Map<Key, BigDecimal> costs = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Key k = new Key(Codec.nullableText(rs, "model"), Codec.nullableText(rs, "provider"),
                                rs.getString("currency"));
                        long[] t = counts.computeIfAbsent(k, x -> new long[3]);
                        t[0] += rs.getLong("n");
                        t[1] += rs.getLong("input");
                        t[2] += rs.getLong("output");
                        costs.merge(k, codec.cost(rs, "cost", "messages", "usage of " + query.userId()), BigDecimal::add);
                    }
                }
                List<UsageTotals> out = new ArrayList<>();
                counts.forEach((k, t) -> out.add(new UsageTotals(k.model(), k.provider(), k.currency(), t[0], t[1], t[2],
                        Codec.normaliseCost(costs.get(k)))));
                out.sort(UsageTotals.ORDER);
                return out;
            }
        });
    }

    @Override
    public void restore(String userId, String sessionId, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        db.write("restoring messages of session " + sessionId, c -> {
            long sk = Sessions.key(c, userId, sessionId);
            log.restore(c, sk, sessionId, messages);
            return null;
        });
    }
}
