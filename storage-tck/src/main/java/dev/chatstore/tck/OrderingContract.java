package dev.chatstore.tck;

/** TCK group: Ordering. */
public abstract class OrderingContract extends TckSupport {
}
