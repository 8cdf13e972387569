package dev.chatstore.mongo;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.DisplayName;

/**
 * The kit against {@code mongodb://} on the in-process wire-protocol server (mongo-java-server): the real driver
 * over a real socket, each store in its own database, dropped after the test.
 */
@DisplayName("TCK on mongodb:// (in-process mongo-java-server)")
class MongoTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        return MongoTestDatabases.inProcess();
    }
}
