package dev.chatstore.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.error.StorageUnavailableException;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The connections of one store and how work runs on them.
 *
 * <p>PostgreSQL: one HikariCP pool; every call is one transaction (READ COMMITTED), concurrent writers are
 * ordered by row locks (an append locks its session row).
 *
 * <p>SQLite: WAL journal, so readers never block the writer; a pool of reader connections; and a single
 * writer: one connection whose transactions begin IMMEDIATE, used under an in-process lock, so threads of
 * this JVM queue here instead of failing with "database is locked", while other processes are waited for
 * by SQLite's busy timeout. Appends keep their prepared statements on that connection across calls
 * ({@link #writeCached}). The writer's {@code synchronous} pragma follows the store's durability: FULL for
 * {@code sync} (the default: the WAL is fsynced before a commit returns), NORMAL for {@code batch} (a power
 * loss may lose the last commits, never corrupt the file), OFF for {@code none}.
 */
public final class Database implements AutoCloseable {

    private final Dialect dialect;
    private final String location;
    private final HikariDataSource readers;
    private final HikariDataSource writer;
    private final ReentrantLock writeLock;
    private final long lockTimeoutMillis;
    private final int busyTimeoutMillis;
    private final JdbcExceptionTranslator translator;
    private volatile SessionFactory sessionFactory;
    /** The schema version whose tables the Hibernate mapping is known to fit (see {@link HibernateMapping}). */
    public static final String VALIDATED_SCHEMA_VERSION = HibernateMapping.VALIDATED_SCHEMA_VERSION;

    /** Made on first use by {@link #withFlyway}, under the writer lock. */
    private Flyway flyway;

    /** SQLite: the cached statements of the single writer connection; guarded by {@link #writeLock}. */
    private Statements writerStatements;
    private volatile boolean closed;

    private Database(Dialect dialect, String location, HikariDataSource readers, HikariDataSource writer,
                     long lockTimeoutMillis, int busyTimeoutMillis) {
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.dialect = dialect;
        this.location = location;
        this.readers = readers;
        this.writer = writer;
        this.writeLock = writer != readers ? new ReentrantLock(true) : null;
        this.lockTimeoutMillis = lockTimeoutMillis;
        this.translator = new JdbcExceptionTranslator(location);
    }

    /** Opens the pools (does not migrate). */
    public static Database open(String url, JdbcOptions options) {
        Dialect dialect = Dialect.require(url);
        String location = StorageBackends.redact(url);
        JdbcExceptionTranslator translator = new JdbcExceptionTranslator(location);
        try {
            if (dialect == Dialect.POSTGRESQL) {
                HikariConfig c = baseConfig(url, "chatstore-pg", options.poolSize(), options.connectTimeoutMillis());
                c.addDataSourceProperty("reWriteBatchedInserts", "true");
                HikariDataSource pool = new HikariDataSource(c);
                return new Database(dialect, location, pool, pool, options.connectTimeoutMillis(),
                        options.busyTimeoutMillis());
            }
            HikariConfig w = baseConfig(url, "chatstore-sqlite-writer", 1, options.connectTimeoutMillis());
            sqlitePragmas(w, options, true);
            HikariDataSource writer = new HikariDataSource(w);
            HikariConfig r = baseConfig(url, "chatstore-sqlite-readers", Math.max(1, options.poolSize()),
                    options.connectTimeoutMillis());
            sqlitePragmas(r, options, false);
            r.setMinimumIdle(1);
            HikariDataSource readers = new HikariDataSource(r);
            return new Database(dialect, location, readers, writer, options.busyTimeoutMillis() * 3L + 1000,
                    options.busyTimeoutMillis());
        } catch (RuntimeException e) {
            throw translator.translate(e, "opening the database");
        }
    }

    private static HikariConfig baseConfig(String url, String name, int size, long connectTimeoutMillis) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setPoolName(name);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(Math.min(size, 2));
        c.setConnectionTimeout(connectTimeoutMillis);
        c.setInitializationFailTimeout(connectTimeoutMillis);
        c.setAutoCommit(true);
        return c;
    }

    private static void sqlitePragmas(HikariConfig c, JdbcOptions options, boolean writer) {
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("busy_timeout", String.valueOf(options.busyTimeoutMillis()));
        c.addDataSourceProperty("foreign_keys", "true");
        c.addDataSourceProperty("synchronous", options.synchronous());
        if (writer) {
            // BEGIN IMMEDIATE: take the write lock at the start, so a transaction never fails upgrading a
            // read snapshot that another process made stale.
            c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        }
    }

    /**
     * Runs a Flyway operation (info, validate, migrate) on this store's schema, holding the single writer (SQLite),
     * translating whatever it throws. The Flyway instance is made once per store: loading it scans the class path
     * for the dialect's migrations.
     */
    public <T> T withFlyway(String what, Function<Flyway, T> operation) {
        return exclusively(what, () -> operation.apply(flyway()));
    }

    private synchronized Flyway flyway() {
        Flyway f = flyway;
        if (f == null) {
            var config = Flyway.configure(getClass().getClassLoader())
                    .dataSource(migrationDataSource())
                    .locations(dialect.migrationLocation())
                    .failOnMissingLocations(true)
                    .loggers("slf4j"); // like every Chatstore log line, never java.util.logging or stdout
            Dialect.currentSchema(writer.getJdbcUrl()).ifPresent(s -> config.schemas(s).defaultSchema(s).createSchemas(true));
            f = config.load();
            flyway = f;
        }
        return f;
    }

    /**
     * Flyway uses several connections at once (its work, its lock, its callbacks), so it gets its own unpooled
     * connections: a pool smaller than that (a {@code backend.pool-size} of 1 or 2) would otherwise wait for itself
     * until the connect timeout. On SQLite they are made while this store's single writer is held.
     */
    private javax.sql.DataSource migrationDataSource() {
        if (dialect == Dialect.POSTGRESQL) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(writer.getJdbcUrl());
            return ds;
        }
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        config.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource(config);
        ds.setUrl(writer.getJdbcUrl());
        return ds;
    }

    /**
     * Builds the Hibernate mapping now, validating it against the schema (for a schema at a version the tests have
     * not validated the mapping against; see {@link HibernateMapping}).
     */
    public void validateMapping() {
        sessionFactory(true);
    }

    /** The mapping, built on first use: a store whose first calls need no Hibernate never waits for it. */
    private SessionFactory sessionFactory(boolean validate) {
        SessionFactory f = sessionFactory;
        if (f != null) {
            return f;
        }
        synchronized (this) {
            if (sessionFactory == null) {
                checkOpen();
                try {
                    sessionFactory = HibernateMapping.build(dialect, readers,
                            Dialect.currentSchema(readers.getJdbcUrl()), validate);
                } catch (RuntimeException e) {
                    throw translator.translate(e, "validating the Hibernate mapping against the schema");
                }
            }
            return sessionFactory;
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public String location() {
        return location;
    }

    public JdbcExceptionTranslator translator() {
        return translator;
    }

    /** Runs read-only work in one transaction on a reader connection. */
    public <T> T read(String what, SqlWork<T> work) {
        checkOpen();
        try (Connection c = readers.getConnection()) {
            return inTransaction(c, work);
        } catch (SQLException | RuntimeException e) {
            throw translator.translate(e, what);
        }
    }

    /** Runs work that writes in one transaction: on SQLite, on the single writer connection. */
    public <T> T write(String what, SqlWork<T> work) {
        checkOpen();
        return exclusively(what, () -> {
            try (Connection c = writer.getConnection()) {
                return inTransaction(c, work);
            } catch (SQLException e) {
                throw translator.translate(e, what);
            }
        });
    }

    /**
     * Runs hot-path write work (appends) in one transaction, with prepared statements that outlive the call
     * where the driver does not cache them.
     *
     * <p>SQLite: on the single writer, under its lock, with statements cached for the life of the physical
     * connection, and the transaction issued as {@code BEGIN IMMEDIATE} ... {@code COMMIT} directly (the
     * driver's own auto-commit switching costs an extra empty {@code BEGIN IMMEDIATE}/{@code COMMIT} pair per
     * call). PostgreSQL: like {@link #write}, with statements prepared per call (pgjdbc caches them itself).
     */
    <T> T writeCached(String what, Statements.Work<T> work) {
        checkOpen();
        if (writeLock == null) {
            return write(what, c -> {
                Statements statements = Statements.perCall(c);
                try {
                    return work.run(statements);
                } finally {
                    statements.release();
                }
            });
        }
        return exclusively(what, () -> {
            try (Connection c = writer.getConnection()) {
                Connection physical = c.unwrap(org.sqlite.SQLiteConnection.class);
                if (writerStatements == null || !writerStatements.belongsTo(physical)) {
                    if (writerStatements != null) {
                        writerStatements.closeAll();
                    }
                    writerStatements = Statements.cachedOn(physical);
                }
                return inSqliteTransaction(c, writerStatements, work);
            } catch (SQLException e) {
                throw translator.translate(e, what);
            }
        });
    }

    private <T> T inSqliteTransaction(Connection c, Statements statements, Statements.Work<T> work)
            throws SQLException {
        statements.prepare("BEGIN IMMEDIATE").execute();
        boolean done = false;
        try {
            T result = work.run(statements);
            statements.prepare("COMMIT").execute();
            done = true;
            return result;
        } finally {
            if (!done) {
                try {
                    statements.prepare("ROLLBACK").execute();
                } catch (SQLException suppressed) {
                    // SQLite may already have rolled back (e.g. after an I/O error), or the connection is
                    // unusable: either way it is not trusted with the next BEGIN; the pool replaces it once
                    // returned (and the statement cache follows the new connection). The original failure
                    // is what the caller needs to see.
                    writer.evictConnection(c);
                    statements.closeAll();
                }
            }
        }
    }

    /** Runs the action holding the single-writer lock (SQLite), translating whatever it throws. */
    private <T> T exclusively(String what, java.util.function.Supplier<T> action) {
        checkOpen();
        boolean locked = false;
        try {
            if (writeLock != null) {
                if (!writeLock.tryLock(lockTimeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new StorageUnavailableException(what + " on " + location
                            + ": timed out waiting for this store's single SQLite writer");
                }
                locked = true;
            }
            return action.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException(what + " interrupted", e);
        } catch (RuntimeException e) {
            throw translator.translate(e, what);
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    /**
     * Runs work that is a single statement, atomic by itself: on PostgreSQL in auto-commit (one round trip
     * instead of statement plus COMMIT); on SQLite like {@link #write}.
     */
    public <T> T writeOneStatement(String what, SqlWork<T> work) {
        if (writeLock != null) {
            return write(what, work);
        }
        checkOpen();
        try (Connection c = writer.getConnection()) {
            return work.run(c);
        } catch (SQLException | RuntimeException e) {
            throw translator.translate(e, what);
        }
    }

    /**
     * Runs work on a reader connection in auto-commit, outside any transaction: for a probe whose failure is an
     * answer (a table that does not exist yet), which on PostgreSQL would otherwise abort the transaction; and for a
     * read that is a single statement (its own snapshot), which then costs no BEGIN/COMMIT round trips.
     */
    public <T> T autoCommitted(String what, SqlWork<T> work) {
        checkOpen();
        try (Connection c = readers.getConnection()) {
            return work.run(c);
        } catch (SQLException | RuntimeException e) {
            throw translator.translate(e, what);
        }
    }

    /** Runs work through a Hibernate StatelessSession bound to the transaction's connection. */
    public <T> T readStateless(String what, Function<StatelessSession, T> work) {
        return read(what, c -> withStateless(c, work));
    }

    public <T> T writeStateless(String what, Function<StatelessSession, T> work) {
        return write(what, c -> withStateless(c, work));
    }

    <T> T withStateless(Connection c, Function<StatelessSession, T> work) {
        try (StatelessSession s = sessionFactory(false).withStatelessOptions().connection(c).openStatelessSession()) {
            return work.apply(s);
        }
    }

    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        boolean done = false;
        try {
            T result = work.run(c);
            c.commit();
            done = true;
            return result;
        } finally {
            if (!done) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    // the original failure is what the caller needs to see
                }
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool discards a broken connection
            }
        }
    }

    /** A connection for work that manages its own transaction (documents read chunk by chunk). */
    public Connection readerConnection() throws SQLException {
        checkOpen();
        return readers.getConnection();
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageUnavailableException("the store " + location + " is closed");
        }
    }


    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (sessionFactory != null) {
                sessionFactory.close();
            }
        } catch (RuntimeException ignored) {
            // closing is best effort
        }
        if (writer != readers) {
            writer.close();
        }
        readers.close();
    }

}
