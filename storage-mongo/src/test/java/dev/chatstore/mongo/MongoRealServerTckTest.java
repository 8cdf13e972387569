package dev.chatstore.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.bson.Document;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same kit against a real MongoDB server: {@code CHATSTORE_TEST_MONGO_URL} (a standalone server runs the
 * commit-pointer protocol, a replica set or mongos the transaction protocol), or else, where Docker is available, a
 * {@code mongo:7.0} single-node replica set. Each store gets its own database, dropped after the test.
 *
 * <p>Without a server every test of the class is reported as skipped, each with the reason, and the class's name says
 * so: no mongod can be installed on this project's machines, CI included (see storage-mongo/README.md, "Testing").
 * Surefire folds the kit's nested classes of this class and of {@link MongoTckTest} into one line each (same class
 * names), so the kit's skips would not show in the build's closing count; {@link #realServer()}, a test of this class
 * itself, is the one that does: one skipped test, named, with the reason.
 */
@DisplayName("TCK on a real MongoDB server — skipped unless CHATSTORE_TEST_MONGO_URL is set or Docker is available (neither on CI machines; see storage-mongo/README.md)")
class MongoRealServerTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        String url = RealMongoServers.server().orElse(null);
        Assumptions.assumeTrue(url != null, RealMongoServers::whyNone);
        return new MongoTestDatabases(url, "tck_real");
    }

    @Test
    @DisplayName("a real MongoDB server answers (skipped, with the reason, when there is none: the kit below is then not run)")
    void realServer() {
        String url = RealMongoServers.server().orElse(null);
        Assumptions.assumeTrue(url != null, RealMongoServers::whyNone);
        try (MongoClient client = MongoClients.create(url)) {
            Document ping = client.getDatabase("admin").runCommand(new Document("ping", 1));
            assertThat(ping.get("ok")).isIn(1, 1.0);
        }
    }
}
