package dev.chatstore.migration;

/**
 * What happened to the records of one entity (user, session, message, persona, credential, file).
 *
 * @param imported written to the store (or valid, in a dry run), including records whose ID was mapped
 * @param skipped  rejected because the source record is unusable (reported with the reason)
 * @param failed   valid in the source but refused by the store, or unreadable source (reported)
 */
public record EntityCounts(long imported, long skipped, long failed) {

    public static final EntityCounts ZERO = new EntityCounts(0, 0, 0);

    public EntityCounts plus(EntityCounts o) {
        return new EntityCounts(imported + o.imported, skipped + o.skipped, failed + o.failed);
    }
}
