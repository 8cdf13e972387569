package dev.chatstore.migration.live;

import java.util.Optional;

/**
 * Where a migration stands, for {@code chatstore migration status}.
 *
 * @param state          the persisted phase state
 * @param journalPending keys in the repair journal not yet repaired
 * @param backfill       the backfill checkpoint, if one exists
 * @param nextStep       what the operator can do next, in words
 */
public record MigrationStatus(PhaseState state, long journalPending, Optional<Checkpoint> backfill, String nextStep) {

    /** A few lines for people. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("phase: ").append(state.phase()).append(" (since ").append(state.since()).append(", epoch ")
                .append(state.epoch()).append(state.operator().isEmpty() ? "" : ", by " + state.operator()).append(")\n");
        out.append("repair journal: ").append(journalPending).append(" key(s) pending\n");
        backfill.ifPresent(c -> out.append("backfill: ").append(c.stage()).append(", ").append(c.users())
                .append(" users, ").append(c.sessions()).append(" sessions, ").append(c.messages())
                .append(" messages (updated ").append(c.updatedAt()).append(")\n"));
        state.lastVerify().ifPresent(v -> out.append("last verify: ").append(v.clean() ? "clean" : v.findings()
                + " difference(s)").append(", started ").append(v.startedAt()).append(", report ").append(v.report())
                .append('\n'));
        out.append("next: ").append(nextStep);
        return out.toString();
    }
}
