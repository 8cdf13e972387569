package dev.chatstore.archfixture.api.model;

/** Allowed: enums in the model package are exempt from the record rule. */
public enum Kind { USER, ASSISTANT }
