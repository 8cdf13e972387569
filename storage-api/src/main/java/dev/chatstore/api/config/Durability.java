package dev.chatstore.api.config;

/** When a write reaches stable storage, for backends that manage their own files. */
public enum Durability {
    /** fsync before the call returns; concurrent writers share fsyncs (group commit). The default. */
    SYNC,
    /** fsync on an interval ({@code durability.batch-interval-millis}); a crash may lose the last interval. */
    BATCH,
    /** Leave it to the operating system; a machine crash may lose recent writes. */
    NONE
}
