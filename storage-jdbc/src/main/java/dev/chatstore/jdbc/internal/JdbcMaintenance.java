package dev.chatstore.jdbc.internal;

import dev.chatstore.api.spi.StoreMaintenance;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Schema and consistency operations of a JDBC store.
 *
 * <ul>
 *   <li>{@link #schema()}: Flyway's current and latest version and the pending migrations;</li>
 *   <li>{@link #upgrade}: applies migrations up to a target (never down);</li>
 *   <li>{@link #check}: the schema (pending migrations, a history that does not match this release's scripts),
 *       then, when the schema is up to date, the counters that must describe each log: a
 *       session's messageCount and lastMessageAt and a panel's next seq equal their log's last seq and its
 *       createdAt, and a log has no gap. {@link Mode#REPAIR} (and {@code SALVAGE}) set counters from their log;
 *       a gap is reported, never "fixed" by deleting messages.</li>
 * </ul>
 * The counters are read with plain SQL, so a standalone session ({@link #standalone}) needs no Hibernate mapping.
 */
public final class JdbcMaintenance implements StoreMaintenance {

    private final Database db;
    private final JdbcSchema schema;
    private final boolean ownsDatabase;

    private JdbcMaintenance(Database db, JdbcSchema schema, boolean ownsDatabase) {
        this.db = db;
        this.schema = schema;
        this.ownsDatabase = ownsDatabase;
    }

    /** The maintenance of an open store; closing it leaves the store open. */
    static JdbcMaintenance of(Database db, JdbcSchema schema) {
        return new JdbcMaintenance(db, schema, false);
    }

    /** A maintenance session over its own connections, closed with it. */
    public static JdbcMaintenance standalone(Database db) {
        return new JdbcMaintenance(db, new JdbcSchema(db), true);
    }

    @Override
    public void close() {
        if (ownsDatabase) {
            db.close();
        }
    }

    @Override
    public Optional<SchemaStatus> schema() {
        return Optional.of(schema.status());
    }

    @Override
    public SchemaStatus upgrade(Optional<String> targetVersion) {
        return schema.upgrade(targetVersion);
    }

    @Override
    public CheckReport check(Mode mode) {
        List<Finding> findings = new ArrayList<>();
        SchemaStatus status = schema.status();
        String where = "schema of " + db.location();
        if (status.upToDate()) {
            findings.add(new Finding(Severity.INFO, where, "at version " + status.current() + " (the latest)", false));
        } else {
            findings.add(new Finding(Severity.WARNING, where, "at version " + status.current() + "; pending: "
                    + String.join(", ", status.pending()) + ". Run `chatstore schema upgrade`", false));
        }
        for (String problem : schema.problems()) {
            findings.add(new Finding(Severity.ERROR, where, problem, false));
        }
        long checked = 1;
        if (!status.upToDate()) {
            findings.add(new Finding(Severity.INFO, db.location(), "records not checked: the schema is not up to date",
                    false));
            return new CheckReport(findings, checked);
        }
        boolean repair = mode != Mode.CHECK;
        checked += checkSessionCounters(findings, repair);
        checked += checkPanelCounters(findings, repair);
        return new CheckReport(findings, checked);
    }

    /** A check reads in a read transaction; a repair reads and fixes in one write transaction. */
    private <T> T run(boolean repair, String what, SqlWork<T> work) {
        return repair ? db.write(what, work) : db.read(what, work);
    }

    /** Sessions whose counters or log disagree; returns how many sessions were checked. */
    private long checkSessionCounters(List<Finding> findings, boolean repair) {
        String sql = "SELECT s.sk, s.user_id, s.id, s.message_count, s.last_message_at, coalesce(t.n, 0) AS n,"
                + " coalesce(t.top, 0) AS top, (SELECT m.created_at FROM messages m WHERE m.session_sk = s.sk"
                + " ORDER BY m.seq DESC LIMIT 1) AS top_at"
                + " FROM sessions s LEFT JOIN (SELECT session_sk, count(*) AS n, max(seq) AS top FROM messages"
                + " GROUP BY session_sk) t ON t.session_sk = s.sk";
        return run(repair, "checking the message counters of sessions", c -> {
            long sessions = 0;
            List<long[]> fixes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sessions++;
                    String location = "session " + rs.getString("user_id") + "/" + rs.getString("id");
                    long count = rs.getLong("message_count");
                    long lastAt = rs.getLong("last_message_at");
                    boolean noLastAt = rs.wasNull();
                    long n = rs.getLong("n");
                    long top = rs.getLong("top");
                    long topAt = rs.getLong("top_at");
                    if (n != top) {
                        findings.add(new Finding(Severity.ERROR, location, "its log holds " + n
                                + " messages up to seq " + top + ": seqs are missing (restore them from a backup)",
                                false));
                    }
                    boolean countsRight = count == top && (top == 0 ? noLastAt : !noLastAt && lastAt == topAt);
                    if (!countsRight) {
                        findings.add(new Finding(Severity.WARNING, location, "messageCount " + count
                                + " and lastMessageAt do not describe its log (last seq " + top + ")", repair));
                        if (repair) {
                            fixes.add(new long[] {rs.getLong("sk"), top, top == 0 ? -1 : topAt});
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sessions SET message_count = ?, last_message_at = ? WHERE sk = ?")) {
                for (long[] f : fixes) {
                    ps.setLong(1, f[1]);
                    if (f[2] < 0) {
                        ps.setNull(2, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(2, f[2]);
                    }
                    ps.setLong(3, f[0]);
                    ps.executeUpdate();
                }
            }
            return sessions;
        });
    }

    /** Panels whose next-seq counter or log disagree; returns how many panels were checked. */
    private long checkPanelCounters(List<Finding> findings, boolean repair) {
        String sql = "SELECT p.id, p.message_count, coalesce(t.n, 0) AS n, coalesce(t.top, 0) AS top FROM panels p"
                + " LEFT JOIN (SELECT panel_id, count(*) AS n, max(seq) AS top FROM panel_messages GROUP BY panel_id) t"
                + " ON t.panel_id = p.id";
        return run(repair, "checking the message counters of panels", c -> {
            long panels = 0;
            List<Object[]> fixes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    panels++;
                    String location = "panel " + rs.getString("id");
                    long n = rs.getLong("n");
                    long top = rs.getLong("top");
                    if (n != top) {
                        findings.add(new Finding(Severity.ERROR, location, "its log holds " + n
                                + " messages up to seq " + top + ": seqs are missing (restore them from a backup)",
                                false));
                    }
                    if (rs.getLong("message_count") != top) {
                        findings.add(new Finding(Severity.WARNING, location, "its next-seq counter "
                                + rs.getLong("message_count") + " does not follow its log (last seq " + top + ")",
                                repair));
                        if (repair) {
                            fixes.add(new Object[] {rs.getString("id"), top});
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE panels SET message_count = ? WHERE id = ?")) {
                for (Object[] f : fixes) {
                    ps.setLong(1, (Long) f[1]);
                    ps.setString(2, (String) f[0]);
                    ps.executeUpdate();
                }
            }
            return panels;
        });
    }
}
