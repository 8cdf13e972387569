package dev.chatstore.flatfile.internal;

/**
 * Where a log's intact records end, as a view knows it: how many there are, the byte offset after the last one,
 * its seq and createdAt, and the largest createdAt of all (epoch millis; {@link Long#MIN_VALUE} when there is none).
 */
record LogEnd(long records, long offset, long lastSeq, long lastCreatedAt, long maxCreatedAt) {

    static final LogEnd EMPTY = new LogEnd(0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE);

    /** This end followed by the intact records a scan found after it. */
    LogEnd extendedBy(LogRecovery.Scan scan) {
        if (scan.records() == 0) {
            return this;
        }
        return new LogEnd(records + scan.records(), scan.validEnd(), scan.lastSeq(), scan.lastCreatedAt(),
                scan.maxCreatedAt());
    }
}
