package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The message logs of sessions ({@code messages}) and panels ({@code panel_messages}), native SQL.
 *
 * <p>seq under concurrency: an append increments the owner row's counter ({@code message_count}) and takes the new
 * value in its own transaction ({@code UPDATE ... RETURNING}), with the limit in the same {@code WHERE}. The update
 * holds the owner row's lock (PostgreSQL) or runs under the single writer (SQLite), so concurrent appends, from any
 * number of threads or processes, get contiguous, distinct ranges, and earlier messages are never read. A restore
 * locks the owner row the same way, so it never races an append for a seq. Appends of this store's threads to the
 * same session at the same time share one such transaction ({@link GroupedAppends}).
 */
final class JdbcLogs implements MessageLogs {

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;
    private final LogTable sessionLogs;
    private final LogTable panelLogs;
    private final GroupedAppends grouped = new GroupedAppends();
    private final BulkLoadStatistics sessionStatistics;
    private final BulkLoadStatistics panelStatistics;

    JdbcLogs(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
        this.sessionLogs = LogTable.sessions(dialect, codec);
        this.panelLogs = LogTable.panels(dialect, codec);
        this.sessionStatistics = new BulkLoadStatistics(db, "messages", List.of("messages", "sessions"));
        this.panelStatistics = new BulkLoadStatistics(db, "panel_messages", List.of("panel_messages", "panels"));
    }

    /** A resolved log: its table, the owner key its rows carry (session sk or panel ID), and its log ID. */
    private record Owner(LogTable table, Object key, String logId) {
    }

    /** Resolves the log's owner row, locking it for the transaction when {@code lock} (PostgreSQL). */
    private Owner owner(Connection c, LogRef log, boolean lock) throws SQLException {
        String forUpdate = lock && dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
        if (log instanceof LogRef.SessionLog s) {
            try (PreparedStatement ps = c.prepareStatement("SELECT sk FROM sessions WHERE user_id = ? AND id = ?"
                    + forUpdate)) {
                ps.setString(1, s.userId());
                ps.setString(2, s.sessionId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw Sessions.notFound(s.userId(), s.sessionId());
                    }
                    return new Owner(sessionLogs, rs.getLong(1), s.sessionId());
                }
            }
        }
        String panelId = log.logId();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM panels WHERE id = ?" + forUpdate)) {
            ps.setString(1, panelId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("panel", panelId);
                }
            }
        }
        return new Owner(panelLogs, panelId, panelId);
    }

    @Override
    public List<Message> append(LogRef log, List<Message> messages, long maxMessages) {
        if (messages.isEmpty()) {
            db.read("finding " + log, c -> owner(c, log, false));
            return List.of();
        }
        try {
            if (log instanceof LogRef.SessionLog s) {
                return appendToSession(s.userId(), s.sessionId(), messages, maxMessages);
            }
            return appendToPanel(log.logId(), messages, maxMessages);
        } catch (DuplicateKeyException e) {
            if ("record".equals(e.entity())) {
                String ownerKey = log instanceof LogRef.SessionLog s ? s.userId() + "/" + s.sessionId() : log.logId();
                throw LogTable.duplicate(ownerKey, messages, e);
            }
            throw e;
        }
    }

    /**
     * Concurrent appends to one session from this store's threads are written together ({@link GroupedAppends}), so
     * they share a transaction instead of queueing on the session row's lock one commit at a time.
     */
    private List<Message> appendToSession(String userId, String sessionId, List<Message> messages, long max) {
        return grouped.append(userId + '\u0000' + sessionId, messages, max,
                (drafts, limit) -> writeToSession(userId, sessionId, drafts, limit));
    }

    private List<Message> writeToSession(String userId, String sessionId, List<Message> messages, long max) {
        if (messages.size() == 1 && dialect == Dialect.POSTGRESQL) {
            return appendOnePostgres(userId, sessionId, messages.get(0), max);
        }
        if (dialect == Dialect.POSTGRESQL) {
            return appendManyPostgres(userId, sessionId, messages, max);
        }
        return db.writeCached("appending to session " + sessionId, st -> appendSqlite(st, userId, sessionId,
                messages, max));
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
                ps.setString(i, IndexedWords.lexemeText(m.content()));
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
     * ({@link IndexedWords#lexemeText}).
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
            words[k] = IndexedWords.lexemeText(m.content());
        }
        Long first = db.writeOneStatement("appending to session " + sessionId, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, n);
                ps.setLong(i++, Codec.millis(drafts.get(n - 1).createdAt()));
                ps.setLong(i++, Codec.millis(LogTable.newest(drafts)));
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
     * counter update, then per message its row (the search index follows in batches, {@link SqliteSearchTail}).
     */
    private List<Message> appendSqlite(Statements st, String userId, String sessionId, List<Message> drafts, long max)
            throws SQLException {
        int n = drafts.size();
        PreparedStatement ps = st.prepare("UPDATE sessions SET message_count = message_count + ?, last_message_at = ?,"
                + " updated_at = max(updated_at, ?) WHERE user_id = ? AND id = ? AND message_count + ? <= ?"
                + " RETURNING sk, message_count");
        ps.setLong(1, n);
        ps.setLong(2, Codec.millis(drafts.get(n - 1).createdAt()));
        ps.setLong(3, Codec.millis(LogTable.newest(drafts)));
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
        return sessionLogs.insertSqlite(st, sk, sessionId, count - n + 1, drafts);
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
                return LogTable.limit(max, rs.getLong(1), adding);
            }
        }
    }

    /** A panel's append: the counter update, then the rows (a JDBC batch on PostgreSQL). */
    private List<Message> appendToPanel(String panelId, List<Message> messages, long max) {
        return db.writeCached("appending to panel " + panelId, st -> {
            int n = messages.size();
            PreparedStatement ps = st.prepare("UPDATE panels SET message_count = message_count + ?, updated_at = "
                    + dialect.greatest("updated_at", "?") + " WHERE id = ? AND message_count + ? <= ?"
                    + " RETURNING message_count");
            ps.setLong(1, n);
            ps.setLong(2, Codec.millis(LogTable.newest(messages)));
            ps.setString(3, panelId);
            ps.setLong(4, n);
            ps.setLong(5, max);
            long count;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    rs.close();
                    throw panelMissingOrFull(st.connection(), panelId, max, n);
                }
                count = rs.getLong(1);
            }
            return dialect == Dialect.SQLITE
                    ? panelLogs.insertSqlite(st, panelId, panelId, count - n + 1, messages)
                    : panelLogs.insert(st.connection(), panelId, panelId, count - n + 1, messages);
        });
    }

    private static RuntimeException panelMissingOrFull(Connection c, String panelId, long max, int adding)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT message_count FROM panels WHERE id = ?")) {
            ps.setString(1, panelId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? LogTable.limit(max, rs.getLong(1), adding) : new NotFoundException("panel", panelId);
            }
        }
    }

    @Override
    public Optional<Message> findBySeq(LogRef log, long seq) {
        if (log instanceof LogRef.SessionLog s) {
            return readSession(s, "reading message " + seq + " of " + log, "AND seq = ?", seq).stream().findFirst();
        }
        return db.read("reading message " + seq + " of " + log, c -> {
            Owner o = owner(c, log, false);
            return o.table().select(c, o.key(), o.logId(), "AND seq = ?", seq).stream().findFirst();
        });
    }

    @Override
    public Optional<Message> findById(LogRef log, String messageId) {
        return db.read("reading message " + messageId + " of " + log, c -> {
            Owner o = owner(c, log, false);
            return o.table().findById(c, o.key(), o.logId(), messageId);
        });
    }

    @Override
    public List<Message> after(LogRef log, long afterSeq, int limit) {
        if (log instanceof LogRef.SessionLog s) {
            return readSession(s, "reading messages of " + log, "AND seq > ? ORDER BY seq LIMIT ?", afterSeq, limit);
        }
        return db.read("reading messages of " + log, c -> {
            Owner o = owner(c, log, false);
            return o.table().select(c, o.key(), o.logId(), "AND seq > ? ORDER BY seq LIMIT ?", afterSeq, limit);
        });
    }

    @Override
    public List<Message> last(LogRef log, int n) {
        List<Message> out = new ArrayList<>(log instanceof LogRef.SessionLog s
                ? readSession(s, "reading the last messages of " + log, "ORDER BY seq DESC LIMIT ?", n)
                : db.read("reading the last messages of " + log, c -> {
                    Owner o = owner(c, log, false);
                    return o.table().select(c, o.key(), o.logId(), "ORDER BY seq DESC LIMIT ?", n);
                }));
        Collections.reverse(out);
        return out;
    }

    /**
     * Reads a session's log in one statement in auto-commit: one round trip, with no transaction around it and no
     * separate lookup of the session's key. Only an empty answer costs a second statement, which tells an empty page
     * from a session that does not exist.
     */
    private List<Message> readSession(LogRef.SessionLog s, String what, String tail, long... params) {
        return db.autoCommitted(what, c -> {
            List<Message> rows = sessionLogs.selectInSession(c, s.userId(), s.sessionId(), tail, params);
            if (rows.isEmpty()) {
                Sessions.key(c, s.userId(), s.sessionId());
            }
            return rows;
        });
    }

    /**
     * Writes at the given seqs under the owner row's lock ({@link LogTable#restore}); then a session's counters
     * describe its log again: messageCount is the last seq, lastMessageAt that message's createdAt. A panel's
     * counter (its next seq, not a field of the panel) follows its log too. Restores are how bulk loads arrive, so
     * their rows are counted towards analyzing the tables ({@link BulkLoadStatistics}).
     */
    @Override
    public void restore(LogRef log, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        db.write("restoring messages of " + log, c -> {
            Owner o = owner(c, log, true);
            LogTable.Tail tail = o.table().restore(c, o.key(), o.logId(), messages);
            String sql = log instanceof LogRef.SessionLog
                    ? "UPDATE sessions SET message_count = ?, last_message_at = ? WHERE sk = ?"
                    : "UPDATE panels SET message_count = ? WHERE id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, tail.seq());
                if (log instanceof LogRef.SessionLog) {
                    ps.setLong(2, Codec.millis(tail.createdAt()));
                    ps.setLong(3, (Long) o.key());
                } else {
                    ps.setString(2, (String) o.key());
                }
                ps.executeUpdate();
            }
            return null;
        });
        (log instanceof LogRef.SessionLog ? sessionStatistics : panelStatistics).written(messages.size());
    }
}
