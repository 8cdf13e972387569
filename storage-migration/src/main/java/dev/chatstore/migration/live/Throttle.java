package dev.chatstore.migration.live;

/**
 * Limits a copy to a number of records per second (0: unlimited), so a backfill leaves the stores capacity for the
 * application. Callers report what they did; the throttle sleeps as long as they are ahead of the rate.
 */
public final class Throttle {

    private final double perSecond;
    private final long started = System.nanoTime();
    private long permitted;

    public Throttle(double recordsPerSecond) {
        if (recordsPerSecond < 0 || Double.isNaN(recordsPerSecond)) {
            throw new dev.chatstore.api.error.ValidationException("throttle", "records per second must be 0 "
                    + "(unlimited) or positive, got " + recordsPerSecond);
        }
        this.perSecond = recordsPerSecond;
    }

    public static Throttle unlimited() {
        return new Throttle(0);
    }

    /** Records that {@code records} were processed, sleeping until the rate allows them. */
    public synchronized void acquire(long records) {
        if (perSecond == 0 || records <= 0) {
            return;
        }
        permitted += records;
        long dueNanos = (long) (permitted / perSecond * 1e9);
        long sleepNanos = dueNanos - (System.nanoTime() - started);
        if (sleepNanos > 0) {
            try {
                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.chatstore.api.error.StorageUnavailableException("interrupted while throttled", e);
            }
        }
    }
}
