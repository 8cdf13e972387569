package dev.chatstore.archfixture.flatfile;

/** The fixture's flatfile adapter. */
public class FlatfileStore {
    public String name() {
        return "file";
    }
}
