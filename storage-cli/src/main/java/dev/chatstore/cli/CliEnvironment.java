package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * What the command reads and writes besides its arguments and its text output: the environment variables and
 * system properties the configuration comes from, the raw standard streams that {@code export} and
 * {@code import} use by default, and how a store is opened. Tests replace each part.
 *
 * @param variables        environment variables ({@code CHATSTORE_*} are read)
 * @param systemProperties system properties ({@code chatstore.*} are read)
 * @param stdin            the byte stream {@code import} reads without {@code --input}
 * @param stdout           the byte stream {@code export} writes without {@code --output}
 * @param opener           opens the store a resolved configuration names
 */
record CliEnvironment(Map<String, String> variables, Properties systemProperties, InputStream stdin,
                      OutputStream stdout, Function<ChatStoreConfig, ChatStore> opener) {

    CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(systemProperties, "systemProperties");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(opener, "opener");
    }

    /** The real process: its environment, its standard streams, backends discovered by URL. */
    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.getProperties(), System.in, System.out, ChatStore::open);
    }
}
