package dev.chatstore.tck;

/** TCK group: Limit. */
public abstract class LimitContract extends TckSupport {
}
