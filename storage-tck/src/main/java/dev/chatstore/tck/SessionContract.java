package dev.chatstore.tck;

/** TCK group: Session. */
public abstract class SessionContract extends TckSupport {
}
