package dev.chatstore.mongo;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;

/**
 * The same kit against a real MongoDB server: {@code CHATSTORE_TEST_MONGO_URL} (a standalone server runs the
 * commit-pointer protocol, a replica set or mongos the transaction protocol), or else, where Docker is available, a
 * {@code mongo:7.0} single-node replica set. Each store gets its own database, dropped after the test.
 *
 * <p>Without a server every test of the class is reported as skipped, each with the reason, and the class's name says
 * so: no mongod can be installed on this project's machines, CI included (see storage-mongo/README.md, "Testing").
 * The skip is per test, not per class, because a class-level abort shows up in Surefire's counts as zero tests.
 */
@DisplayName("TCK on a real MongoDB server — skipped unless CHATSTORE_TEST_MONGO_URL is set or Docker is available (neither on CI machines; see storage-mongo/README.md)")
class MongoRealServerTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        String url = RealMongoServers.server().orElse(null);
        Assumptions.assumeTrue(url != null, RealMongoServers::whyNone);
        return new MongoTestDatabases(url, "tck_real");
    }
}
