package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * Planner statistics for tables that bulk writes (import, migration backfill, restore through {@code Transfer}) fill,
 * so that the first queries after a bulk load are planned on what the tables hold, not on the guesses a planner makes
 * for a table it has never analyzed: PostgreSQL otherwise plans a search over a fresh import of 100,000 messages as a
 * loop over the user's sessions, ten times slower than with statistics, until autovacuum gets to the table (which a
 * bulk load that only inserts may not trigger for a while, and which may be off).
 *
 * <p>Rows written by restores are counted; when they reach the table's size at the last analysis (at least
 * {@value #MIN_ROWS}), the tables are analyzed right after the restore that crossed the mark has committed, in that
 * caller's thread: PostgreSQL {@code ANALYZE}, which samples at most a few tens of thousands of rows whatever the
 * table's size; SQLite {@code ANALYZE} with {@code analysis_limit}, which bounds the rows it visits per index. So an
 * import is analyzed a logarithmic number of times as it doubles the table (1,000, 2,000, 4,000, ... rows), and a
 * restore into a table much larger than itself analyzes it at most once. Appends never count: they are what
 * autovacuum's own thresholds are made for. A failed analysis is logged, never the restore's failure: its data is
 * committed.
 */
final class BulkLoadStatistics {

    /** Rows below which no bulk write is worth an analysis. */
    static final long MIN_ROWS = 1000;
    /** SQLite: rows {@code ANALYZE} examines per index, enough for the planner's choices here. */
    private static final int SQLITE_ANALYSIS_LIMIT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(BulkLoadStatistics.class);

    private final Database db;
    private final String table;
    private final List<String> analyzed;
    private long pending;
    private long threshold = MIN_ROWS;
    private boolean running;

    /**
     * @param table    the table the counted rows go to
     * @param analyzed every table to analyze then: {@code table} and the tables its queries join
     */
    BulkLoadStatistics(Database db, String table, List<String> analyzed) {
        this.db = db;
        this.table = table;
        this.analyzed = List.copyOf(analyzed);
    }

    /** Counts {@code rows} just committed to the table by a bulk write, analyzing when they add up. */
    void written(long rows) {
        synchronized (this) {
            pending += rows;
            if (running || pending < threshold) {
                return;
            }
            running = true;
            pending = 0;
        }
        long size = threshold;
        try {
            size = analyze();
        } catch (StorageException e) {
            LOG.warn("could not refresh the planner statistics of {} after a bulk write: {}", analyzed, e.getMessage());
        } finally {
            synchronized (this) {
                threshold = Math.max(MIN_ROWS, size);
                running = false;
            }
        }
    }

    /** Analyzes the tables; returns the table's size as the planner now sees it. */
    private long analyze() {
        String what = "analyzing " + String.join(", ", analyzed) + " after a bulk write";
        if (db.dialect() == Dialect.POSTGRESQL) {
            return db.writeOneStatement(what, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("ANALYZE " + String.join(", ", analyzed));
                    try (ResultSet rs = st.executeQuery("SELECT reltuples::bigint FROM pg_class WHERE oid = '"
                            + table + "'::regclass")) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                }
            });
        }
        return db.write(what, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA analysis_limit = " + SQLITE_ANALYSIS_LIMIT);
                for (String t : analyzed) {
                    st.execute("ANALYZE " + t);
                }
                // the largest rowid bounds the table's size (rowids are never reused here), in one b-tree descent
                try (ResultSet rs = st.executeQuery("SELECT coalesce(max(rowid), 0) FROM " + table)) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
