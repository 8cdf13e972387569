package dev.chatstore.jdbc.internal;

import org.hibernate.community.dialect.SQLiteDialect;

import java.sql.Types;

/**
 * Hibernate's SQLite dialect, told what SQLite's type affinity means for schema validation: every integer
 * column is a 64-bit integer whatever its declared type (a surrogate key must be declared
 * {@code INTEGER PRIMARY KEY} to be the rowid, yet it is mapped to a {@code long}), and every text column is
 * the same TEXT.
 */
public class ChatstoreSQLiteDialect extends SQLiteDialect {

    @Override
    public boolean equivalentTypes(int typeCode1, int typeCode2) {
        return super.equivalentTypes(typeCode1, typeCode2)
                || integral(typeCode1) && integral(typeCode2)
                || text(typeCode1) && text(typeCode2);
    }

    private static boolean integral(int t) {
        return t == Types.TINYINT || t == Types.SMALLINT || t == Types.INTEGER || t == Types.BIGINT
                || t == Types.BOOLEAN || t == Types.BIT;
    }

    private static boolean text(int t) {
        return t == Types.VARCHAR || t == Types.LONGVARCHAR || t == Types.CHAR || t == Types.NVARCHAR
                || t == Types.LONGNVARCHAR || t == Types.CLOB;
    }
}
