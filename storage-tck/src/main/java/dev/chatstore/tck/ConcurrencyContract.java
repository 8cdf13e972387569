package dev.chatstore.tck;

/** TCK group: Concurrency. */
public abstract class ConcurrencyContract extends TckSupport {
}
