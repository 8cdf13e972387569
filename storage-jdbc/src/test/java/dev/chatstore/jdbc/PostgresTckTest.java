package dev.chatstore.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.DisplayName;

import java.util.ArrayList;
import java.util.List;

/** The kit against PostgreSQL, one fresh schema per store. */
@DisplayName("TCK on PostgreSQL")
class PostgresTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        return new TckFixture() {
            private final List<String> urls = new ArrayList<>();

            @Override
            public ChatStore open(dev.chatstore.api.config.ChatStoreConfig.Builder config) {
                String url = PostgresTestDatabase.freshSchemaUrl();
                urls.add(url);
                return ChatStore.builder().config(config.url(url).build()).provider(new JdbcBackendProvider()).open();
            }

            @Override
            public void cleanUp() {
                urls.forEach(PostgresTestDatabase::drop);
                urls.clear();
            }
        };
    }
}
