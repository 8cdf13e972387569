package dev.chatstore.tck;

/** TCK group: Usage. */
public abstract class UsageContract extends TckSupport {
}
