package dev.chatstore.tck;

/** TCK group: Paging. */
public abstract class PagingContract extends TckSupport {
}
