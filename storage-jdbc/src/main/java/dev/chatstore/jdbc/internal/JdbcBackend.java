package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.spi.ContextRepository;
import dev.chatstore.api.spi.CredentialRepository;
import dev.chatstore.api.spi.DocumentRepository;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.MessageSearch;
import dev.chatstore.api.spi.PanelRepository;
import dev.chatstore.api.spi.PersonaRepository;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.UsageTotalsSource;
import dev.chatstore.api.spi.UserRepository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** The JDBC backend: repositories over one {@link Database}. */
public final class JdbcBackend implements StorageBackend {

    private final Database db;
    private final UserRepository users;
    private final SessionRepository sessions;
    private final MessageLogs logs;
    private final MessageSearch search;
    private final UsageTotalsSource usage;
    private final StoreMaintenance maintenance;
    private final DocumentRepository documents;
    private final ContextRepository contexts;
    private final PanelRepository panels;
    private final PersonaRepository personas;
    private final CredentialRepository credentials;

    /**
     * @param db     the store's connections, mapped
     * @param schema the store's Flyway schema
     */
    public JdbcBackend(Database db, JdbcSchema schema) {
        this.db = db;
        Codec codec = new Codec(db.dialect(), db.location());
        this.users = new JdbcUsers(db, codec);
        this.sessions = new JdbcSessions(db, codec);
        this.logs = new JdbcLogs(db, codec);
        this.search = new JdbcSearch(db, codec);
        this.usage = new JdbcUsageTotals(db, codec);
        this.maintenance = JdbcMaintenance.of(db, schema);
        this.documents = new JdbcDocuments(db, codec);
        this.contexts = new JdbcContexts(db, codec);
        this.panels = new JdbcPanels(db, codec);
        this.personas = new JdbcPersonas(db, codec);
        this.credentials = new JdbcCredentials(db);
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public UserRepository users() {
        return users;
    }

    @Override
    public SessionRepository sessions() {
        return sessions;
    }

    @Override
    public MessageLogs logs() {
        return logs;
    }

    @Override
    public Optional<MessageSearch> search() {
        return Optional.of(search);
    }

    @Override
    public Optional<UsageTotalsSource> usage() {
        return Optional.of(usage);
    }

    @Override
    public Optional<StoreMaintenance> maintenance() {
        return Optional.of(maintenance);
    }

    @Override
    public DocumentRepository documents() {
        return documents;
    }

    @Override
    public ContextRepository contexts() {
        return contexts;
    }

    @Override
    public PanelRepository panels() {
        return panels;
    }

    @Override
    public PersonaRepository personas() {
        return personas;
    }

    @Override
    public CredentialRepository credentials() {
        return credentials;
    }

    /** A rollback-only write of the probe row proves writability without changing anything visible. */
    private static final class ProbeRolledBack extends StorageException {
        private static final long serialVersionUID = 1L;

        ProbeRolledBack() {
            super("health probe rolled back");
        }
    }

    @Override
    public HealthReport health() {
        long start = System.nanoTime();
        String name = "jdbc:" + db.dialect().name().toLowerCase(java.util.Locale.ROOT);
        if (db.isClosed()) {
            return new HealthReport(name, false, false, OptionalLong.empty(), Duration.ZERO, Optional.of("closed"));
        }
        long size;
        try {
            size = db.read("probing the database", c -> {
                String sql = db.dialect() == Dialect.POSTGRESQL
                        ? "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                        : "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        } catch (StorageException e) {
            return new HealthReport(name, false, false, OptionalLong.empty(), Duration.ofNanos(System.nanoTime() - start),
                    Optional.of(e.getMessage()));
        }
        boolean writable;
        Optional<String> detail = Optional.empty();
        try {
            db.write("probing writability", c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE health_probe SET probed = ? WHERE id = 1")) {
                    ps.setLong(1, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                throw new ProbeRolledBack();
            });
            writable = true;
        } catch (ProbeRolledBack expected) {
            writable = true;
        } catch (StorageException e) {
            writable = false;
            detail = Optional.of(e.getMessage());
        }
        return new HealthReport(name, true, writable, OptionalLong.of(size), Duration.ofNanos(System.nanoTime() - start),
                detail);
    }

    @Override
    public void close() {
        db.close();
    }
}
