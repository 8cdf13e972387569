package dev.chatstore.bench;

/**
 * Sizes of a run. {@link #full()} is the CONTRACT §8 run; {@link #quick()} is for smoke tests.
 *
 * @param bigSession       messages in the "large" session (CONTRACT §8: 1,000,000)
 * @param deepAppendAt     seq at which the "late" append is measured (CONTRACT §8: 100,000)
 * @param iterations       timed operations per measurement
 * @param writerSeconds    how long each throughput phase runs
 */
public record BenchSettings(int bigSession, int deepAppendAt, int iterations, double writerSeconds) {

    public static BenchSettings full() {
        return new BenchSettings(1_000_000, 100_000, 2000, 5);
    }

    public static BenchSettings quick() {
        return new BenchSettings(20_000, 5_000, 100, 0.5);
    }
}
