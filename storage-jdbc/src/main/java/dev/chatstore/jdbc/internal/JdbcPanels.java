package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.jdbc.internal.mapping.InsightRow;
import dev.chatstore.jdbc.internal.mapping.PanelRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Panels and insights through Hibernate's StatelessSession; the panel message log like sessions' (native). */
final class JdbcPanels implements PanelRepository {

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;
    private final MessageLog log;

    JdbcPanels(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
        this.log = MessageLog.panels(dialect, codec);
    }

    @Override
    public void insert(Panel panel) {
        try {
            db.writeStateless("creating panel " + panel.id(), s -> {
                s.insert(row(panel, 0));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw new DuplicateKeyException("panel", panel.id(), e);
        }
    }

    @Override
    public Optional<Panel> find(String panelId) {
        return db.readStateless("reading panel " + panelId, s -> Optional.ofNullable(s.get(PanelRow.class, panelId)))
                .map(this::panel);
    }

    @Override
    public List<Panel> list(int offset, int limit) {
        return db.readStateless("listing panels", s -> s.createSelectionQuery(
                        "from PanelRow order by createdAt desc, id", PanelRow.class)
                .setFirstResult(offset).setMaxResults(limit).getResultList()).stream().map(this::panel).toList();
    }

    @Override
    public boolean delete(String panelId) {
        return db.write("deleting panel " + panelId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM panels WHERE id = ?")) {
                ps.setString(1, panelId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Message> append(String panelId, List<Message> messages, long maxMessages) {
        if (messages.isEmpty()) {
            find(panelId).orElseThrow(() -> new NotFoundException("panel", panelId));
            return List.of();
        }
        try {
            return db.writeCached("appending to panel " + panelId, st -> {
                int n = messages.size();
                String sql = "UPDATE panels SET message_count = message_count + ?, updated_at = "
                        + dialect.greatest("updated_at", "?") + " WHERE id = ? AND message_count + ? <= ?"
                        + " RETURNING message_count";
                PreparedStatement ps = st.prepare(sql);
                ps.setLong(1, n);
                ps.setLong(2, Codec.millis(MessageLog.newest(messages)));
                ps.setString(3, panelId);
                ps.setLong(4, n);
                ps.setLong(5, maxMessages);
                long count;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        rs.close();
                        throw missingOrFull(st.connection(), panelId, maxMessages, n);
                    }
                    count = rs.getLong(1);
                }
                return dialect == Dialect.SQLITE
                        ? log.insertSqlite(st, panelId, panelId, count - n + 1, messages)
                        : log.insert(st.connection(), panelId, panelId, count - n + 1, messages);
            });
        } catch (DuplicateKeyException e) {
            if ("record".equals(e.entity())) {
                throw log.duplicate(panelId, messages, e);
            }
            throw e;
        }
    }

    private static RuntimeException missingOrFull(Connection c, String panelId, long max, int adding) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT message_count FROM panels WHERE id = ?")) {
            ps.setString(1, panelId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? MessageLog.limit(max, rs.getLong(1), adding) : new NotFoundException("panel", panelId);
            }
        }
    }

    @Override
    public List<Message> messages(String panelId, long afterSeq, int limit) {
        return db.read("reading messages of panel " + panelId, c -> {
            requirePanel(c, panelId);
            return log.select(c, panelId, panelId, "AND seq > ? ORDER BY seq LIMIT ?", afterSeq, limit);
        });
    }

    private static void requirePanel(Connection c, String panelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM panels WHERE id = ?")) {
            ps.setString(1, panelId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("panel", panelId);
                }
            }
        }
    }

    @Override
    public void saveInsight(Insight insight) {
        try {
            db.writeStateless("saving insight " + insight.id(), s -> {
                if (s.get(PanelRow.class, insight.panelId()) == null) {
                    throw new NotFoundException("panel", insight.panelId());
                }
                s.insert(row(insight));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw new DuplicateKeyException("insight", insight.panelId() + "/" + insight.id(), e);
        }
    }

    @Override
    public List<Insight> insights(String panelId, int limit) {
        return db.readStateless("reading insights of panel " + panelId, s -> {
            if (s.get(PanelRow.class, panelId) == null) {
                throw new NotFoundException("panel", panelId);
            }
            return s.createSelectionQuery("from InsightRow where panelId = :panel order by createdAt desc, id desc",
                    InsightRow.class).setParameter("panel", panelId).setMaxResults(limit).getResultList();
        }).stream().map(this::insight).toList();
    }

    @Override
    public long purgeInsightsBefore(Instant cutoff) {
        return db.writeStateless("purging insights", s -> (long) s.createMutationQuery(
                "delete from InsightRow where createdAt < :cutoff").setParameter("cutoff", Codec.millis(cutoff)).executeUpdate());
    }

    @Override
    public void restore(Panel panel) {
        db.write("restoring panel " + panel.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO panels (id, type, personas, config, created_at,"
                    + " updated_at, message_count) VALUES (?, ?, ?, ?, ?, ?,"
                    + " (SELECT coalesce(max(seq), 0) FROM panel_messages WHERE panel_id = ?))"
                    + " ON CONFLICT (id) DO UPDATE SET type = excluded.type, personas = excluded.personas,"
                    + " config = excluded.config, created_at = excluded.created_at, updated_at = excluded.updated_at")) {
                PanelRow r = row(panel, 0);
                ps.setString(1, r.id);
                ps.setString(2, r.type);
                ps.setString(3, r.personas);
                ps.setString(4, r.config);
                ps.setLong(5, r.createdAt);
                ps.setLong(6, r.updatedAt);
                ps.setString(7, r.id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void restoreMessages(String panelId, List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        db.write("restoring messages of panel " + panelId, c -> {
            requirePanel(c, panelId);
            log.restore(c, panelId, panelId, messages);
            long top = messages.stream().mapToLong(Message::seq).max().orElse(0);
            try (PreparedStatement ps = c.prepareStatement("UPDATE panels SET message_count = "
                    + dialect.greatest("message_count", "?") + " WHERE id = ?")) {
                ps.setLong(1, top);
                ps.setString(2, panelId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void restoreInsight(Insight insight) {
        db.write("restoring insight " + insight.id(), c -> {
            requirePanel(c, insight.panelId());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO panel_insights (panel_id, id, created_at, content)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (panel_id, id) DO UPDATE SET created_at = excluded.created_at,"
                    + " content = excluded.content")) {
                ps.setString(1, insight.panelId());
                ps.setString(2, insight.id());
                ps.setLong(3, Codec.millis(insight.createdAt()));
                ps.setString(4, Codec.json(insight.content()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static PanelRow row(Panel p, long messageCount) {
        PanelRow r = new PanelRow();
        r.id = p.id();
        r.type = Codec.text(p.type());
        r.personas = Codec.jsonArray(p.personas());
        r.config = Codec.json(p.config());
        r.createdAt = Codec.millis(p.createdAt());
        r.updatedAt = Codec.millis(p.updatedAt());
        r.messageCount = messageCount;
        return r;
    }

    private Panel panel(PanelRow r) {
        return new Panel(r.id, Codec.untext(r.type), codec.stringArray(r.personas, "panels", r.id),
                codec.json(r.config, "panels", r.id), Codec.instant(r.createdAt), Codec.instant(r.updatedAt));
    }

    private static InsightRow row(Insight i) {
        InsightRow r = new InsightRow();
        r.panelId = i.panelId();
        r.id = i.id();
        r.createdAt = Codec.millis(i.createdAt());
        r.content = Codec.json(i.content());
        return r;
    }

    private Insight insight(InsightRow r) {
        return new Insight(r.id, r.panelId, Codec.instant(r.createdAt),
                codec.json(r.content, "panel_insights", r.panelId + "/" + r.id));
    }
}
