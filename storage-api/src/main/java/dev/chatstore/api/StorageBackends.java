package dev.chatstore.api;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StorageBackendProvider;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the {@link StorageBackendProvider} for a URL among those registered with {@link ServiceLoader}. */
public final class StorageBackends {

    private StorageBackends() {
    }

    /** Every provider on the class path (or module path) of the given class loader. */
    public static List<StorageBackendProvider> discover(ClassLoader loader) {
        List<StorageBackendProvider> found = new ArrayList<>();
        for (StorageBackendProvider p : ServiceLoader.load(StorageBackendProvider.class, loader)) {
            found.add(p);
        }
        return found;
    }

    /** Every provider visible to this class's loader. */
    public static List<StorageBackendProvider> discover() {
        return discover(StorageBackends.class.getClassLoader());
    }

    /**
     * The one provider among {@code providers} that supports the URL.
     *
     * @throws StorageConfigurationException if none or several do; the message lists the providers found
     */
    public static StorageBackendProvider select(String url, List<StorageBackendProvider> providers) {
        List<StorageBackendProvider> matching = providers.stream().filter(p -> p.supports(url)).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        String listed = providers.isEmpty() ? "none (add a storage module such as storage-flatfile to the class path)"
                : providers.stream().map(p -> p.name() + " (" + p.urlPattern() + ")").collect(Collectors.joining(", "));
        if (matching.isEmpty()) {
            throw new StorageConfigurationException("no storage backend supports URL '" + redact(url)
                    + "'; providers found: " + listed + moduleHint(url));
        }
        throw new StorageConfigurationException("several storage backends claim URL '" + redact(url) + "': "
                + matching.stream().map(StorageBackendProvider::name).collect(Collectors.joining(", "))
                + "; providers found: " + listed + ". Open the store with an explicit provider instead.");
    }

    /**
     * Check, repair and schema operations on the store the configuration names, without opening it for use (see
     * {@link StorageBackendProvider#maintenance}); the provider is found by URL. Empty when that kind of store has
     * none. The caller closes the result.
     */
    public static Optional<StoreMaintenance> maintenance(ChatStoreConfig config) {
        StorageBackendProvider provider = select(config.url(), discover());
        ChatStore.Builder.checkOptions(provider, config);
        return provider.maintenance(new BackendContext(config.url(), config, Clock.systemUTC()));
    }

    /** Which module provides a URL scheme, so that "no backend supports" says what to add. */
    private static String moduleHint(String url) {
        String module = url.startsWith("mem:") ? "storage-mem"
                : url.startsWith("file:") ? "storage-flatfile"
                : url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:") ? "storage-jdbc"
                : url.startsWith("mongodb:") || url.startsWith("mongodb+srv:") ? "storage-mongo"
                : url.startsWith("redis:") || url.startsWith("rediss:") || url.startsWith("redis-cluster:")
                ? "storage-redis" : null;
        return module == null ? "" : ". URLs of this kind are served by the module dev.chatstore:" + module
                + ": add it to the application's dependencies";
    }

    /** The URL with any password removed, for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("(//[^:/@]+:)[^@/]*@", "$1****@");
    }
}
