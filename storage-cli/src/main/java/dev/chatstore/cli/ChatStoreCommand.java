package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Profile;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.StorageConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code chatstore} command: global options that choose and configure the store, and the subcommands: the
 * read-only views of the data ({@code users}, {@code sessions}, {@code messages}, {@code search}, {@code usage},
 * {@code documents}, {@code stats}), {@code demo}, {@code export}, {@code import}, {@code check}, {@code bench} (the
 * CONTRACT's performance scenarios of the suites in this jar), {@code schema} and {@code help}.
 *
 * <p>The store URL is resolved with the library's precedence, the command line on top: {@code --url} &gt; system
 * property {@code chatstore.url} &gt; environment {@code CHATSTORE_URL} &gt; the {@code --config} file &gt; the
 * {@code --profile} &gt; {@link #DEFAULT_URL}, which stands in for the library's own default.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_ERROR} a storage or file error,
 * {@value #EXIT_USAGE} a malformed command line, {@value #EXIT_CONFIGURATION} a configuration error (unknown
 * URL, bad setting, missing file), {@value #EXIT_UNAVAILABLE} the store cannot be reached (worth retrying).
 * Errors print {@code error: <message>} on stderr, with the stack trace only under {@code --verbose}.
 */
@Command(name = "chatstore",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Look into, fill, check, back up, restore and migrate a Chatstore store; manage its schema;"
                + " run the benchmarks.",
        subcommands = {UsersCommand.class, SessionsCommand.class, MessagesCommand.class, SearchCommand.class,
                UsageCommand.class, DocumentsCommand.class, StatsCommand.class, DemoCommand.class,
                ExportCommand.class, ImportCommand.class, ImportLegacyCommand.class, CheckCommand.class, BenchCommand.class,
                SchemaCommand.class, MigrationCommand.class, CommandLine.HelpCommand.class},
        sortOptions = false,
        footer = {"", "Exit codes: 0 ok, 1 storage or file error, 2 bad command line, 3 configuration error,"
                + " 4 store unavailable."})
public final class ChatStoreCommand implements Callable<Integer> {

    /**
     * The store used when nothing else names one: the library's own default, {@code file:./data} (taken from the
     * API's {@link Setting#URL}, not from the file adapter: the command knows no adapter).
     */
    static final String DEFAULT_URL = Setting.URL.defaultValue();

    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CONFIGURATION = 3;
    static final int EXIT_UNAVAILABLE = 4;

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&;]currentSchema=([^&;]*)");

    @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT, order = 1,
            description = "The store: file:./data, mem:, jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB, "
                    + "mongodb://HOST/DB, redis://HOST:PORT/DB, redis-cluster://HOST:PORT,... (default: chatstore.url, CHATSTORE_URL, the config file, else file:./data)")
    String url;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 2,
            description = "A properties file of settings (the keys of Setting, e.g. url, durability).")
    Path configFile;

    @Option(names = "--profile", paramLabel = "NAME", scope = ScopeType.INHERIT, order = 3,
            description = "Settings profile: default, development or production.")
    String profile;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, order = 4,
            description = "Print stack traces with errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final CliEnvironment environment;

    /** The command as the real process runs it. */
    public ChatStoreCommand() {
        this(CliEnvironment.system());
    }

    ChatStoreCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ChatStoreCommand());
        int exitCode = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exitCode);
    }

    /** Without a subcommand there is nothing to do: say so, with the usage. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    CliEnvironment environment() {
        return environment;
    }

    /** The configuration the options, system properties, environment and files describe, and the URL's origin. */
    ResolvedConfig resolveConfig() {
        ChatStoreConfig.Builder builder = ChatStoreConfig.builder()
                .environment(environment.variables())
                .systemProperties(environment.systemProperties());
        if (configFile != null) {
            builder.propertiesFile(configFile);
        }
        if (profile != null) {
            builder.profile(Profile.byName(profile).orElseThrow(() -> new StorageConfigurationException(
                    "--profile '" + profile + "': must be one of default, development, production")));
        }
        if (url != null) {
            builder.url(url);
        }
        ChatStoreConfig config = builder.build();
        if (url != null) {
            return new ResolvedConfig(config, "--url");
        }
        ChatStoreConfig.Source source = config.source(Setting.URL);
        if (source == ChatStoreConfig.Source.DEFAULT) {
            // Only the library's built-in default is replaced; every source a user set keeps its rank.
            return new ResolvedConfig(config.toBuilder().url(DEFAULT_URL).build(), "the chatstore command's default");
        }
        return new ResolvedConfig(config, switch (source) {
            case SYSTEM_PROPERTY -> "system property " + Setting.URL.propertyName();
            case ENVIRONMENT -> "environment " + Setting.URL.environmentName();
            case FILE -> "config file";
            case PROFILE -> "profile " + config.profile().id();
            default -> source.name().toLowerCase(Locale.ROOT);
        });
    }

    /** Opens the store the configuration names. */
    ChatStore open(ChatStoreConfig config) {
        return environment.opener().apply(config);
    }

    /**
     * The URL with anything that may hold a secret removed ({@code user:password@}, query parameters), for
     * display only. PostgreSQL's {@code currentSchema} stays: it says where the data lives, and two stores in one
     * database differ only by it.
     */
    static String displayUrl(String url) {
        Matcher schema = CURRENT_SCHEMA.matcher(url);
        String withoutParameters = url.replaceAll("[?;].*$", "").replaceAll("//[^/@]*@", "//");
        return schema.find() ? withoutParameters + "?currentSchema=" + schema.group(1) : withoutParameters;
    }

    /**
     * A resolved configuration.
     *
     * @param config    the configuration to open the store with
     * @param urlOrigin where its URL came from, for display
     */
    record ResolvedConfig(ChatStoreConfig config, String urlOrigin) {
    }
}
