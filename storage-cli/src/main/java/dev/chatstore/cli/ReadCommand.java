package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Message;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A command that looks at the data and changes nothing: the store is opened read-only
 * ({@code store.read-only=true}: nothing written, created, repaired or locked) and only if it exists
 * ({@code store.create-if-missing=false}: a mistyped URL is "no Chatstore store at ...", not a new empty store).
 * Its output is a table, JSON or JSONL ({@code --format}).
 */
abstract class ReadCommand extends StoreCommand {

    /** Records fetched per call while walking a list. */
    static final int PAGE = 500;

    private static final int SNIPPET_LENGTH = 60;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    @Mixin
    FormatOption formatOption;

    @Override
    final int run() {
        try (ChatStore store = openForReading(root())) {
            return read(store);
        }
    }

    /** Prints what the command shows; returns the exit code. */
    abstract int read(ChatStore store);

    /** The store the options name, opened for reading only and never created. */
    static ChatStore openForReading(ChatStoreCommand root) {
        ChatStoreConfig config = root.resolveConfig().config().toBuilder()
                .set(Setting.READ_ONLY, true)
                .set(Setting.CREATE_IF_MISSING, false)
                .build();
        return root.open(config);
    }

    OutputFormat format() {
        return formatOption.resolve(root().environment().terminal());
    }

    Records records(String none, Records.Column... columns) {
        return new Records(format(), out(), root().environment().colour(), none, columns);
    }

    static int page(ChatStore store) {
        return Math.min(PAGE, store.config().maxPageLimit());
    }

    /** The user, or a NotFoundException: listing the sessions of a mistyped user is an error, not "none". */
    static void requireUser(ChatStore store, String userId) {
        if (store.users().get(userId).isEmpty()) {
            throw new NotFoundException("user", userId);
        }
    }

    /**
     * The session, or a NotFoundException, checked before any output starts (so that {@code --format json} never
     * prints an empty array before the error).
     */
    static void requireSession(ChatStore store, String userId, String sessionId) {
        if (store.sessions().get(userId, sessionId).isEmpty()) {
            throw new NotFoundException("session", userId + "/" + sessionId);
        }
    }

    /** A time for a table: UTC to the second. JSON keeps the full ISO-8601 instant. */
    static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Text on one line, shortened for a table cell. */
    static String snippet(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= SNIPPET_LENGTH ? flat : flat.substring(0, SNIPPET_LENGTH - 3) + "...";
    }

    /** Every field of a message, for JSON. */
    static dev.chatstore.api.json.JsonObject messageFields(Message m) {
        return Records.fields("id", m.id(), "sessionId", m.sessionId(), "seq", m.seq(), "role", m.role(),
                "content", m.content(), "createdAt", m.createdAt(), "attachments", m.attachments(),
                "metadata", m.metadata(),
                "usage", m.usage().map(u -> Records.fields("inputTokens", u.inputTokens(),
                        "outputTokens", u.outputTokens(), "cost", u.cost(), "currency", u.currency())),
                "model", m.model(), "provider", m.provider());
    }
}
