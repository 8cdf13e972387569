package dev.chatstore.archfixture.flatfile;

/** VIOLATION of libraryDoesNotPrint: an adapter that prints instead of logging. */
public final class ChattyLog {
    public void recovered(long offset) {
        System.out.println("truncated torn tail at " + offset);
    }
}
