package dev.chatstore.migration.live;

import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens a {@link DualWriteBackend} from configuration alone: URL {@code dual-write:} with the options
 * {@code backend.primary} and {@code backend.secondary} (the two stores' URLs, each opened by the provider that
 * supports it), {@code backend.policy} ({@code journal}, {@code count} or {@code fail}) and {@code backend.journal}
 * (the repair journal's directory; required unless the policy is {@code count}). Both stores get the rest of the
 * configuration (durability, limits, keys).
 *
 * <pre>{@code
 * chatstore.url=dual-write:
 * chatstore.backend.primary=file:./data
 * chatstore.backend.secondary=jdbc:postgresql://db:5432/chat?user=app
 * chatstore.backend.journal=./migration
 * }</pre>
 *
 * For a migration that moves through phases without restarting the application, use {@code migration:} instead
 * ({@link MigratingBackendProvider}).
 */
public final class DualWriteBackendProvider implements StorageBackendProvider {

    static final BackendOption<String> PRIMARY = BackendOption.text("primary", "",
            "URL of the store that answers (required)");
    static final BackendOption<String> SECONDARY = BackendOption.text("secondary", "",
            "URL of the store every write is copied to (required)");
    static final BackendOption<String> POLICY = BackendOption.choice("policy", "journal",
            List.of("journal", "count", "fail"), "what a failed write on the secondary does");
    static final BackendOption<String> JOURNAL = BackendOption.text("journal", "",
            "directory of the repair journal (required unless policy=count)");

    @Override
    public String name() {
        return "dual-write";
    }

    @Override
    public boolean supports(String url) {
        return url.equals("dual-write:");
    }

    @Override
    public String urlPattern() {
        return "dual-write: (with backend.primary, backend.secondary, backend.policy, backend.journal)";
    }

    @Override
    public List<BackendOption<?>> options() {
        return List.of(PRIMARY, SECONDARY, POLICY, JOURNAL);
    }

    @Override
    public StorageBackend open(BackendContext context) {
        String primaryUrl = required(context, PRIMARY);
        String secondaryUrl = required(context, SECONDARY);
        FailurePolicy policy = FailurePolicy.valueOf(context.option(POLICY).toUpperCase(Locale.ROOT));
        String journalDir = context.option(JOURNAL);
        if (policy != FailurePolicy.COUNT && journalDir.isEmpty()) {
            throw new StorageConfigurationException("backend.journal is required with backend.policy="
                    + policy.name().toLowerCase(Locale.ROOT) + " (the directory of the durable repair journal)");
        }
        StorageBackend primary = openUrl(context, primaryUrl);
        try {
            StorageBackend secondary = openUrl(context, secondaryUrl);
            Optional<RepairJournal> journal = journalDir.isEmpty() ? Optional.empty()
                    : Optional.of(FileRepairJournal.open(Path.of(journalDir)));
            return new DualWriteBackend(primary, secondary, policy, journal);
        } catch (RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    static String required(BackendContext context, BackendOption<String> option) {
        String value = context.option(option);
        if (value.isEmpty()) {
            throw new StorageConfigurationException(option.fullKey() + " is required: " + option.description());
        }
        return value;
    }

    /** Opens the store at {@code url} with the rest of the context's configuration. */
    static StorageBackend openUrl(BackendContext context, String url) {
        ChatStoreConfig config = context.config().toBuilder().url(url).build();
        return StorageBackends.select(url, StorageBackends.discover())
                .open(new BackendContext(url, config, context.clock()));
    }
}
