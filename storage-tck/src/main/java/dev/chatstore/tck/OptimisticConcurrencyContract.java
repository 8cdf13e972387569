package dev.chatstore.tck;

/** TCK group: OptimisticConcurrency. */
public abstract class OptimisticConcurrencyContract extends TckSupport {
}
