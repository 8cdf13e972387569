package dev.chatstore.jdbc;

import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.DisplayName;

/** The kit against SQLite: one database file per store, each in a temporary directory deleted after its test. */
@DisplayName("TCK on SQLite")
class SqliteTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        return TckFixture.inTempDirectories("chatstore-sqlite-tck", new JdbcBackendProvider(),
                dir -> "jdbc:sqlite:" + dir.resolve("chat.db"));
    }
}
