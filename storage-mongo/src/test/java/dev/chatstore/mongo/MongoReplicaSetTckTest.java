package dev.chatstore.mongo;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;

/**
 * The kit against a real replica set ({@code CHATSTORE_TEST_MONGO_URL} if it points at one, or a single-node
 * {@code mongo:7.0} replica set where Docker is available), which runs appends and restores inside transactions:
 * the one path the in-process server cannot run (it has no transactions). Skipped per test, with the reason, when
 * there is no such server, as on this project's machines and in CI.
 */
@DisplayName("TCK on a real MongoDB replica set (transactions) — skipped unless CHATSTORE_TEST_MONGO_URL is set or Docker is available (neither on CI machines; see storage-mongo/README.md)")
class MongoReplicaSetTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        String url = RealMongoServers.replicaSet().orElse(null);
        Assumptions.assumeTrue(url != null, RealMongoServers::whyNone);
        return new MongoTestDatabases(url, "tck_rs");
    }
}
