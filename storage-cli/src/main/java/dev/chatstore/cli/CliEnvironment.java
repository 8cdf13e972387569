package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;

import java.io.Console;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * What the command reads and writes besides its arguments and its text output: the environment variables and
 * system properties the configuration comes from, the raw standard streams that {@code export} and
 * {@code import} use by default, whether a person is watching, and how a store is opened. Tests replace each part.
 *
 * @param variables        environment variables ({@code CHATSTORE_*} are read; {@code NO_COLOR} turns colour off)
 * @param systemProperties system properties ({@code chatstore.*} are read)
 * @param stdin            the byte stream {@code import} reads without {@code --input}
 * @param stdout           the byte stream {@code export} writes without {@code --output}
 * @param opener           opens the store a resolved configuration names
 * @param terminal         whether stdout is a terminal: tables by default, colour and progress bars; otherwise
 *                         JSONL by default and progress as plain lines on stderr
 * @param progressEvery    how often progress prints a plain line when not on a terminal
 */
record CliEnvironment(Map<String, String> variables, Properties systemProperties, InputStream stdin,
                      OutputStream stdout, Function<ChatStoreConfig, ChatStore> opener, boolean terminal,
                      Duration progressEvery) {

    /** How often a long task prints a progress line into a log. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(systemProperties, "systemProperties");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(progressEvery, "progressEvery");
    }

    /** The real process: its environment, its standard streams, backends discovered by URL. */
    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.getProperties(), System.in, System.out, ChatStore::open,
                stdoutIsTerminal(), PROGRESS_EVERY);
    }

    /** Colour only for a person at a terminal who has not asked for none (https://no-color.org). */
    boolean colour() {
        return terminal && !variables.containsKey("NO_COLOR");
    }

    /**
     * Whether stdin and stdout are a terminal. On Java 17 {@link System#console()} is null when either is
     * redirected; newer JDKs return a console anyway and say with {@code isTerminal()}, asked reflectively.
     */
    private static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }
}
