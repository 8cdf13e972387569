package dev.chatstore.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.tck.TckFixture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixture that gives each store its own database on one server ({@code <prefix>_<pid>_<n>}) and drops every one
 * of them in {@link #cleanUp()}.
 */
final class MongoTestDatabases implements TckFixture {

    private static final AtomicLong COUNTER = new AtomicLong();

    private final String serverUrl;
    private final String prefix;
    private final List<String> databases = new ArrayList<>();

    /** @param serverUrl {@code mongodb://host:port} without a database, options allowed after {@code /?} */
    MongoTestDatabases(String serverUrl, String prefix) {
        this.serverUrl = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        this.prefix = prefix;
    }

    static MongoTestDatabases inProcess() {
        return new MongoTestDatabases("mongodb://" + InProcessMongo.address(), "tck");
    }

    /** A new database's URL (remembered for clean-up). */
    String newDatabaseUrl() {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        databases.add(name);
        return urlOf(name);
    }

    String urlOf(String database) {
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String options = query < 0 ? "" : serverUrl.substring(query);
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        // A real-server URL may already name a database; the test database replaces it.
        ConnectionString given = new ConnectionString(serverUrl);
        if (given.getDatabase() != null) {
            base = base.substring(0, base.lastIndexOf('/'));
        }
        return base + "/" + database + options;
    }

    @Override
    public StorageBackendProvider provider() {
        return new MongoBackendProvider();
    }

    @Override
    public void configure(ChatStoreConfig.Builder config) {
        config.url(newDatabaseUrl());
    }

    @Override
    public void cleanUp() {
        if (databases.isEmpty()) {
            return;
        }
        try (MongoClient client = MongoClients.create(serverUrl)) {
            for (String name : databases) {
                client.getDatabase(name).drop();
            }
        }
        databases.clear();
    }
}
