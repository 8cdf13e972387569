package dev.chatstore.jdbc.internal;

import dev.chatstore.jdbc.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The validation that opening a store skips: the mapping fits the schema at {@link
 * HibernateMapping#VALIDATED_SCHEMA_VERSION} on both databases, that version is the latest migration (so a new
 * migration cannot ship without this test validating the mapping against it), and validation does catch a schema
 * the mapping does not fit.
 */
class HibernateMappingTest {

    private final TestStores stores = new TestStores();

    @AfterEach
    void cleanUp() {
        stores.close();
    }

    static List<String> databases() {
        return TestStores.databases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theMappingFitsTheSchemaVersionItIsTrustedFor(String database) {
        String url = stores.newUrl(database);
        try (Database db = Database.open(url, JdbcOptions.defaults())) {
            var status = new JdbcSchema(db).upgrade(Optional.empty());
            assertThat(status.current()).isEqualTo(HibernateMapping.VALIDATED_SCHEMA_VERSION);
            assertThat(status.latest()).as("raise VALIDATED_SCHEMA_VERSION once the mapping fits the new migration")
                    .isEqualTo(HibernateMapping.VALIDATED_SCHEMA_VERSION);
            db.validateMapping();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void validationCatchesATableTheMappingNeeds(String database) {
        String url = stores.newUrl(database);
        try (Database db = Database.open(url, JdbcOptions.defaults())) {
            new JdbcSchema(db).upgrade(Optional.empty());
            db.write("dropping a table", c -> {
                try (var st = c.createStatement()) {
                    st.execute("DROP TABLE panel_insights");
                }
                return null;
            });
            assertThatThrownBy(() -> db.validateMapping()).hasMessageContaining("panel_insights");
        }
    }
}
