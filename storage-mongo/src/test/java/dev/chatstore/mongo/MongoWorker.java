package dev.chatstore.mongo;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;

import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM that writes to a store, for the multi-process and kill -9 tests (started with the test classpath).
 *
 * <pre>
 * append URL USER SESSION WORKER COUNT SESSIONS   appends COUNT messages (singles and batches of 3) and creates
 *                                                SESSIONS sessions of USER, then exits 0
 * batches URL USER SESSION BATCH                 appends batches of BATCH messages of ~900 KB until killed
 *                                                (a batch spans several insert commands)
 * </pre>
 */
public final class MongoWorker {

    private MongoWorker() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        String url = args[1];
        String user = args[2];
        String session = args[3];
        ChatStoreConfig config = ChatStoreConfig.isolated().url(url).backendOption("append-lease-ms", 2000).build();
        try (ChatStore store = ChatStore.builder().config(config).provider(new MongoBackendProvider()).open()) {
            if (mode.equals("append")) {
                String worker = args[4];
                int count = Integer.parseInt(args[5]);
                int sessions = Integer.parseInt(args[6]);
                int created = 0;
                int appended = 0;
                while (appended < count || created < sessions) {
                    if (appended < count) {
                        if (appended % 4 == 0 && count - appended >= 3) {
                            store.messages().appendAll(user, session, List.of(
                                    NewMessage.user(worker + " " + appended),
                                    NewMessage.assistant(worker + " " + (appended + 1)),
                                    NewMessage.user(worker + " " + (appended + 2))));
                            appended += 3;
                        } else {
                            store.messages().append(user, session, NewMessage.user(worker + " " + appended));
                            appended++;
                        }
                    }
                    if (created < sessions) {
                        store.sessions().create(user, NewSession.titled(worker + " session " + created)
                                .withId(worker + "-session-" + created));
                        created++;
                    }
                }
            } else if (mode.equals("batches")) {
                int batch = Integer.parseInt(args[4]);
                String filler = "filler ".repeat(128_000);
                for (int round = 0; ; round++) {
                    List<NewMessage> messages = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        messages.add(NewMessage.user("round " + round + " tag" + round + "z message " + i + " " + filler));
                    }
                    store.messages().appendAll(user, session, messages);
                }
            } else {
                throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
    }
}
