package dev.chatstore.migration.live;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.BackendOption;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Opens a {@link MigratingBackend} from configuration alone: URL {@code migration:<work directory>} with the options
 * {@code backend.source} and {@code backend.target} (the two stores' URLs) and optionally {@code backend.policy} and
 * {@code backend.phase-poll-ms}. The application then follows the operator's steps without a restart.
 *
 * <pre>{@code
 * chatstore.url=migration:./migration
 * chatstore.backend.source=file:./data
 * chatstore.backend.target=jdbc:postgresql://db:5432/chat?user=app
 * }</pre>
 */
public final class MigratingBackendProvider implements StorageBackendProvider {

    static final BackendOption<String> SOURCE = BackendOption.text("source", "",
            "URL of the store migrated from (required)");
    static final BackendOption<String> TARGET = BackendOption.text("target", "",
            "URL of the store migrated to (required)");
    static final BackendOption<Duration> POLL = BackendOption.millis("phase-poll-ms", 1000, 10, 60_000,
            "how often the phase file is re-read");

    @Override
    public String name() {
        return "migration";
    }

    @Override
    public boolean supports(String url) {
        return url.startsWith("migration:") && url.length() > "migration:".length();
    }

    @Override
    public String urlPattern() {
        return "migration:<work directory> (with backend.source, backend.target)";
    }

    @Override
    public List<BackendOption<?>> options() {
        return List.of(SOURCE, TARGET, DualWriteBackendProvider.POLICY, POLL);
    }

    @Override
    public StorageBackend open(BackendContext context) {
        String source = DualWriteBackendProvider.required(context, SOURCE);
        String target = DualWriteBackendProvider.required(context, TARGET);
        ChatStoreConfig base = context.config();
        MigrationPlan plan = MigrationPlan.of(base.toBuilder().url(source).build(), base.toBuilder().url(target).build(),
                        Path.of(context.url().substring("migration:".length())))
                .withPolicy(FailurePolicy.valueOf(context.option(DualWriteBackendProvider.POLICY)
                        .toUpperCase(Locale.ROOT)))
                .withTiming(context.option(POLL), Duration.ofSeconds(3));
        return MigratingBackend.open(plan);
    }
}
