package dev.chatstore.tck;

/** TCK group: Error. */
public abstract class ErrorContract extends TckSupport {
}
