package dev.chatstore.migration.live;

/**
 * The phases of a live migration from a source store to a target store, in order. Applications write through a
 * {@link MigratingBackend}, which routes by the phase: to the source alone, through a {@link DualWriteBackend} with
 * the source or the target as primary, or to the target alone.
 */
public enum Phase {
    /** Before the migration: the source alone. */
    SOURCE_ONLY(Route.SOURCE),
    /** Every write goes to both, the source answers; the target may still lack older records. */
    DUAL_WRITE_SOURCE_PRIMARY(Route.DUAL_SOURCE_PRIMARY),
    /** The backfill has copied everything; still dual-write, source primary. */
    BACKFILLED(Route.DUAL_SOURCE_PRIMARY),
    /** A verify found no difference after the last write outside the dual-write; source primary. */
    VERIFIED(Route.DUAL_SOURCE_PRIMARY),
    /** Cut over: the target answers, every write still reaches the source too (so rollback loses nothing). */
    DUAL_WRITE_TARGET_PRIMARY(Route.DUAL_TARGET_PRIMARY),
    /** Finished: the target alone. Not reversible. */
    TARGET_ONLY(Route.TARGET);

    /** Where an application's calls go in a phase. */
    public enum Route {
        SOURCE, DUAL_SOURCE_PRIMARY, DUAL_TARGET_PRIMARY, TARGET
    }

    private final Route route;

    Phase(Route route) {
        this.route = route;
    }

    public Route route() {
        return route;
    }
}
