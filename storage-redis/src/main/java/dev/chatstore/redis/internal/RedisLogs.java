package dev.chatstore.redis.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.TextSearch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Message logs as Streams with explicit entry IDs {@code <seq>-0}: Redis itself refuses an ID at or below the last
 * one, and {@code XRANGE}/{@code XREVRANGE ... COUNT n} are the by-seq and last-n reads. A hash maps message IDs
 * to seqs. One script appends a whole batch: it checks the owner, the limit and every ID first, then assigns the
 * seqs, writes the entries, updates the owner's counters and (for session logs) the search index.
 */
final class RedisLogs implements MessageLogs {

    /** Words shorter than this are not worth indexing separately: the index holds every word (see README). */
    private static final int INDEX_MIN_WORD_LENGTH = 1;

    private final RedisAccess redis;
    private final Keys keys;

    RedisLogs(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public List<Message> append(LogRef log, List<Message> messages, long maxMessages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        boolean session = log instanceof LogRef.SessionLog;
        String base = session ? keys.userBase(((LogRef.SessionLog) log).userId()) : "";
        Set<String> wordKeys = new LinkedHashSet<>();
        List<Object> perMessage = new ArrayList<>();
        for (Message m : messages) {
            Optional<String> words = session ? Optional.of(words(m.content())) : Optional.empty();
            words.ifPresent(w -> {
                for (String word : w.split(" ")) {
                    if (!word.isEmpty()) {
                        wordKeys.add(base + "w:" + word);
                    }
                }
            });
            List<String> fields = RedisRecords.message(m, words);
            perMessage.addAll(List.of(m.id(), Long.toString(m.createdAt().toEpochMilli()), m.createdAt().toString(),
                    Integer.toString(fields.size() / 2)));
            perMessage.addAll(fields);
        }
        List<String> k = new ArrayList<>(List.of(keys.logOwner(log), keys.log(log), keys.messageIds(log)));
        if (session) {
            k.add(keys.sessionsByRecency(((LogRef.SessionLog) log).userId()));
            k.addAll(wordKeys);
        }
        List<Object> args = new ArrayList<>(List.of(session ? "s" : "p", Long.toString(maxMessages),
                Integer.toString(messages.size()), log.logId(), base, Integer.toString(k.size())));
        args.addAll(perMessage);
        RedisAccess.Reply r = redis.run(RedisScript.LOG_APPEND, k, args);
        if (r.failed("NOTFOUND")) {
            throw notFound(log);
        }
        if (r.failed("LIMIT")) {
            throw new LimitExceededException("limits.max-messages-per-session", maxMessages,
                    Long.parseLong(r.text(1)));
        }
        if (r.failed("DUP")) {
            throw new DuplicateKeyException("message", log + "/" + r.text(0));
        }
        long first = Long.parseLong(r.orThrow("append").text(0));
        List<Message> stored = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            stored.add(messages.get(i).withSeq(first + i));
        }
        return stored;
    }

    @Override
    public Optional<Message> findBySeq(LogRef log, long seq) {
        if (seq < 1) {
            read(log, "seq", "1"); // still reports a missing owner
            return Optional.empty();
        }
        return read(log, "seq", Long.toString(seq)).stream().findFirst();
    }

    @Override
    public Optional<Message> findById(LogRef log, String messageId) {
        return read(log, "id", messageId).stream().findFirst();
    }

    @Override
    public List<Message> after(LogRef log, long afterSeq, int limit) {
        if (limit <= 0) {
            read(log, "seq", "1");
            return List.of();
        }
        return read(log, "after", Long.toString(Math.max(0, afterSeq)), Integer.toString(limit));
    }

    @Override
    public List<Message> last(LogRef log, int n) {
        if (n <= 0) {
            read(log, "seq", "1");
            return List.of();
        }
        return read(log, "last", Integer.toString(n));
    }

    @Override
    public void restore(LogRef log, List<Message> messages) {
        if (messages.isEmpty()) {
            read(log, "seq", "1");
            return;
        }
        boolean session = log instanceof LogRef.SessionLog;
        String base = session ? keys.userBase(((LogRef.SessionLog) log).userId()) : "";
        List<Object> perMessage = new ArrayList<>();
        for (Message m : messages) {
            Optional<String> words = session ? Optional.of(words(m.content())) : Optional.empty();
            List<String> fields = RedisRecords.message(m, words);
            perMessage.addAll(List.of(Long.toString(m.seq()), m.id(), Long.toString(m.createdAt().toEpochMilli()),
                    m.createdAt().toString(), Integer.toString(fields.size() / 2)));
            perMessage.addAll(fields);
        }
        List<String> k = List.of(keys.logOwner(log), keys.log(log), keys.messageIds(log));
        List<Object> args = new ArrayList<>(List.of(session ? "s" : "p", log.logId(), base,
                Integer.toString(messages.size()), Integer.toString(k.size())));
        args.addAll(perMessage);
        RedisAccess.Reply r = redis.run(RedisScript.LOG_RESTORE, k, args);
        if (r.failed("NOTFOUND")) {
            throw notFound(log);
        }
        if (r.failed("DUP")) {
            throw new DuplicateKeyException("message", log + "/" + r.text(0));
        }
        r.orThrow("restore");
    }

    /** The message's distinct search words (all lengths: the query's minimum length is applied when searching). */
    static String words(String content) {
        return String.join(" ", TextSearch.words(content, INDEX_MIN_WORD_LENGTH));
    }

    private List<Message> read(LogRef log, String mode, String... args) {
        List<Object> a = new ArrayList<>();
        a.add(mode);
        a.addAll(List.of(args));
        RedisAccess.Reply r = redis.run(RedisScript.LOG_READ,
                List.of(keys.logOwner(log), keys.log(log), keys.messageIds(log)), a);
        if (r.failed("NOTFOUND")) {
            throw notFound(log);
        }
        List<Object> v = r.orThrow("read log").values();
        List<Message> out = new ArrayList<>(v.size() / 2);
        for (int i = 0; i + 1 < v.size(); i += 2) {
            out.add(entry(log.logId(), RedisAccess.text(v.get(i)), (List<?>) v.get(i + 1)));
        }
        return out;
    }

    /** A message from a stream entry ID and its fields. */
    static Message entry(String logId, String entryId, List<?> fields) {
        long seq = Long.parseLong(entryId.substring(0, entryId.indexOf('-')));
        return RedisRecords.message(logId, seq, RedisAccess.hash(fields));
    }

    static NotFoundException notFound(LogRef log) {
        if (log instanceof LogRef.SessionLog s) {
            return new NotFoundException("session", s.userId() + "/" + s.sessionId());
        }
        return new NotFoundException("panel", log.logId());
    }
}
