package dev.chatstore.jdbc;

import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.tck.ChatStoreTck;
import dev.chatstore.tck.TckFixture;
import org.junit.jupiter.api.DisplayName;

import java.util.ArrayList;
import java.util.List;

/**
 * The kit against PostgreSQL: one fresh schema per store, named {@value PostgresTestDatabase#TCK_PREFIX}..., all
 * dropped after their test.
 */
@DisplayName("TCK on PostgreSQL")
class PostgresTckTest extends ChatStoreTck {

    @Override
    protected TckFixture fixture() {
        return new TckFixture() {
            private final List<String> urls = new ArrayList<>();

            @Override
            public StorageBackendProvider provider() {
                return new JdbcBackendProvider();
            }

            @Override
            public void configure(ChatStoreConfig.Builder config) {
                String url = PostgresTestDatabase.freshSchemaUrl(PostgresTestDatabase.TCK_PREFIX);
                urls.add(url);
                config.url(url);
            }

            @Override
            public void cleanUp() {
                urls.forEach(PostgresTestDatabase::drop);
                urls.clear();
            }
        };
    }
}
