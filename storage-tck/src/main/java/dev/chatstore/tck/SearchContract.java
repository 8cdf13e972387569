package dev.chatstore.tck;

/** TCK group: Search. */
public abstract class SearchContract extends TckSupport {
}
