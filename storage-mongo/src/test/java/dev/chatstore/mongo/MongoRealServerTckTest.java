package dev.chatstore.mongo;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The same kit against a real MongoDB server: set {@code CHATSTORE_TEST_MONGO_URL} (e.g.
 * {@code mongodb://localhost:27017} for a standalone server, {@code mongodb://localhost:27017/?replicaSet=rs0} for a
 * single-node replica set, which runs the transaction protocol). Each store gets its own database, dropped after the
 * test. Without the variable the class does not run, and says so in its name and its skip reason: no mongod can be
 * installed on this project's machines (see storage-mongo/README.md, "Testing").
 */
@DisplayName("TCK on a real MongoDB server — runs only when CHATSTORE_TEST_MONGO_URL is set (no mongod on CI; see storage-mongo/README.md)")
class MongoRealServerTckTest extends ChatStoreTck {

    static final String URL_VARIABLE = "CHATSTORE_TEST_MONGO_URL";

    @BeforeAll
    static void requireServer() {
        String url = System.getenv(URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set"
                + ("true".equals(System.getenv("CI")) ? " in CI: this machine has no real MongoDB server, so the kit "
                + "ran against the in-process server only (MongoTckTest)" : "")
                + "; set it to a real server's URL to run the kit there");
    }

    @Override
    protected TckFixture fixture() {
        return new MongoTestDatabases(System.getenv(URL_VARIABLE), "tck_real");
    }
}
