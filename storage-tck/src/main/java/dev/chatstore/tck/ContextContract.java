package dev.chatstore.tck;

/** TCK group: Context. */
public abstract class ContextContract extends TckSupport {
}
