/**
 * Deliberately broken code for {@code ArchitectureRulesCatchViolationsTest}: a miniature Chatstore tree whose root
 * is {@code dev.chatstore.archfixture}, holding one violation of each rule of {@code ChatstoreArchitecture} (and a
 * few allowed look-alikes). Test sources only, so {@code ImportOption.DoNotIncludeTests} keeps it out of the real
 * check.
 */
package dev.chatstore.archfixture;
