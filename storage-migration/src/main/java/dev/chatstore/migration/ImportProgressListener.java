package dev.chatstore.migration;

/**
 * Receives progress of an import, for a progress bar. Called on the importing thread, at most every 200 ms and
 * once at the end ({@link ImportProgress#finished()}); an implementation must return quickly.
 */
@FunctionalInterface
public interface ImportProgressListener {

    /** A listener that ignores progress. */
    ImportProgressListener NONE = p -> { };

    void onProgress(ImportProgress progress);
}
