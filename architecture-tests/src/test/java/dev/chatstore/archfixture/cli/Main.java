package dev.chatstore.archfixture.cli;

/** Allowed: the CLI is the one place that prints. */
public final class Main {
    public static void main(String[] args) {
        System.out.println("chatstore");
    }
}
