package dev.chatstore.archfixture.cli;

import dev.chatstore.archfixture.flatfile.FlatfileStore;

/** VIOLATION of cliDependsOnlyOnPorts: a CLI command reaching into an adapter instead of the maintenance port. */
public final class CheckUsesFlatfile {
    public Object check() {
        return new FlatfileStore();
    }
}
