package dev.chatstore.tck;

/** TCK group: Document. */
public abstract class DocumentContract extends TckSupport {
}
