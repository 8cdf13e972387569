package dev.chatstore.tck;

/** TCK group: JsonRoundTrip. */
public abstract class JsonRoundTripContract extends TckSupport {
}
