package dev.chatstore.bench;

import java.util.Arrays;

/** Latency statistics of repeated operations, in microseconds. */
public record Timer(int count, double meanMicros, double p50Micros, double p99Micros, long[] samples) {

    /** An operation to time; {@code i} is its index. */
    @FunctionalInterface
    public interface Op {
        void run(int i) throws Exception;
    }

    /** Runs {@code warmup} untimed operations, then times {@code iterations}. */
    public static Timer measure(int warmup, int iterations, Op op) throws Exception {
        return of(run(warmup, iterations, op));
    }

    /** The statistics of several measurements of the same operation taken together. */
    public static Timer combine(java.util.List<Timer> parts) {
        long[] all = parts.stream().flatMapToLong(t -> Arrays.stream(t.samples == null ? new long[0] : t.samples))
                .toArray();
        return of(all);
    }

    private static long[] run(int warmup, int iterations, Op op) throws Exception {
        for (int i = 0; i < warmup; i++) {
            op.run(i);
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            op.run(warmup + i);
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    private static Timer of(long[] nanos) {
        int iterations = nanos.length;
        if (iterations == 0) {
            return new Timer(0, 0, 0, 0, nanos);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1000.0;
        return new Timer(iterations, mean, sorted[iterations / 2] / 1000.0,
                sorted[Math.min(iterations - 1, (int) Math.ceil(iterations * 0.99) - 1)] / 1000.0, nanos);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "mean %.1f µs, p50 %.1f µs, p99 %.1f µs (n=%d)", meanMicros,
                p50Micros, p99Micros, count);
    }
}
