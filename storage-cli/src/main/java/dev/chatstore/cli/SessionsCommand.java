package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

import static dev.chatstore.cli.Records.Column.number;
import static dev.chatstore.cli.Records.Column.text;

/** {@code chatstore sessions USER}: the user's sessions, most recently updated first. Read-only. */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = {"List a user's sessions, most recently updated first (read-only)."})
final class SessionsCommand extends ReadCommand {

    @Parameters(index = "0", paramLabel = "USER", description = "The user's ID.")
    String userId;

    @Override
    int read(ChatStore store) {
        requireUser(store, userId);
        int page = page(store);
        try (Records out = records("(no sessions)", text("ID"), text("TITLE"), number("MESSAGES"), text("MODEL"),
                text("UPDATED"))) {
            for (int offset = 0; ; offset += page) {
                List<Session> batch = store.sessions().list(userId, offset, page);
                for (Session s : batch) {
                    out.add(Records.fields("id", s.id(), "userId", s.userId(), "title", s.title(),
                                    "model", s.model(), "provider", s.provider(), "archived", s.archived(),
                                    "metadata", s.metadata(), "messageCount", s.messageCount(),
                                    "lastMessageAt", s.lastMessageAt(), "createdAt", s.createdAt(),
                                    "updatedAt", s.updatedAt(), "version", s.version()),
                            s.id(), snippet(s.title()), s.messageCount(),
                            s.model().orElse("-") + s.provider().map(p -> " (" + p + ")").orElse(""),
                            time(s.updatedAt()));
                }
                if (batch.size() < page) {
                    break;
                }
            }
        }
        return ChatStoreCommand.EXIT_OK;
    }
}
