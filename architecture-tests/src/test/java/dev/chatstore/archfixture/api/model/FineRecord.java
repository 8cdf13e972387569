package dev.chatstore.archfixture.api.model;

/** Allowed: a domain model that is a record. */
public record FineRecord(String id, Kind kind) {
}
