package dev.chatstore.tck;

/** TCK group: Message. */
public abstract class MessageContract extends TckSupport {
}
