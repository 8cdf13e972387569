package dev.chatstore.tck;

/** TCK group: Isolation. */
public abstract class IsolationContract extends TckSupport {
}
