package dev.chatstore.tck;

/** TCK group: Cascade. */
public abstract class CascadeContract extends TckSupport {
}
