package dev.chatstore.jdbc.internal;

import dev.chatstore.api.error.StorageConfigurationException;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The two databases the backend speaks, and what differs between them. */
public enum Dialect {
    SQLITE("jdbc:sqlite:", "sqlite", "dev.chatstore.jdbc.internal.ChatstoreSQLiteDialect"),
    /** Hibernate picks its PostgreSQL dialect from the server's version; naming it would only log HHH90000025. */
    POSTGRESQL("jdbc:postgresql:", "postgresql", null);

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)", Pattern.CASE_INSENSITIVE);

    private final String prefix;
    private final String migrationFolder;
    private final String hibernateDialect;

    Dialect(String prefix, String migrationFolder, String hibernateDialect) {
        this.prefix = prefix;
        this.migrationFolder = migrationFolder;
        this.hibernateDialect = hibernateDialect;
    }

    public static Optional<Dialect> of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        for (Dialect d : values()) {
            if (lower.startsWith(d.prefix)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public static Dialect require(String url) {
        return of(url).orElseThrow(() -> new StorageConfigurationException(
                "not a JDBC URL this backend supports: expected jdbc:sqlite:<file> or jdbc:postgresql://host/db"));
    }

    /** Flyway location of this dialect's migrations. */
    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /** The Hibernate dialect to name explicitly; empty where Hibernate detects the right one by itself. */
    public Optional<String> hibernateDialect() {
        return Optional.ofNullable(hibernateDialect);
    }

    /** PostgreSQL's {@code currentSchema} URL parameter, if the URL names one. */
    public static Optional<String> currentSchema(String url) {
        Matcher m = CURRENT_SCHEMA.matcher(url);
        return m.find() ? Optional.of(m.group(1).split(",")[0]) : Optional.empty();
    }

    /**
     * The column as compared and sorted by Unicode code point ({@link dev.chatstore.api.spi.Orderings#CODE_POINTS}):
     * PostgreSQL's "C" collation compares the UTF-8 bytes (the ID columns are declared with it, and saying so here
     * keeps every listed order right whatever a column's collation); SQLite's default BINARY collation already does.
     */
    String byCodePoint(String column) {
        return this == POSTGRESQL ? column + " COLLATE \"C\"" : column;
    }

    /**
     * The database file a {@code jdbc:sqlite:} URL names; empty for other URLs and for in-memory or {@code file:}
     * URI forms (which the driver resolves itself).
     */
    public static Optional<java.nio.file.Path> sqliteFile(String url) {
        if (of(url).orElse(null) != SQLITE) {
            return Optional.empty();
        }
        String rest = url.substring(SQLITE.prefix.length());
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(java.nio.file.Path.of(path));
    }

    /** The SQL expression for the larger of two values. */
    String greatest(String a, String b) {
        return this == SQLITE ? "max(" + a + ", " + b + ")" : "GREATEST(" + a + ", " + b + ")";
    }
}
