package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.SearchQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

import static dev.chatstore.cli.Records.Column.number;
import static dev.chatstore.cli.Records.Column.text;

/** {@code chatstore search USER QUERY...}: the user's messages holding every word of the query, newest first. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search a user's messages: those holding every word of QUERY (whole words, any case),",
                "newest first (read-only)."})
final class SearchCommand extends ReadCommand {

    @Parameters(index = "0", paramLabel = "USER", description = "The user's ID.")
    String userId;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "QUERY", description = "The words to look for.")
    List<String> words;

    @Option(names = "--session", paramLabel = "SESSION", description = "Only this session of the user.")
    String sessionId;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most N results (default: the store's paging.search-default-limit).")
    Integer limit;

    @Override
    int read(ChatStore store) {
        requireUser(store, userId);
        SearchQuery query = SearchQuery.of(String.join(" ", words));
        if (sessionId != null) {
            query = query.inSession(sessionId);
        }
        if (limit != null) {
            query = query.limit(limit);
        }
        try (Records out = records("(no matches)", text("SESSION"), number("SEQ"), text("ROLE"), text("CREATED"),
                text("CONTENT"))) {
            for (Message m : store.messages().search(userId, query)) {
                out.add(messageFields(m), m.sessionId(), m.seq(), m.role(), time(m.createdAt()), snippet(m.content()));
            }
        }
        return ChatStoreCommand.EXIT_OK;
    }
}
