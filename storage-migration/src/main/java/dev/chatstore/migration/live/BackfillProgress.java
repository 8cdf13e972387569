package dev.chatstore.migration.live;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a backfill is, for a progress bar.
 *
 * @param stage         what it is copying
 * @param users         users done (this run and, after a resume, the runs before)
 * @param sessions      sessions done
 * @param messages      messages copied or found already copied
 * @param records       every record copied or found already copied, messages included
 * @param totalMessages the source's messages when the backfill began, when counted first (sessions' counters)
 * @param perSecond     messages per second in this run
 * @param elapsed       time spent in this run
 * @param eta           time left at this rate, when the total is known
 */
public record BackfillProgress(Backfill.Stage stage, long users, long sessions, long messages, long records,
                               OptionalLong totalMessages, double perSecond, Duration elapsed, Optional<Duration> eta) {

    /** A one-line rendering, e.g. {@code users: users 12, sessions 80, messages 45000/100000 (45.0%), 51234 msg/s, ETA 0:01}. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(stage.name().toLowerCase(java.util.Locale.ROOT)).append(": users ").append(users)
                .append(", sessions ").append(sessions).append(", messages ").append(messages);
        totalMessages.ifPresent(t -> out.append('/').append(t).append(String.format(java.util.Locale.ROOT,
                " (%.1f%%)", t == 0 ? 100.0 : Math.min(100.0, 100.0 * messages / t))));
        out.append(", records ").append(records);
        out.append(String.format(java.util.Locale.ROOT, ", %.0f msg/s", perSecond));
        eta.ifPresent(e -> out.append(String.format(java.util.Locale.ROOT, ", ETA %d:%02d", e.toMinutes(),
                e.toSecondsPart())));
        return out.toString();
    }
}
