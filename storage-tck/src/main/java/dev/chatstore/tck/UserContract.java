package dev.chatstore.tck;

/** TCK group: User. */
public abstract class UserContract extends TckSupport {
}
