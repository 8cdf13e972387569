package dev.chatstore.archfixture.api.model;

/** VIOLATION of domainModelsAreRecords: a public domain model written as a plain class. */
public final class NotARecord {
    private final String id;

    public NotARecord(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
