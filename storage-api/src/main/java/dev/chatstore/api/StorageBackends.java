package dev.chatstore.api;

import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.StorageBackendProvider;

import java.util.ArrayList;
import java.util.List;
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
                    + "'; providers found: " + listed);
        }
        throw new StorageConfigurationException("several storage backends claim URL '" + redact(url) + "': "
                + matching.stream().map(StorageBackendProvider::name).collect(Collectors.joining(", "))
                + "; providers found: " + listed + ". Open the store with an explicit provider instead.");
    }

    /**
     * The URL with any password masked, for messages and logs: a {@code password=} parameter (also
     * {@code sslpassword=}) and the password of {@code //user:password@host}. Everything else, such as the host, the
     * database and {@code currentSchema}, stays, so a message names the store exactly. Adapters use this one rule.
     */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****").replaceAll("(//[^:/@]+:)[^@/]*@", "$1****@");
    }
}
