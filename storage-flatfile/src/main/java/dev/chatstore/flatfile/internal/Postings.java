package dev.chatstore.flatfile.internal;

/** What a search query needs from a persisted segment or from the in-memory tail of the index. */
interface Postings {
    int docs();

    int slot(int doc);

    long seq(int doc);

    long createdAt(int doc);

    /** The ascending documents containing {@code word}, or null. */
    int[] postings(String word);
}
