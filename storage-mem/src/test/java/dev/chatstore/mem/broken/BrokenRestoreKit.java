package dev.chatstore.mem.broken;

import dev.chatstore.tck.RestoreContract;
import dev.chatstore.tck.TckFixture;

/** The restore contract against an adapter that drops colliding messages; run by BrokenAdaptersTest only. */
public class BrokenRestoreKit extends RestoreContract {
    @Override
    protected TckFixture fixture() {
        return BrokenBackends.fixture(BrokenBackends::restoreSkipsCollisions);
    }
}
