package dev.chatstore.tck;

/** TCK group: Unicode. */
public abstract class UnicodeContract extends TckSupport {
}
