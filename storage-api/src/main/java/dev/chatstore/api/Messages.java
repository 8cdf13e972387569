package dev.chatstore.api;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.SearchRequest;
import dev.chatstore.api.spi.TextSearch;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The messages of chat sessions: appended, never rewritten. The store assigns each message its seq (1, 2, 3, ...
 * per session, no gap, no duplicate, even under concurrent appends). Every call names the user and throws
 * {@link dev.chatstore.api.error.NotFoundException} if that user has no such session. Obtained from
 * {@link ChatStore#messages()}.
 */
public final class Messages {

    static final Set<String> SESSION_ROLES = Set.of(Message.ROLE_USER, Message.ROLE_ASSISTANT, Message.ROLE_SYSTEM,
            Message.ROLE_TOOL);
    private static final Pattern CURRENCY = Pattern.compile("[A-Z][A-Z0-9]{1,15}");
    private static final int MAX_COST_SCALE = 18;
    private static final BigDecimal MAX_COST = new BigDecimal("1e18");
    private static final int MAX_ATTACHMENTS = 1000;

    private final StoreCore core;

    Messages(StoreCore core) {
        this.core = core;
    }

    /**
     * Appends one message and returns it as stored, with its seq. Its cost does not depend on how many messages
     * the session already holds.
     *
     * @throws ValidationException    if the role, text, attachments, usage or metadata are malformed
     * @throws LimitExceededException past {@code limits.max-message-bytes} or {@code limits.max-messages-per-session}
     * @throws DuplicateKeyException  if the message names an ID the session already has
     */
    public Message append(String userId, String sessionId, NewMessage message) {
        return appendAll(userId, sessionId, List.of(message)).get(0);
    }

    /** Appends the messages atomically, in order, with consecutive seqs: all are stored or none. */
    public List<Message> appendAll(String userId, String sessionId, List<NewMessage> messages) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        List<Message> drafts = drafts(core, sessionId, messages, SESSION_ROLES::contains,
                "user, assistant, system or tool");
        return core.backend.logs().append(LogRef.session(userId, sessionId), drafts, core.config.maxMessagesPerSession());
    }

    public Optional<Message> get(String userId, String sessionId, long seq) {
        core.requireSession(userId, sessionId);
        if (seq < 1) {
            throw new ValidationException("seq", "must be at least 1, got " + seq);
        }
        return core.backend.logs().findBySeq(LogRef.session(userId, sessionId), seq);
    }

    public Optional<Message> getById(String userId, String sessionId, String messageId) {
        core.requireSession(userId, sessionId);
        Validator.id("messageId", messageId);
        return core.backend.logs().findById(LogRef.session(userId, sessionId), messageId);
    }

    /** The first {@code paging.message-default-limit} messages, ascending. */
    public List<Message> page(String userId, String sessionId) {
        return page(userId, sessionId, 0, core.config.messageDefaultLimit());
    }

    /** Messages ascending, skipping the first {@code offset}; an offset past the end gives an empty list. */
    public List<Message> page(String userId, String sessionId, int offset, int limit) {
        return after(userId, sessionId, Validator.offset("offset", offset), limit);
    }

    /** Messages with seq greater than {@code afterSeq}, ascending (for following a conversation). */
    public List<Message> after(String userId, String sessionId, long afterSeq, int limit) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        if (afterSeq < 0) {
            throw new ValidationException("afterSeq", "must not be negative, got " + afterSeq);
        }
        return core.backend.logs().after(LogRef.session(userId, sessionId), afterSeq, core.limit(limit));
    }

    /** The last {@code n} messages in ascending order (the usual context window for a model call). */
    public List<Message> last(String userId, String sessionId, int n) {
        Validator.id("userId", userId);
        Validator.id("sessionId", sessionId);
        return core.backend.logs().last(LogRef.session(userId, sessionId), core.limit(n));
    }

    public long count(String userId, String sessionId) {
        return core.requireSession(userId, sessionId).messageCount();
    }

    /** Searches the user's messages; see {@link SearchQuery} for the matching rules. */
    public List<Message> search(String userId, String query) {
        return search(userId, SearchQuery.of(query));
    }

    /**
     * The user's messages that contain every query word, newest first (createdAt descending, then session ID,
     * then seq descending), at most the query's limit. Never another user's messages, never panel messages.
     */
    public List<Message> search(String userId, SearchQuery query) {
        Validator.id("userId", userId);
        Validator.text("query", query.text());
        if (query.sessionId().isPresent()) {
            core.requireSession(userId, query.sessionId().get());
        }
        int limit = core.limit(query.limit().orElse(core.config.searchDefaultLimit()));
        int minLength = core.config.searchMinWordLength();
        List<String> words = TextSearch.words(query.text(), minLength);
        if (words.isEmpty()) {
            return List.of();
        }
        SearchRequest request = new SearchRequest(words, minLength, query.sessionId(), limit);
        return core.backend.search().map(s -> s.search(userId, request))
                .orElseGet(() -> dev.chatstore.api.spi.LogScan.search(core.backend, userId, request));
    }

    /** Validates new messages and turns them into drafts (seq 0) with IDs and timestamps; shared with panels. */
    static List<Message> drafts(StoreCore core, String logId, List<NewMessage> messages, Predicate<String> roleAllowed,
                                String allowedRoles) {
        if (messages == null || messages.isEmpty()) {
            throw new ValidationException("messages", "at least one message is required");
        }
        if (messages.size() > core.config.maxMessagesPerSession()) {
            throw new LimitExceededException("limits.max-messages-per-session", core.config.maxMessagesPerSession(),
                    messages.size());
        }
        Instant now = core.now();
        List<Message> out = new ArrayList<>(messages.size());
        Set<String> ids = new HashSet<>();
        for (NewMessage m : messages) {
            if (m == null) {
                throw new ValidationException("message", "must not be null");
            }
            if (!roleAllowed.test(m.role())) {
                throw new ValidationException("message.role", "'" + Validator.printable(m.role())
                        + "' is not allowed here; expected " + allowedRoles);
            }
            Validator.text("message.content", m.content());
            long bytes = Validator.utf8Length(m.content());
            if (bytes > core.config.maxMessageBytes()) {
                throw new LimitExceededException("limits.max-message-bytes", core.config.maxMessageBytes(), bytes);
            }
            if (m.attachments().size() > MAX_ATTACHMENTS) {
                throw new ValidationException("message.attachments", "at most " + MAX_ATTACHMENTS + " attachments");
            }
            for (String a : m.attachments()) {
                Validator.documentName("message.attachments", a);
            }
            Validator.json("message.metadata", m.metadata(), core.config.maxJsonBytes());
            m.model().ifPresent(v -> Validator.label("message.model", v));
            m.provider().ifPresent(v -> Validator.label("message.provider", v));
            Optional<Usage> usage = m.usage().map(Messages::normaliseUsage);
            Instant createdAt = m.createdAt().map(t -> Validator.instant("message.createdAt", t)).orElse(now);
            String id = m.id().map(v -> Validator.id("message.id", v)).orElseGet(() -> core.ids.messageId(createdAt));
            if (!ids.add(id)) {
                throw new DuplicateKeyException("message", logId + "/" + id);
            }
            out.add(new Message(id, logId, 0, m.role(), m.content(), createdAt, m.attachments(), m.metadata(), usage,
                    m.model(), m.provider()));
        }
        return out;
    }

    /** Checks usage and strips trailing zeros from its cost, so every backend returns the same value. */
    static Usage normaliseUsage(Usage u) {
        if (u.inputTokens() < 0 || u.outputTokens() < 0) {
            throw new ValidationException("message.usage", "token counts must not be negative");
        }
        if (!CURRENCY.matcher(u.currency()).matches()) {
            throw new ValidationException("message.usage.currency", "'" + Validator.printable(u.currency())
                    + "' is not a currency code like USD");
        }
        return new Usage(u.inputTokens(), u.outputTokens(), normaliseCost(u.cost()), u.currency());
    }

    static BigDecimal normaliseCost(BigDecimal cost) {
        if (cost.signum() < 0) {
            throw new ValidationException("message.usage.cost", "must not be negative, got " + cost);
        }
        if (cost.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal c = cost.stripTrailingZeros();
        if (c.scale() < 0) {
            c = c.setScale(0);
        }
        if (c.scale() > MAX_COST_SCALE || c.compareTo(MAX_COST) >= 0) {
            throw new ValidationException("message.usage.cost", cost + " needs more than " + MAX_COST_SCALE
                    + " decimal places or is not below 1e18");
        }
        return c;
    }
}
