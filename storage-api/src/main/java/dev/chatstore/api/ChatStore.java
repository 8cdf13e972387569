package dev.chatstore.api;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.internal.PortableFormat;
import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.model.TransferReport;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The storage API of an AI chat application: users, sessions, messages (with token usage and cost), documents,
 * situational context, panels, personas and encrypted credentials, in a store chosen by URL.
 *
 * <pre>{@code
 * try (ChatStore store = ChatStore.open("mem:")) {
 *     store.users().create("alice");
 *     Session s = store.sessions().create("alice", "Python help");
 *     store.messages().append("alice", s.id(), NewMessage.user("How do I read a file?"));
 *     List<Message> window = store.messages().last("alice", s.id(), 20);
 * }
 * }</pre>
 *
 * <p>Every method validates its arguments before the backend is touched ({@link
 * dev.chatstore.api.error.ValidationException}), enforces the configured limits ({@link
 * dev.chatstore.api.error.LimitExceededException}), truncates timestamps to milliseconds and throws only
 * unchecked {@link dev.chatstore.api.error.StorageException}s. A {@code ChatStore} is thread-safe; open one per
 * store and share it.
 */
public final class ChatStore implements AutoCloseable {

    private final StoreCore core;
    private final Users users;
    private final Sessions sessions;
    private final Messages messages;
    private final Documents documents;
    private final Contexts contexts;
    private final Panels panels;
    private final Personas personas;
    private final Credentials credentials;
    private final UsageReports usage;
    private final Transfer transfer;

    private ChatStore(StoreCore core) {
        this.core = core;
        this.users = new Users(core);
        this.sessions = new Sessions(core);
        this.messages = new Messages(core);
        this.documents = new Documents(core);
        this.contexts = new Contexts(core);
        this.panels = new Panels(core);
        this.personas = new Personas(core);
        this.credentials = new Credentials(core);
        this.usage = new UsageReports(core);
        this.transfer = new Transfer(core);
    }

    /** Opens the store the environment configures (see {@link ChatStoreConfig}); {@code file:./data} by default. */
    public static ChatStore open() {
        return builder().config(ChatStoreConfig.fromEnvironment()).open();
    }

    /** Opens the store at {@code url}, other settings from the environment, the backend found by URL. */
    public static ChatStore open(String url) {
        return builder().config(ChatStoreConfig.builder().url(url).build()).open();
    }

    /** Opens the store the configuration names, the backend found by URL. */
    public static ChatStore open(ChatStoreConfig config) {
        return builder().config(config).open();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Users users() {
        return users;
    }

    public Sessions sessions() {
        return sessions;
    }

    public Messages messages() {
        return messages;
    }

    public Documents documents() {
        return documents;
    }

    public Contexts contexts() {
        return contexts;
    }

    public Panels panels() {
        return panels;
    }

    public Personas personas() {
        return personas;
    }

    public Credentials credentials() {
        return credentials;
    }

    public UsageReports usage() {
        return usage;
    }

    /** Reachability, writability, size and latency as the backend measures them. */
    public HealthReport health() {
        return core.backend.health();
    }

    /** The name of the backend's provider, e.g. {@code file}, {@code jdbc}, {@code mem}. */
    public String backendName() {
        return core.backend.name();
    }

    public ChatStoreConfig config() {
        return core.config;
    }

    /**
     * Exact copies in and out of this store (keyset scans and validated restores), for tools that move data between
     * stores: import, backfill, verify, repair.
     */
    public Transfer transfer() {
        return transfer;
    }

    /** The check, repair and schema operations of this kind of store, if it has any. */
    public Optional<StoreMaintenance> maintenance() {
        return core.backend.maintenance();
    }

    /**
     * Writes every record of the store to {@code out} in the portable NDJSON format (one JSON object per line,
     * first a header; documents as base64 chunks; credentials still encrypted). The stream is not closed.
     */
    public TransferReport exportTo(OutputStream out) {
        return PortableFormat.export(core.backend, out, core.clock);
    }

    /**
     * Reads an export and writes every record into this store exactly as exported (seqs, versions, timestamps
     * included), replacing records with the same keys. Into an empty store this gives a store equal to the
     * exported one. A malformed line is a {@link dev.chatstore.api.error.ValidationException} naming its line
     * number; records before it stay imported.
     */
    public TransferReport importFrom(InputStream in) {
        return PortableFormat.importInto(core.backend, transfer.asRestorer(), in, core.config);
    }

    /** Closes the backend (files, connections, threads). */
    @Override
    public void close() {
        core.backend.close();
    }

    /** Opens a {@link ChatStore} with a discovered provider, an explicit provider, or an already open backend. */
    public static final class Builder {
        private ChatStoreConfig config;
        private StorageBackendProvider provider;
        private StorageBackend backend;
        private Clock clock = Clock.systemUTC();
        private ClassLoader classLoader;

        private Builder() {
        }

        /** The configuration; without one, {@link ChatStoreConfig#fromEnvironment()} is used. */
        public Builder config(ChatStoreConfig newConfig) {
            this.config = Objects.requireNonNull(newConfig, "config");
            return this;
        }

        /** Uses this provider and no {@link java.util.ServiceLoader} scan. It must support the URL. */
        public Builder provider(StorageBackendProvider newProvider) {
            this.provider = Objects.requireNonNull(newProvider, "provider");
            return this;
        }

        /** Uses an already open backend (e.g. a dual-write wrapper); the store closes it when closed. */
        public Builder backend(StorageBackend newBackend) {
            this.backend = Objects.requireNonNull(newBackend, "backend");
            return this;
        }

        /** The clock for generated timestamps (tests). */
        public Builder clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /** The class loader to discover providers with. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        public ChatStore open() {
            ChatStoreConfig cfg = config != null ? config : ChatStoreConfig.fromEnvironment();
            StorageBackend opened = backend;
            if (opened == null) {
                StorageBackendProvider chosen = provider;
                if (chosen == null) {
                    chosen = StorageBackends.select(cfg.url(), classLoader != null
                            ? StorageBackends.discover(classLoader) : StorageBackends.discover());
                } else if (!chosen.supports(cfg.url())) {
                    throw new StorageConfigurationException("provider " + chosen.name() + " does not support URL '"
                            + StorageBackends.redact(cfg.url()) + "'; it accepts " + chosen.urlPattern());
                }
                checkOptions(chosen, cfg);
                opened = chosen.open(new BackendContext(cfg.url(), cfg, clock));
            }
            return new ChatStore(new StoreCore(cfg, opened, clock));
        }

        /** Unknown keys and malformed values of declared options fail here, before the provider opens anything. */
        static void checkOptions(StorageBackendProvider p, ChatStoreConfig cfg) {
            Map<String, BackendOption<?>> declared = new TreeMap<>();
            p.options().forEach(o -> declared.put(o.fullKey(), o));
            Set<String> unknown = new TreeSet<>(cfg.backendOptions().keySet());
            unknown.removeAll(declared.keySet());
            if (!unknown.isEmpty()) {
                throw new StorageConfigurationException("unknown backend option(s) " + unknown + " for backend "
                        + p.name() + "; it accepts " + (declared.isEmpty() ? "none" : declared.values().stream()
                        .map(o -> o.fullKey() + "=" + o.accepted()).toList()));
            }
            for (BackendOption<?> o : declared.values()) {
                o.parse(Optional.ofNullable(cfg.backendOptions().get(o.fullKey())));
            }
        }
    }
}
