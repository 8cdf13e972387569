package dev.chatstore.mongo.internal;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
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
import dev.chatstore.api.spi.UsageTotalsSource;
import dev.chatstore.api.spi.UserRepository;
import org.bson.Document;

import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The MongoDB backend: one repository class per kind of record over a shared {@link MongoStore}, with native search
 * ({@link MongoSearch}) and usage totals ({@link MongoUsage}).
 */
public final class MongoBackend implements StorageBackend {

    private final MongoStore store;
    private final MongoUsers users;
    private final MongoSessions sessions;
    private final MongoLogs logs;
    private final MongoDocuments documents;
    private final MongoContexts contexts;
    private final MongoPanels panels;
    private final MongoPersonas personas;
    private final MongoCredentials credentials;
    private final MongoSearch search;
    private final MongoUsage usage;

    public MongoBackend(MongoStore store) {
        this.store = store;
        this.users = new MongoUsers(store);
        this.sessions = new MongoSessions(store);
        this.logs = new MongoLogs(store);
        this.documents = new MongoDocuments(store);
        this.contexts = new MongoContexts(store);
        this.panels = new MongoPanels(store);
        this.personas = new MongoPersonas(store);
        this.credentials = new MongoCredentials(store);
        this.search = new MongoSearch(store);
        this.usage = new MongoUsage(store);
    }

    @Override
    public String name() {
        return "mongodb";
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

    @Override
    public Optional<MessageSearch> search() {
        return Optional.of(search);
    }

    @Override
    public Optional<UsageTotalsSource> usage() {
        return Optional.of(usage);
    }

    /**
     * Pings the server and writes one probe document to {@code _health}, a collection no record lives in, so the
     * probe proves writability without changing anything a caller can see.
     */
    @Override
    public HealthReport health() {
        long started = System.nanoTime();
        if (store.isClosed()) {
            return new HealthReport(name(), false, false, OptionalLong.empty(), Duration.ZERO, Optional.of("closed"));
        }
        boolean reachable = false;
        try {
            store.database.runCommand(new Document("ping", 1));
            reachable = true;
            store.database.getCollection("_health").updateOne(Filters.eq("_id", "probe"),
                    Updates.set("at", new Date(store.clock.millis())), new UpdateOptions().upsert(true));
            OptionalLong size = OptionalLong.empty();
            try {
                Document stats = store.database.runCommand(new Document("dbStats", 1));
                Object dataSize = stats.get("dataSize");
                if (dataSize instanceof Number n && n.longValue() >= 0) {
                    size = OptionalLong.of(n.longValue());
                }
            } catch (RuntimeException statsUnavailable) {
                // size is optional in the report
            }
            return new HealthReport(name(), true, true, size, Duration.ofNanos(System.nanoTime() - started),
                    Optional.empty());
        } catch (RuntimeException e) {
            return new HealthReport(name(), reachable, false, OptionalLong.empty(),
                    Duration.ofNanos(System.nanoTime() - started),
                    Optional.of(MongoExceptionTranslator.translate("health probe", e, null).getMessage()));
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
