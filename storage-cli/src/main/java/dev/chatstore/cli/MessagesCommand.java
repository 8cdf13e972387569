package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Message;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

import static dev.chatstore.cli.Records.Column.number;
import static dev.chatstore.cli.Records.Column.text;

/**
 * {@code chatstore messages USER SESSION [--last N | --after SEQ]}: a session's messages in seq order, all of
 * them, the last N, or those after a seq (to follow a conversation). Read-only.
 */
@Command(name = "messages", mixinStandardHelpOptions = true,
        description = {"Show a session's messages in order: all, the last N, or those after a seq (read-only).",
                "Tables shorten long messages; json and jsonl carry every field in full."})
final class MessagesCommand extends ReadCommand {

    @Parameters(index = "0", paramLabel = "USER", description = "The user's ID.")
    String userId;

    @Parameters(index = "1", paramLabel = "SESSION", description = "The session's ID.")
    String sessionId;

    @ArgGroup(exclusive = true)
    Which which;

    /** At most one of the two ways to choose messages. */
    static final class Which {
        @Option(names = "--last", paramLabel = "N", description = "Only the last N messages.")
        Integer last;

        @Option(names = "--after", paramLabel = "SEQ", description = "Only messages with a seq above SEQ.")
        Long after;
    }

    @Override
    int read(ChatStore store) {
        requireSession(store, userId, sessionId);
        try (Records out = records("(no messages)", number("SEQ"), text("ROLE"), text("CREATED"),
                text("CONTENT"))) {
            if (which != null && which.last != null) {
                store.messages().last(userId, sessionId, which.last).forEach(m -> add(out, m));
            } else {
                long afterSeq = which == null || which.after == null ? 0 : which.after;
                int page = page(store);
                while (true) {
                    List<Message> batch = store.messages().after(userId, sessionId, afterSeq, page);
                    batch.forEach(m -> add(out, m));
                    if (batch.size() < page) {
                        break;
                    }
                    afterSeq = batch.get(batch.size() - 1).seq();
                }
            }
        }
        return ChatStoreCommand.EXIT_OK;
    }

    private static void add(Records out, Message m) {
        out.add(messageFields(m), m.seq(), m.role(), time(m.createdAt()), snippet(m.content()));
    }
}
