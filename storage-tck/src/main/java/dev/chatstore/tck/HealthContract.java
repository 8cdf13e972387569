package dev.chatstore.tck;

/** TCK group: Health. */
public abstract class HealthContract extends TckSupport {
}
