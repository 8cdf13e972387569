package dev.chatstore.cli;

import dev.chatstore.api.StorageBackends;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.spi.StoreMaintenance;
import dev.chatstore.api.spi.StoreMaintenance.SchemaStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * {@code chatstore schema info|validate|upgrade [--target N]}: the schema of a store that has one (JDBC stores;
 * the file format's version for {@code file:}), like Flyway's commands. For teams that run schema changes as their
 * own deployment step and open stores with {@code backend.auto-migrate=false}.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Show, validate or upgrade the schema of a store (JDBC stores; the format version of file:).",
        subcommands = {SchemaCommand.Info.class, SchemaCommand.Validate.class, SchemaCommand.Upgrade.class})
final class SchemaCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a schema command: info, validate or upgrade");
    }

    /** What every schema subcommand shares: the store's maintenance and how to print a status. */
    abstract static class SchemaSubcommand extends StoreCommand {
        @Mixin
        FormatOption formatOption;

        private String displayedUrl;

        int withSchema(java.util.function.ToIntFunction<StoreMaintenance> action) {
            ChatStoreConfig config = root().resolveConfig().config();
            String url = config.url();
            // only upgrade may create a store (as Flyway's migrate does); info and validate on a typo say so
            ChatStoreConfig opening = mayCreate() ? config
                    : config.toBuilder().set(Setting.CREATE_IF_MISSING, false).build();
            try (StoreMaintenance m = StorageBackends.maintenance(opening)
                    .filter(x -> x.schema().isPresent())
                    .orElseThrow(() -> new StorageConfigurationException("the store at '"
                            + ChatStoreCommand.displayUrl(url) + "' has no schema to manage"))) {
                displayedUrl = ChatStoreCommand.displayUrl(url);
                return action.applyAsInt(m);
            }
        }

        /** Whether this subcommand may create the store it is pointed at. */
        boolean mayCreate() {
            return false;
        }

        /** The status as lines for a person, or as one JSON object ({@code --format json|jsonl}) for a script. */
        void print(SchemaStatus s) {
            PrintWriter out = out();
            if (formatOption.resolve(root().environment().terminal()) != OutputFormat.TABLE) {
                Records.printObject(out, Records.fields("store", displayedUrl, "current", s.current(),
                        "latest", s.latest(), "pending", s.pending(), "upToDate", s.upToDate()));
                return;
            }
            out.println("store   " + displayedUrl);
            out.println("current " + (s.current().isEmpty() ? "(none)" : s.current()));
            out.println("latest  " + s.latest());
            if (s.pending().isEmpty()) {
                out.println("pending none: the schema is up to date");
            } else {
                s.pending().forEach(p -> out.println("pending " + p));
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show the current and pending versions.")
    static final class Info extends SchemaSubcommand {
        @Override
        int run() {
            return withSchema(m -> {
                print(m.schema().orElseThrow());
                return ChatStoreCommand.EXIT_OK;
            });
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Exit 0 when the schema is up to date, 1 when versions are pending.")
    static final class Validate extends SchemaSubcommand {
        @Override
        int run() {
            return withSchema(m -> {
                SchemaStatus s = m.schema().orElseThrow();
                print(s);
                return s.upToDate() ? ChatStoreCommand.EXIT_OK : ChatStoreCommand.EXIT_ERROR;
            });
        }
    }

    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = "Apply pending versions (up to --target). A target below the current version is an error.")
    static final class Upgrade extends SchemaSubcommand {
        @Option(names = "--target", paramLabel = "VERSION", description = "Upgrade up to this version (default: latest).")
        String target;

        @Override
        boolean mayCreate() {
            return true;
        }

        @Override
        int run() {
            return withSchema(m -> {
                print(m.upgrade(Optional.ofNullable(target)));
                return ChatStoreCommand.EXIT_OK;
            });
        }
    }
}
