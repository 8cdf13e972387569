package dev.chatstore.jdbc.internal;

import dev.chatstore.jdbc.internal.mapping.ContextSnapshotRow;
import dev.chatstore.jdbc.internal.mapping.CredentialRow;
import dev.chatstore.jdbc.internal.mapping.DocumentChunkRow;
import dev.chatstore.jdbc.internal.mapping.DocumentRow;
import dev.chatstore.jdbc.internal.mapping.InsightRow;
import dev.chatstore.jdbc.internal.mapping.MessageRow;
import dev.chatstore.jdbc.internal.mapping.PanelMessageRow;
import dev.chatstore.jdbc.internal.mapping.PanelRow;
import dev.chatstore.jdbc.internal.mapping.PersonaRow;
import dev.chatstore.jdbc.internal.mapping.SessionContextRow;
import dev.chatstore.jdbc.internal.mapping.SessionRow;
import dev.chatstore.jdbc.internal.mapping.UserRow;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;

/**
 * The Hibernate mapping of the schema. Flyway owns the DDL; Hibernate never generates any.
 *
 * <p>Validating the mapping against the database ({@code hbm2ddl.auto=validate}) reads the metadata of every mapped
 * table and column, which was most of the cost of opening a store. The schema of a given Flyway version is fixed,
 * so the mapping is validated once, by the tests, against each version it is known to fit
 * ({@code HibernateMappingTest}, on SQLite and PostgreSQL), and a store whose schema is at such a version opens
 * without it. A store at any other version (a schema that a newer release migrated, say) is validated on open.
 */
final class HibernateMapping {

    /**
     * The schema version the tests validate this mapping against. A migration that changes a mapped table must come
     * with a mapping that fits it and this constant raised (the test fails until both are done).
     */
    static final String VALIDATED_SCHEMA_VERSION = "2";

    static final List<Class<?>> ENTITIES = List.of(UserRow.class, SessionRow.class, MessageRow.class,
            DocumentRow.class, DocumentChunkRow.class, SessionContextRow.class, ContextSnapshotRow.class,
            PanelRow.class, PanelMessageRow.class, InsightRow.class, PersonaRow.class, CredentialRow.class);

    private HibernateMapping() {
    }

    static SessionFactory build(Dialect dialect, DataSource dataSource, Optional<String> schema, boolean validate) {
        StandardServiceRegistryBuilder settings = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, validate ? "validate" : "none")
                // table by table: the grouped extractor reads every table, and SQLite reports the FTS5 table's
                // column with no type name, which Hibernate's extractor cannot parse
                .applySetting(AvailableSettings.HBM2DDL_JDBC_METADATA_EXTRACTOR_STRATEGY, "individually")
                .applySetting(AvailableSettings.STATEMENT_BATCH_SIZE, 64)
                .applySetting(AvailableSettings.ORDER_INSERTS, true)
                .applySetting(AvailableSettings.SHOW_SQL, false)
                .applySetting(AvailableSettings.USE_SECOND_LEVEL_CACHE, false)
                .applySetting(AvailableSettings.GENERATE_STATISTICS, false);
        dialect.hibernateDialect().ifPresent(d -> settings.applySetting(AvailableSettings.DIALECT, d));
        schema.ifPresent(s -> settings.applySetting(AvailableSettings.DEFAULT_SCHEMA, s));
        StandardServiceRegistry registry = settings.build();
        try {
            MetadataSources sources = new MetadataSources(registry);
            ENTITIES.forEach(sources::addAnnotatedClass);
            return sources.buildMetadata().buildSessionFactory();
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            throw e;
        }
    }
}
