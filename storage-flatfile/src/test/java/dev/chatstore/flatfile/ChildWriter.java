package dev.chatstore.flatfile;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.SearchQuery;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM that writes to a store and reports on stdout every append that returned, as
 * {@code ACK <seq> <content>}. Used by the crash test (killed with kill -9 at random moments) and the
 * multi-process test (several of them at once).
 *
 * <p>Arguments: {@code <dir> <user> <session> <count|-1> <tag> <threads> <extraSessions> [searchEvery]}.
 */
public final class ChildWriter {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String user = args[1];
        String session = args[2];
        long count = Long.parseLong(args[3]);
        String tag = args[4];
        int threads = Integer.parseInt(args[5]);
        int extraSessions = Integer.parseInt(args[6]);
        int searchEvery = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        try (ChatStore store = ChatStore.builder()
                .config(ChatStoreConfig.isolated().url("file:" + dir).durability(Durability.SYNC).build())
                .provider(new FlatfileBackendProvider()).open()) {
            try {
                store.users().create(user);
            } catch (DuplicateKeyException ignored) {
                // the other writer (or an earlier run) created it
            }
            try {
                store.sessions().create(user, NewSession.titled("shared").withId(session));
            } catch (DuplicateKeyException ignored) {
                // same
            }
            out.println("READY");
            out.flush();
            for (int i = 0; i < extraSessions; i++) {
                store.sessions().create(user, NewSession.titled(tag + " extra " + i).withId(tag + "-extra-" + i));
            }
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    for (long i = 0; count < 0 || i < count; i++) {
                        String content = tag + "-" + thread + "-" + i;
                        Message m = store.messages().append(user, session, NewMessage.user(content));
                        if (searchEvery > 0 && i % searchEvery == 0) {
                            // brings the user's persisted search index up to date from this process too
                            store.messages().search(user, SearchQuery.of(tag).limit(1));
                        }
                        synchronized (out) {
                            out.println("ACK " + m.seq() + " " + content);
                            out.flush();
                        }
                    }
                });
                w.start();
                workers.add(w);
            }
            for (Thread w : workers) {
                w.join();
            }
        }
        out.println("DONE");
        out.flush();
    }
}
