package dev.chatstore.tck;

/** TCK group: NothingLostSilently. */
public abstract class NothingLostSilentlyContract extends TckSupport {
}
