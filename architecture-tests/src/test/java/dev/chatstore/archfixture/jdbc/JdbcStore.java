package dev.chatstore.archfixture.jdbc;

import dev.chatstore.archfixture.flatfile.FlatfileStore;

/** VIOLATION of adaptersDoNotDependOnEachOther: the JDBC adapter reuses the flatfile adapter's class. */
public class JdbcStore extends FlatfileStore {
    @Override
    public String name() {
        return "jdbc";
    }
}
