package dev.chatstore.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Progress of one long task (an import, an export, a check, a benchmark run), shown on stderr so that stdout keeps
 * only the command's data. On a terminal it is a progress bar (me.tongfei:progressbar) with the count, the rate and,
 * when the total is known, the ETA; elsewhere (a log file, CI) a plain line every few seconds and one at the end.
 * The migration commands use it too.
 *
 * <p>Units are counted as the task goes ({@link #advanceTo}); a detail (e.g. "1,234 records" while bytes are
 * counted, or the scenario running) is shown beside them. Not thread-safe: one task reports from one thread.
 */
interface Progress extends AutoCloseable {

    /** What is counted: its name and how many of the raw units make one shown unit (bytes shown as MiB). */
    record Unit(String name, long size) {

        static final Unit RECORDS = new Unit("records", 1);
        static final Unit MEBIBYTES = new Unit("MiB", 1L << 20);
        static final Unit SCENARIOS = new Unit("scenarios", 1);

        String format(long raw) {
            return size == 1 ? String.format(Locale.ROOT, "%,d", raw)
                    : String.format(Locale.ROOT, "%,.1f", raw / (double) size);
        }
    }

    /** The raw units done so far (never less than before). */
    void advanceTo(long done);

    /** A short text shown beside the count, replacing the previous one. */
    void detail(String text);

    /**
     * Ends the display: the bar's last state, or (plain lines) a last line if the task was long enough to print
     * any, so that a short task adds nothing to a log. Idempotent.
     */
    @Override
    void close();

    /**
     * Progress for {@code task} on {@code err}: a bar on a terminal, plain lines every {@code every} otherwise.
     *
     * @param total the raw units the task will reach, if known (then there is a percentage and an ETA)
     */
    static Progress start(boolean terminal, Duration every, PrintWriter err, String task, Unit unit,
                          OptionalLong total) {
        return terminal ? new Bar(err, task, unit, total) : new Lines(err, task, unit, total, every, System::nanoTime);
    }

    /** A bar redrawn in place ({@code \r}) by the progressbar library's own thread, then ended with a newline. */
    final class Bar implements Progress {
        private static final int WIDTH = 100;
        private final PrintWriter err;
        private final ProgressBar bar;
        private boolean closed;

        Bar(PrintWriter err, String task, Unit unit, OptionalLong total) {
            this.err = err;
            this.bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total.orElse(-1))
                    .setUnit(" " + unit.name(), unit.size())
                    .showSpeed()
                    .setStyle(ProgressBarStyle.UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new DelegatingProgressBarConsumer(line -> {
                        synchronized (err) {
                            err.print("\r" + line);
                            err.flush();
                        }
                    }, WIDTH))
                    .build();
        }

        @Override
        public void advanceTo(long done) {
            bar.stepTo(done);
        }

        @Override
        public void detail(String text) {
            // The library appends the message right after the rate: keep them apart.
            bar.setExtraMessage(" (" + text + ")");
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            bar.close();
            synchronized (err) {
                err.println();
                err.flush();
            }
        }
    }

    /** Plain lines for a log: one when {@code every} has passed since the last, checked as the task advances. */
    final class Lines implements Progress {
        private final PrintWriter err;
        private final String task;
        private final Unit unit;
        private final OptionalLong total;
        private final long everyNanos;
        private final LongSupplier clock;
        private final long started;
        private long lastLine;
        private long done;
        private String detail = "";
        private boolean printed;
        private boolean closed;

        Lines(PrintWriter err, String task, Unit unit, OptionalLong total, Duration every, LongSupplier clock) {
            this.err = err;
            this.task = task;
            this.unit = unit;
            this.total = total;
            this.everyNanos = every.toNanos();
            this.clock = clock;
            this.started = clock.getAsLong();
            this.lastLine = started;
        }

        @Override
        public void advanceTo(long newDone) {
            done = Math.max(done, newDone);
            long now = clock.getAsLong();
            if (now - lastLine >= everyNanos) {
                lastLine = now;
                printed = true;
                err.println(line(now, false));
                err.flush();
            }
        }

        @Override
        public void detail(String text) {
            detail = text;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (printed) {
                err.println(line(clock.getAsLong(), true));
                err.flush();
            }
        }

        /** E.g. {@code import: 45%, 12.3 of 27.0 MiB, 2.1 MiB/s, about 6 s left (1,234 records)}. */
        String line(long now, boolean finished) {
            double seconds = Math.max(now - started, 1) / 1e9;
            StringBuilder text = new StringBuilder(task).append(": ");
            if (total.isPresent() && total.getAsLong() > 0 && !finished) {
                long percent = Math.min(100, done * 100 / total.getAsLong());
                text.append(percent).append("%, ").append(unit.format(done)).append(" of ")
                        .append(unit.format(total.getAsLong())).append(' ').append(unit.name());
            } else {
                text.append(unit.format(done)).append(' ').append(unit.name());
            }
            double rate = done / (double) unit.size() / seconds;
            text.append(", ").append(String.format(Locale.ROOT, unit.size() == 1 ? "%,.0f" : "%,.1f", rate))
                    .append(' ').append(unit.name()).append("/s");
            if (finished) {
                text.append(", ").append(duration(seconds)).append(" in all");
            } else if (total.isPresent() && done > 0 && done < total.getAsLong()) {
                double left = (total.getAsLong() - done) * seconds / done;
                text.append(", about ").append(duration(left)).append(" left");
            }
            if (!detail.isEmpty()) {
                text.append(" (").append(detail).append(')');
            }
            return text.toString();
        }

        private static String duration(double seconds) {
            if (seconds < 60) {
                return String.format(Locale.ROOT, "%.1f s", seconds);
            }
            long s = Math.round(seconds);
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
    }
}
