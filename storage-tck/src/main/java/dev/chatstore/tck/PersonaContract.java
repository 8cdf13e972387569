package dev.chatstore.tck;

/** TCK group: Persona. */
public abstract class PersonaContract extends TckSupport {
}
