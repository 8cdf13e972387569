package dev.chatstore.mem.broken;

import dev.chatstore.tck.KeysetScanContract;
import dev.chatstore.tck.TckFixture;

/** The keyset contract against an adapter whose pages repeat their key; run by BrokenAdaptersTest only. */
public class BrokenKeysetKit extends KeysetScanContract {
    @Override
    protected TckFixture fixture() {
        return BrokenBackends.fixture(BrokenBackends::keysetIncludesItsKey);
    }
}
