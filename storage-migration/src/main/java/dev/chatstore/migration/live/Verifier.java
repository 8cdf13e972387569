package dev.chatstore.migration.live;

import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StoredCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares two stores through the ports, in two levels: per session (and panel) a digest of its log — message count,
 * last seq and the SHA-256 of its canonical messages ({@link Canonical}) — on both sides, and record-by-record diffs
 * only inside logs whose digests differ. Users, credentials, personas, session and panel rows, documents (metadata and
 * sha256), contexts and insights are compared record by record. Every ID present on either side is visited once,
 * through keyset scans, so the stores may be written while they are compared.
 *
 * <p>Writes in flight: a log is compared up to the source's last seq when its digest was taken; a key that differs
 * is re-checked after {@link VerifyOptions#grace()} up to {@link VerifyOptions#recheckAttempts()} times, and only a
 * difference that stays is reported.
 */
public final class Verifier {

    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

    private final StorageBackend source;
    private final StorageBackend target;
    private final VerifyOptions options;
    private boolean counting = true;
    private long users;
    private long sessions;
    private long messages;
    private long panels;

    private Verifier(StorageBackend source, StorageBackend target, VerifyOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Compares every record of the two stores; writes the report file if the options name one. */
    public static VerifyReport compare(StorageBackend source, StorageBackend target, VerifyOptions options) {
        return new Verifier(source, target, options).run();
    }

    /** Compares the records of the given keys only (e.g. the keys a repair just copied). */
    public static VerifyReport compareKeys(StorageBackend source, StorageBackend target, List<SyncKey> keys,
                                           VerifyOptions options) {
        Verifier v = new Verifier(source, target, options);
        Instant started = Instant.now();
        Map<SyncKey, List<Finding>> found = new LinkedHashMap<>();
        for (SyncKey key : keys) {
            List<Finding> f = v.check(key);
            if (!f.isEmpty()) {
                found.put(key, f);
            }
        }
        return v.finish(started, found);
    }

    private VerifyReport run() {
        Instant started = Instant.now();
        Map<SyncKey, List<Finding>> found = new LinkedHashMap<>();
        add(found, SyncKey.globalPersonas(), personas(PersonaScope.global(), SyncKey.globalPersonas()));
        KeysetMerge userIds = new KeysetMerge(ids(after -> source.users().list(after, options.pageSize()), User::id),
                ids(after -> target.users().list(after, options.pageSize()), User::id), options.pageSize());
        for (KeysetMerge.Entry u = userIds.next(); u != null; u = userIds.next()) {
            users++;
            String userId = u.id();
            add(found, SyncKey.user(userId), user(userId));
            KeysetMerge sessionIds = new KeysetMerge(
                    ids(after -> source.sessions().listById(userId, after, options.pageSize()), Session::id),
                    ids(after -> target.sessions().listById(userId, after, options.pageSize()), Session::id),
                    options.pageSize());
            for (KeysetMerge.Entry s = sessionIds.next(); s != null; s = sessionIds.next()) {
                sessions++;
                add(found, SyncKey.session(userId, s.id()), session(userId, s.id()));
            }
        }
        KeysetMerge panelIds = new KeysetMerge(ids(after -> source.panels().listById(after, options.pageSize()), Panel::id),
                ids(after -> target.panels().listById(after, options.pageSize()), Panel::id), options.pageSize());
        for (KeysetMerge.Entry p = panelIds.next(); p != null; p = panelIds.next()) {
            panels++;
            add(found, SyncKey.panel(p.id()), panel(p.id()));
        }
        counting = false;
        for (int attempt = 1; attempt <= options.recheckAttempts() && !found.isEmpty(); attempt++) {
            sleep();
            LOG.debug("verify: re-checking {} key(s), attempt {}", found.size(), attempt);
            for (SyncKey key : new ArrayList<>(found.keySet())) {
                List<Finding> again = check(key);
                if (again.isEmpty()) {
                    found.remove(key);
                } else {
                    found.put(key, again);
                }
            }
        }
        return finish(started, found);
    }

    private VerifyReport finish(Instant started, Map<SyncKey, List<Finding>> found) {
        List<Finding> all = new ArrayList<>();
        found.values().forEach(all::addAll);
        options.report().ifPresent(file -> write(file, all));
        return new VerifyReport(started, Instant.now(), users, sessions, messages, panels, all, options.report());
    }

    private void sleep() {
        if (options.grace().isZero()) {
            return;
        }
        try {
            Thread.sleep(options.grace().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("verify interrupted", e);
        }
    }

    private static void add(Map<SyncKey, List<Finding>> found, SyncKey key, List<Finding> findings) {
        if (!findings.isEmpty()) {
            found.computeIfAbsent(key, k -> new ArrayList<>()).addAll(findings);
        }
    }

    /** The findings of one key now. */
    List<Finding> check(SyncKey key) {
        if (key instanceof SyncKey.User u) {
            return user(u.userId());
        }
        if (key instanceof SyncKey.Session s) {
            return session(s.userId(), s.sessionId());
        }
        if (key instanceof SyncKey.Panel p) {
            return panel(p.panelId());
        }
        if (key instanceof SyncKey.GlobalPersonas) {
            return personas(PersonaScope.global(), key);
        }
        List<Finding> out = new ArrayList<>();
        KeysetMerge panelIds = new KeysetMerge(ids(after -> source.panels().listById(after, options.pageSize()), Panel::id),
                ids(after -> target.panels().listById(after, options.pageSize()), Panel::id), options.pageSize());
        for (KeysetMerge.Entry p = panelIds.next(); p != null; p = panelIds.next()) {
            out.addAll(panel(p.id()));
        }
        return out;
    }

    // ---------------------------------------------------------------- users

    private List<Finding> user(String userId) {
        SyncKey key = SyncKey.user(userId);
        List<Finding> out = new ArrayList<>();
        compare(out, key, "user", userId, source.users().find(userId), target.users().find(userId), Canonical::user);
        Map<String, StoredCredential> srcCreds = byKey(source.credentials().list(userId), StoredCredential::provider);
        Map<String, StoredCredential> dstCreds = byKey(target.credentials().list(userId), StoredCredential::provider);
        compareAll(out, key, "credential", userId + "/", srcCreds, dstCreds, Canonical::credential);
        out.addAll(personas(PersonaScope.user(userId), key));
        return out;
    }

    private List<Finding> personas(PersonaScope scope, SyncKey key) {
        List<Finding> out = new ArrayList<>();
        compareAll(out, key, "persona", scope + "/", byKey(source.personas().list(scope), Persona::id),
                byKey(target.personas().list(scope), Persona::id), Canonical::persona);
        return out;
    }

    // ---------------------------------------------------------------- sessions

    private List<Finding> session(String userId, String sessionId) {
        SyncKey key = SyncKey.session(userId, sessionId);
        String where = userId + "/" + sessionId;
        Optional<Session> src = source.sessions().find(userId, sessionId);
        Optional<Session> dst = target.sessions().find(userId, sessionId);
        List<Finding> out = new ArrayList<>();
        if (src.isEmpty() || dst.isEmpty()) {
            compare(out, key, "session", where, src, dst, Canonical::session);
            if (counting) {
                messages += src.map(Session::messageCount).orElse(0L);
            }
            return out;
        }
        compare(out, key, "session", where, src, dst, Canonical::session);
        try {
            log(out, key, LogRef.session(userId, sessionId), "message", where);
            compareAll(out, key, "document", where + "/doc:", byKey(source.documents().list(userId, sessionId),
                    Document::name), byKey(target.documents().list(userId, sessionId), Document::name),
                    Canonical::document);
            compare(out, key, "context", where + "/context", source.contexts().current(userId, sessionId),
                    target.contexts().current(userId, sessionId), Canonical::context);
            List<SituationalContext> srcHistory = source.contexts().history(userId, sessionId, StoreSync.ALL);
            List<SituationalContext> dstHistory = target.contexts().history(userId, sessionId, StoreSync.ALL);
            if (!srcHistory.equals(dstHistory)) {
                out.add(new Finding(srcHistory.size() == dstHistory.size() ? Finding.Kind.FIELD_MISMATCH
                        : Finding.Kind.COUNT_MISMATCH, "context-history", key, where + "/context-history", List.of(),
                        Optional.of(historyValue(srcHistory)), Optional.of(historyValue(dstHistory))));
            }
        } catch (NotFoundException deletedMeanwhile) {
            // deleted on one side while compared: the re-check sees the row missing (or both gone)
            if (out.isEmpty()) {
                out.add(new Finding(Finding.Kind.FIELD_MISMATCH, "session", key, where, List.of(),
                        Optional.empty(), Optional.empty()));
            }
        }
        return out;
    }

    private String historyValue(List<SituationalContext> history) {
        StringBuilder text = new StringBuilder();
        history.forEach(c -> text.append(Canonical.text(Canonical.context(c))).append('\n'));
        return history.size() + (options.includeValues() ? " " + text : " sha256:" + Canonical.sha256(text.toString()));
    }

    // ---------------------------------------------------------------- panels

    private List<Finding> panel(String panelId) {
        SyncKey key = SyncKey.panel(panelId);
        String where = "panel:" + panelId;
        Optional<Panel> src = source.panels().find(panelId);
        Optional<Panel> dst = target.panels().find(panelId);
        List<Finding> out = new ArrayList<>();
        compare(out, key, "panel", where, src, dst, Canonical::panel);
        if (src.isEmpty() || dst.isEmpty()) {
            return out;
        }
        try {
            log(out, key, LogRef.panel(panelId), "panel-message", where);
            compareAll(out, key, "insight", where + "/insight:", byKey(source.panels().insights(panelId, StoreSync.ALL),
                    Insight::id), byKey(target.panels().insights(panelId, StoreSync.ALL), Insight::id), Canonical::insight);
        } catch (NotFoundException deletedMeanwhile) {
            if (out.isEmpty()) {
                out.add(new Finding(Finding.Kind.FIELD_MISMATCH, "panel", key, where, List.of(), Optional.empty(),
                        Optional.empty()));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- logs

    /** A log's digest up to a seq. */
    private record Digest(long count, long lastSeq, String sha256) {
    }

    private Digest digest(StorageBackend backend, LogRef log, long upToSeq) {
        MessageDigest sha = Canonical.newDigest();
        StringBuilder text = new StringBuilder(256);
        long count = 0;
        long last = 0;
        long cursor = 0;
        while (true) {
            List<Message> page = backend.logs().after(log, cursor, options.pageSize());
            for (Message m : page) {
                if (m.seq() > upToSeq) {
                    return new Digest(count, last, HexFormat.of().formatHex(sha.digest()));
                }
                text.setLength(0);
                Canonical.messageText(text, m);
                sha.update(text.toString().getBytes(StandardCharsets.UTF_8));
                count++;
                last = m.seq();
            }
            if (page.size() < options.pageSize()) {
                return new Digest(count, last, HexFormat.of().formatHex(sha.digest()));
            }
            cursor = page.get(page.size() - 1).seq();
        }
    }

    private void log(List<Finding> out, SyncKey key, LogRef log, String entity, String where) {
        Digest src = digest(source, log, Long.MAX_VALUE);
        if (counting) {
            messages += src.count();
        }
        Digest dst = digest(target, log, src.lastSeq());
        boolean targetHasMore = !target.logs().after(log, src.lastSeq(), 1).isEmpty()
                && source.logs().after(log, src.lastSeq(), 1).isEmpty();
        if (src.equals(dst) && !targetHasMore) {
            return;
        }
        // the digests differ: find the messages that do, seq by seq
        long cursor = 0;
        long srcCount = 0;
        long dstCount = 0;
        int listed = 0;
        while (true) {
            List<Message> s = source.logs().after(log, cursor, options.pageSize());
            List<Message> t = target.logs().after(log, cursor, options.pageSize());
            if (s.isEmpty() && t.isEmpty()) {
                break;
            }
            // compare up to the lower of the two pages' last seqs, so neither side's next page is skipped
            long upTo = s.isEmpty() ? t.get(t.size() - 1).seq() : t.isEmpty() ? s.get(s.size() - 1).seq()
                    : Math.min(s.get(s.size() - 1).seq(), t.get(t.size() - 1).seq());
            if (s.size() < options.pageSize() && t.size() < options.pageSize()) {
                upTo = Long.MAX_VALUE;
            } else if (s.size() < options.pageSize()) {
                upTo = t.get(t.size() - 1).seq();
            } else if (t.size() < options.pageSize()) {
                upTo = s.get(s.size() - 1).seq();
            }
            Map<Long, Message> bySeq = new LinkedHashMap<>();
            for (Message m : t) {
                if (m.seq() <= upTo) {
                    bySeq.put(m.seq(), m);
                    dstCount++;
                }
            }
            for (Message m : s) {
                if (m.seq() > upTo) {
                    break;
                }
                srcCount++;
                Message other = bySeq.remove(m.seq());
                if (listed >= options.maxFindingsPerSession()) {
                    continue;
                }
                String at = where + "#" + m.seq();
                if (other == null) {
                    out.add(new Finding(Finding.Kind.MISSING_IN_TARGET, entity, key, at, List.of(),
                            Optional.of(value(Canonical.message(m))), Optional.empty()));
                    listed++;
                } else if (!other.equals(m)) {
                    Map<String, Object> a = Canonical.message(m);
                    Map<String, Object> b = Canonical.message(other);
                    List<String> fields = Canonical.differingFields(a, b);
                    if (!fields.isEmpty()) {
                        out.add(new Finding(Finding.Kind.FIELD_MISMATCH, entity, key, at, fields,
                                Optional.of(value(a)), Optional.of(value(b))));
                        listed++;
                    }
                }
            }
            for (Message m : bySeq.values()) {
                if (listed < options.maxFindingsPerSession()) {
                    out.add(new Finding(Finding.Kind.MISSING_IN_SOURCE, entity, key, where + "#" + m.seq(), List.of(),
                            Optional.empty(), Optional.of(value(Canonical.message(m)))));
                    listed++;
                }
            }
            if (upTo == Long.MAX_VALUE) {
                break;
            }
            cursor = upTo;
        }
        if (srcCount != dstCount) {
            out.add(new Finding(Finding.Kind.COUNT_MISMATCH, entity, key, where, List.of(),
                    Optional.of(Long.toString(srcCount)), Optional.of(Long.toString(dstCount))));
        }
    }

    // ---------------------------------------------------------------- records

    private <T> void compare(List<Finding> out, SyncKey key, String entity, String locator, Optional<T> src,
                             Optional<T> dst, Function<T, Map<String, Object>> canonical) {
        if (src.isEmpty() && dst.isEmpty()) {
            return;
        }
        if (dst.isEmpty()) {
            out.add(new Finding(Finding.Kind.MISSING_IN_TARGET, entity, key, locator, List.of(),
                    Optional.of(value(canonical.apply(src.get()))), Optional.empty()));
            return;
        }
        if (src.isEmpty()) {
            out.add(new Finding(Finding.Kind.MISSING_IN_SOURCE, entity, key, locator, List.of(), Optional.empty(),
                    Optional.of(value(canonical.apply(dst.get())))));
            return;
        }
        Map<String, Object> a = canonical.apply(src.get());
        Map<String, Object> b = canonical.apply(dst.get());
        List<String> fields = Canonical.differingFields(a, b);
        if (!fields.isEmpty()) {
            out.add(new Finding(Finding.Kind.FIELD_MISMATCH, entity, key, locator, fields, Optional.of(value(a)),
                    Optional.of(value(b))));
        }
    }

    private <T> void compareAll(List<Finding> out, SyncKey key, String entity, String prefix, Map<String, T> src,
                                Map<String, T> dst, Function<T, Map<String, Object>> canonical) {
        for (Map.Entry<String, T> e : src.entrySet()) {
            compare(out, key, entity, prefix + e.getKey(), Optional.of(e.getValue()),
                    Optional.ofNullable(dst.get(e.getKey())), canonical);
        }
        for (Map.Entry<String, T> e : dst.entrySet()) {
            if (!src.containsKey(e.getKey())) {
                compare(out, key, entity, prefix + e.getKey(), Optional.empty(), Optional.of(e.getValue()), canonical);
            }
        }
    }

    private String value(Map<String, Object> canonical) {
        String text = Canonical.text(canonical);
        return options.includeValues() ? text : "sha256:" + Canonical.sha256(text);
    }

    private static <T> Map<String, T> byKey(List<T> list, Function<T, String> key) {
        Map<String, T> out = new LinkedHashMap<>();
        list.forEach(t -> out.put(key.apply(t), t));
        return out;
    }

    private static <T> Function<String, List<String>> ids(Function<String, List<T>> page, Function<T, String> id) {
        return after -> page.apply(after).stream().map(id).toList();
    }

    private static void write(Path file, List<Finding> findings) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Finding f : findings) {
                    w.write(f.toJsonLine());
                    w.write('\n');
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageIOException("cannot write the verify report " + file + ": " + e.getMessage(), e);
        }
    }
}
