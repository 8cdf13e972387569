package dev.chatstore.tck;

/** TCK group: Panel. */
public abstract class PanelContract extends TckSupport {
}
