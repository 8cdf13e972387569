package dev.chatstore.tck;

/** TCK group: Credential. */
public abstract class CredentialContract extends TckSupport {
}
