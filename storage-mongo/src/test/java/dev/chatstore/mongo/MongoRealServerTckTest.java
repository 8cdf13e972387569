package dev.chatstore.mongo;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;

/**
 * The same kit against a real MongoDB server: set {@code CHATSTORE_TEST_MONGO_URL} (e.g.
 * {@code mongodb://localhost:27017} for a standalone server, which runs the commit-pointer protocol, or
 * {@code mongodb://localhost:27017/?replicaSet=rs0} for a single-node replica set, which runs transactions). Each store
 * gets its own database, dropped after the test.
 *
 * <p>Without the variable every test of the class is reported as skipped, each with the reason, and the class's
 * name says so: no mongod can be installed on this project's machines, CI included (see storage-mongo/README.md,
 * "Testing"). The skip is per test, not per class, because a class-level abort shows up in Surefire's counts as
 * zero tests, which would hide it.
 */
@DisplayName("TCK on a real MongoDB server — skipped unless CHATSTORE_TEST_MONGO_URL is set (no mongod on CI machines; see storage-mongo/README.md)")
class MongoRealServerTckTest extends ChatStoreTck {

    static final String URL_VARIABLE = "CHATSTORE_TEST_MONGO_URL";

    @Override
    protected TckFixture fixture() {
        String url = System.getenv(URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(), () -> URL_VARIABLE + " is not set"
                + ("true".equals(System.getenv("CI")) ? " (CI has no real MongoDB server: the kit ran against the "
                + "in-process server only, in MongoTckTest)" : "")
                + "; set it to a real server's URL, e.g. mongodb://localhost:27017, to run the kit there");
        return new MongoTestDatabases(url, "tck_real");
    }
}
