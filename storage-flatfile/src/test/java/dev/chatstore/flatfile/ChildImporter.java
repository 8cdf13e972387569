package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate JVM that imports a portable export into a {@code file:} store (sync durability), for the import
 * variant of the crash test: prints {@code READY} once the store is open and {@code DONE} when the import has
 * returned. Arguments: {@code <dir> <export file>}.
 */
public final class ChildImporter {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path export = Path.of(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        try (ChatStore store = ChatStore.builder()
                .config(ChatStoreConfig.isolated().url("file:" + dir).durability(Durability.SYNC).build())
                .provider(new FlatfileBackendProvider()).open();
             InputStream in = Files.newInputStream(export)) {
            out.println("READY");
            store.importFrom(in);
        }
        out.println("DONE");
    }

    private ChildImporter() {
    }
}
