package dev.chatstore.migration.live;

import java.nio.file.Path;

/**
 * A backfill in its own JVM, for the end-to-end tests to kill with SIGKILL: {@code workDir sourceUrl targetUrl
 * recordsPerSecond}. Runs the plan's backfill step as an operator would.
 */
public final class ForkedBackfill {

    private ForkedBackfill() {
    }

    public static void main(String[] args) {
        MigrationPlan plan = LiveMigrationScenario.plan(Path.of(args[0]), args[1], args[2]);
        double rate = Double.parseDouble(args[3]);
        try (Migration m = Migration.open(plan, "forked-backfill")) {
            m.backfill(o -> LiveMigrationScenario.backfillOptions(o).withThrottle(rate));
        }
    }
}
