package dev.chatstore.redis;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;

/**
 * A separate JVM for {@link RedisMultiProcessTest}: appends {@code count} messages to one session and prints
 * {@code <seq> <messageId>} for each acknowledged append (its stdout is read by the test, not a log).
 *
 * <p>Arguments: url, key prefix, user ID, session ID, count, label.
 */
public final class AppendWorker {

    private AppendWorker() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String prefix = args[1];
        String userId = args[2];
        String sessionId = args[3];
        int count = Integer.parseInt(args[4]);
        String label = args[5];
        try (ChatStore store = RedisStores.open(url, prefix)) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i <= count; i++) {
                Message m = store.messages().append(userId, sessionId, NewMessage.user(label + " message " + i));
                out.append(m.seq()).append(' ').append(m.id()).append('\n');
            }
            System.out.print(out);
            System.out.flush();
        }
    }
}
