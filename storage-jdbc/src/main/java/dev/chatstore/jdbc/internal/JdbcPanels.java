package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.jdbc.internal.mapping.InsightRow;
import dev.chatstore.jdbc.internal.mapping.PanelRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Panels and insights: CRUD through Hibernate's StatelessSession, lists and restores native; the panel's log is in {@link JdbcLogs}. */
final class JdbcPanels implements PanelRepository {

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;

    JdbcPanels(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
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
    public List<Panel> listById(String afterPanelId, int limit) {
        return db.read("listing panels", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM panels WHERE "
                    + dialect.byCodePoint("id") + " > ? ORDER BY " + dialect.byCodePoint("id") + " LIMIT ?")) {
                ps.setString(1, afterPanelId);
                ps.setInt(2, limit);
                return panels(ps);
            }
        });
    }

    /** Newest first from the index {@code panels_newest} (the default would sort every panel). */
    @Override
    public List<Panel> list(int offset, int limit) {
        return db.read("listing panels", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM panels ORDER BY created_at DESC, "
                    + dialect.byCodePoint("id") + " LIMIT ? OFFSET ?")) {
                ps.setInt(1, limit);
                ps.setInt(2, offset);
                return panels(ps);
            }
        });
    }

    private static final String COLUMNS = "id, type, personas, config, created_at, updated_at";

    private List<Panel> panels(PreparedStatement ps) throws SQLException {
        List<Panel> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                out.add(new Panel(id, Codec.untext(rs.getString("type")),
                        codec.stringArray(rs.getString("personas"), "panels", id),
                        codec.json(rs.getString("config"), "panels", id), Codec.instant(rs.getLong("created_at")),
                        Codec.instant(rs.getLong("updated_at"))));
            }
        }
        return out;
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
