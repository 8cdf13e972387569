package dev.chatstore.flatfile;

import dev.chatstore.api.config.Durability;
import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.ConcurrencyContract;
import dev.chatstore.tck.MessageContract;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** The whole kit against file: stores with the default durability (sync), plus the write-path groups in batch and none. */
class FlatfileTckTest extends ChatStoreTck {

    private final TckFixture stores = TempStores.withDurability(Durability.SYNC);

    @Override
    protected TckFixture fixture() {
        return stores;
    }

    @Nested
    @DisplayName("Message (durability batch)")
    class BatchMessages extends MessageContract {
        private final TckFixture batch = TempStores.withDurability(Durability.BATCH);

        @Override
        protected TckFixture fixture() {
            return batch;
        }
    }

    @Nested
    @DisplayName("Concurrency (durability batch)")
    class BatchConcurrency extends ConcurrencyContract {
        private final TckFixture batch = TempStores.withDurability(Durability.BATCH);

        @Override
        protected TckFixture fixture() {
            return batch;
        }
    }

    @Nested
    @DisplayName("Message (durability none)")
    class NoneMessages extends MessageContract {
        private final TckFixture none = TempStores.withDurability(Durability.NONE);

        @Override
        protected TckFixture fixture() {
            return none;
        }
    }

    @Nested
    @DisplayName("Concurrency (durability none)")
    class NoneConcurrency extends ConcurrencyContract {
        private final TckFixture none = TempStores.withDurability(Durability.NONE);

        @Override
        protected TckFixture fixture() {
            return none;
        }
    }
}
