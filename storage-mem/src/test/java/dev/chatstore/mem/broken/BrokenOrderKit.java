package dev.chatstore.mem.broken;

import dev.chatstore.tck.KeysetScanContract;
import dev.chatstore.tck.TckFixture;

/** The keyset/order contract against an adapter that lists documents in UTF-16 order; run by BrokenAdaptersTest only. */
public class BrokenOrderKit extends KeysetScanContract {
    @Override
    protected TckFixture fixture() {
        return BrokenBackends.fixture(BrokenBackends::documentsInUtf16Order);
    }
}
