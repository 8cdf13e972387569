package dev.chatstore.cli;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.migration.live.BackfillResult;
import dev.chatstore.migration.live.Migration;
import dev.chatstore.migration.live.MigrationPlan;
import dev.chatstore.migration.live.VerifyOptions;
import dev.chatstore.migration.live.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code chatstore migration status|start|backfill|verify|repair|cutover|rollback|finish --to URL}: the operator's
 * steps of a live migration from the store {@code --url} names (the source) to {@code --to} (the target), with the
 * phase, lease, repair journal, checkpoint and reports in {@code --work}. The application must open its store over
 * the same plan ({@code migration:<work>} URL, or {@code MigratingBackend}); see the README.
 */
@Command(name = "migration", mixinStandardHelpOptions = true,
        description = "Move a running application's store to another backend: dual-write, backfill, verify, cutover.",
        subcommands = {MigrationCommand.Status.class, MigrationCommand.Start.class, MigrationCommand.Backfill.class,
                MigrationCommand.Verify.class, MigrationCommand.Repair.class, MigrationCommand.Cutover.class,
                MigrationCommand.Rollback.class, MigrationCommand.Finish.class},
        footer = {"", "verify exits with " + MigrationCommand.EXIT_DIFFERENCES + " when it finds differences."})
final class MigrationCommand implements Runnable {

    /** Exit code of a verify that found differences (a CI job fails on it). */
    static final int EXIT_DIFFERENCES = 5;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a migration step: status, start, "
                + "backfill, verify, repair, cutover, rollback or finish");
    }

    /** Options every step takes. */
    static final class PlanOptions {
        @Option(names = "--to", paramLabel = "URL", required = true,
                description = "The target store (the source is --url).")
        String target;

        @Option(names = "--work", paramLabel = "DIR", defaultValue = "./migration",
                description = "The migration's directory: phase, lease, repair journal, checkpoint, reports "
                        + "(default: ${DEFAULT-VALUE}). Applications must use the same one.")
        Path work;

        @Option(names = "--operator", paramLabel = "NAME", description = "Who runs the step (default: $USER).")
        String operator;

        @Option(names = "--settle-ms", paramLabel = "MS", defaultValue = "3000",
                description = "How long after start a backfill waits, so every application writes both stores: "
                        + "at least their phase poll (1 s) plus the longest write (default: ${DEFAULT-VALUE}).")
        long settleMillis;
    }

    /** What every step shares: the plan from the global options and {@link PlanOptions}. */
    abstract static class Step extends StoreCommand {
        @Mixin
        PlanOptions plan;

        @Override
        final int run() {
            ChatStoreConfig source = root().resolveConfig().config();
            ChatStoreConfig target = source.toBuilder().url(plan.target).build();
            String operator = plan.operator != null ? plan.operator
                    : System.getProperty("user.name", "operator");
            MigrationPlan migration = MigrationPlan.of(source, target, plan.work)
                    .withTiming(Duration.ofSeconds(1), Duration.ofMillis(plan.settleMillis));
            try (Migration m = Migration.open(migration, operator)) {
                return step(m);
            }
        }

        abstract int step(Migration m);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the phase and what to do next.")
    static final class Status extends Step {
        @Override
        int step(Migration m) {
            out().println(m.status().render());
            return ChatStoreCommand.EXIT_OK;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Applications start writing both stores (the source answers).")
    static final class Start extends Step {
        @Override
        int step(Migration m) {
            out().println("phase " + m.start().phase());
            return ChatStoreCommand.EXIT_OK;
        }
    }

    @Command(name = "backfill", mixinStandardHelpOptions = true,
            description = "Copy everything to the target; resumes after a crash.")
    static final class Backfill extends Step {
        @Option(names = "--throttle", paramLabel = "N", defaultValue = "0",
                description = "At most N records per second (0: unlimited).")
        double throttle;

        @Option(names = "--dry-run", description = "Count what would be copied; write nothing.")
        boolean dryRun;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000",
                description = "Messages per read and write (part of the checkpoint's configuration).")
        int pageSize;

        @Override
        int step(Migration m) {
            BackfillResult r = m.backfill(o -> o.withThrottle(throttle).withDryRun(dryRun)
                    .withPageSize(pageSize, 10_000)
                    .withProgress(p -> err().println(p.render()), Duration.ofSeconds(2)));
            out().println((r.dryRun() ? "dry run: would copy " : "copied ") + r.stats() + (r.resumed()
                    ? " (resumed)" : "") + String.format(java.util.Locale.ROOT, "; %.0f messages/s",
                    r.messagesPerSecond()));
            out().println("phase " + m.status().state().phase());
            return ChatStoreCommand.EXIT_OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Compare the stores; write a JSONL report; exit " + EXIT_DIFFERENCES + " on differences.")
    static final class Verify extends Step {
        @Option(names = "--grace-ms", paramLabel = "MS", defaultValue = "2000",
                description = "Re-check a differing record after this long (writes in flight), up to 3 times.")
        long graceMillis;

        @Option(names = "--values", description = "Write the records' values into the report, not their SHA-256.")
        boolean values;

        @Option(names = "--report", paramLabel = "FILE", description = "The report (default: in --work).")
        Path report;

        @Override
        int step(Migration m) {
            VerifyOptions options = VerifyOptions.defaults().withGrace(Duration.ofMillis(graceMillis), 3)
                    .withValues(values);
            if (report != null) {
                options = options.withReport(report);
            }
            VerifyReport r = m.verify(options);
            out().println(r.summary());
            return r.clean() ? ChatStoreCommand.EXIT_OK : EXIT_DIFFERENCES;
        }
    }

    @Command(name = "repair", mixinStandardHelpOptions = true,
            description = "Copy again what the repair journal (and with --report, the last verify) lists.")
    static final class Repair extends Step {
        @Option(names = "--report", description = "Also every record of the last verify's report.")
        boolean report;

        @Override
        int step(Migration m) {
            dev.chatstore.migration.live.Repair.Result r = m.repair(report);
            out().println("repaired " + r.keys().size() + " key(s)" + (r.complete() ? ""
                    : "; " + r.failed().size() + " failed and stay pending:"));
            r.failed().forEach(f -> out().println("  " + f));
            return r.complete() ? ChatStoreCommand.EXIT_OK : ChatStoreCommand.EXIT_ERROR;
        }
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true,
            description = "The target answers; the source still receives every write.")
    static final class Cutover extends Step {
        @Override
        int step(Migration m) {
            out().println("phase " + m.cutover().phase());
            return ChatStoreCommand.EXIT_OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Go back one phase (until finish).")
    static final class Rollback extends Step {
        @Override
        int step(Migration m) {
            out().println("phase " + m.rollback().phase());
            return ChatStoreCommand.EXIT_OK;
        }
    }

    @Command(name = "finish", mixinStandardHelpOptions = true,
            description = "The target alone; the source is no longer written. Not reversible.")
    static final class Finish extends Step {
        @Override
        int step(Migration m) {
            out().println("phase " + m.finish().phase());
            return ChatStoreCommand.EXIT_OK;
        }
    }
}
