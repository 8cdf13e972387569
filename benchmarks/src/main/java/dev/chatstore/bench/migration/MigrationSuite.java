package dev.chatstore.bench.migration;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.config.Durability;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.BackendContext;
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.StorageBackendProvider;
import dev.chatstore.bench.BenchSettings;
import dev.chatstore.bench.BenchmarkSuite;
import dev.chatstore.bench.Result;
import dev.chatstore.bench.Scenario;
import dev.chatstore.bench.Timer;
import dev.chatstore.bench.Workspace;
import dev.chatstore.flatfile.FlatfileBackendProvider;
import dev.chatstore.mem.MemoryBackendProvider;
import dev.chatstore.migration.live.Backfill;
import dev.chatstore.migration.live.BackfillOptions;
import dev.chatstore.migration.live.BackfillResult;
import dev.chatstore.migration.live.DualWriteBackend;
import dev.chatstore.migration.live.FailurePolicy;
import dev.chatstore.migration.live.FileRepairJournal;
import dev.chatstore.migration.live.VerifyOptions;
import dev.chatstore.migration.live.VerifyReport;
import dev.chatstore.migration.live.Verifier;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The live-migration figures of issue 12: backfill rate and verify rate over a store of {@code bigSession} messages
 * (sessions of 1,000 messages, 10 sessions per user), each beside a plain read of the same store through the ports;
 * and the overhead of dual-write on the application's append, beside the primary alone.
 */
public final class MigrationSuite implements BenchmarkSuite {

    private static final int PER_SESSION = 1000;
    private static final int SESSIONS_PER_USER = 10;

    @Override
    public String name() {
        return "migration";
    }

    @Override
    public List<Scenario> scenarios(BenchSettings s) {
        return List.of(backfillAndVerify("file", s.bigSession()), backfillAndVerify("mem", s.bigSession()),
                dualWrite("file", Durability.SYNC, s.iterations()), dualWrite("mem", Durability.NONE, s.iterations()));
    }

    static ChatStoreConfig config(String url, Durability durability) {
        return ChatStoreConfig.isolated().url(url).durability(durability)
                .set("limits.max-messages-per-session", 10_000_000).build();
    }

    static StorageBackend open(String kind, Path dir, String name, Durability durability) {
        String url = kind.equals("file") ? "file:" + dir.resolve(name) : "mem:" + name;
        StorageBackendProvider provider = kind.equals("file") ? new FlatfileBackendProvider()
                : new MemoryBackendProvider();
        return provider.open(new BackendContext(url, config(url, durability), Clock.systemUTC()));
    }

    static ChatStore over(StorageBackend backend, Durability durability) {
        StorageBackend borrowed = new ForwardingStorageBackend(backend) {
            @Override
            public void close() {
            }
        };
        return ChatStore.builder().config(config("mem:bench", durability)).backend(borrowed).open();
    }

    /** {@code messages} chat-sized messages in sessions of 1,000. */
    static void fill(StorageBackend backend, long messages) {
        Random r = new Random(12);
        try (ChatStore store = over(backend, Durability.NONE)) {
            long done = 0;
            int session = 0;
            while (done < messages) {
                String user = String.format(Locale.ROOT, "user-%05d", session / SESSIONS_PER_USER);
                if (session % SESSIONS_PER_USER == 0) {
                    store.users().create(user);
                }
                Session s = store.sessions().create(user, NewSession.titled("bench " + session)
                        .withId(String.format(Locale.ROOT, "chat-%06d", session)));
                List<NewMessage> batch = new ArrayList<>(PER_SESSION);
                for (int i = 0; i < PER_SESSION && done + i < messages; i++) {
                    batch.add(i % 2 == 0 ? NewMessage.user(text(r)) : NewMessage.assistant(text(r)));
                }
                store.messages().appendAll(user, s.id(), batch);
                done += batch.size();
                session++;
            }
        }
    }

    private static String text(Random r) {
        StringBuilder b = new StringBuilder(180);
        for (int i = 0; i < 24; i++) {
            if (i > 0) {
                b.append(' ');
            }
            int len = 3 + r.nextInt(6);
            for (int k = 0; k < len; k++) {
                b.append((char) ('a' + r.nextInt(26)));
            }
        }
        return b.toString();
    }

    /** Every message of the store through the ports' keyset scans: the baseline of a copy. */
    static long scan(StorageBackend backend) {
        long n = 0;
        String after = "";
        while (true) {
            List<User> users = backend.users().list(after, 500);
            for (User u : users) {
                String sAfter = "";
                while (true) {
                    List<Session> sessions = backend.sessions().listById(u.id(), sAfter, 500);
                    for (Session s : sessions) {
                        long cursor = 0;
                        while (true) {
                            List<Message> page = backend.logs().after(LogRef.session(u.id(), s.id()), cursor, 1000);
                            n += page.size();
                            if (page.size() < 1000) {
                                break;
                            }
                            cursor = page.get(page.size() - 1).seq();
                        }
                    }
                    if (sessions.size() < 500) {
                        break;
                    }
                    sAfter = sessions.get(sessions.size() - 1).id();
                }
            }
            if (users.size() < 500) {
                return n;
            }
            after = users.get(users.size() - 1).id();
        }
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f messages/s", perSecond);
    }

    private static Scenario backfillAndVerify(String kind, long messages) {
        return new Scenario() {
            @Override
            public String name() {
                return "backfill-verify-" + kind + "-" + messages;
            }

            @Override
            public String target() {
                return "issue 12: backfill >= 50,000 messages/s (files -> PostgreSQL); verify rate on a "
                        + "1,000,000-message store; here " + kind + " -> " + kind + ", beside a plain scan";
            }

            @Override
            public Result run(Workspace ws) {
                Durability d = Durability.NONE;
                try (StorageBackend source = open(kind, ws.dir(), "source", d);
                     StorageBackend target = open(kind, ws.dir(), "target", d)) {
                    fill(source, messages);
                    long t0 = System.nanoTime();
                    long scanned = scan(source);
                    double scanSeconds = (System.nanoTime() - t0) / 1e9;
                    BackfillOptions options = BackfillOptions.defaults(config("mem:limits", d), "bench");
                    long t1 = System.nanoTime();
                    BackfillResult copy = Backfill.run(source, target, options);
                    double copySeconds = (System.nanoTime() - t1) / 1e9;
                    long t2 = System.nanoTime();
                    VerifyReport verify = Verifier.compare(source, target, VerifyOptions.defaults());
                    double verifySeconds = (System.nanoTime() - t2) / 1e9;
                    long t3 = System.nanoTime();
                    BackfillResult again = Backfill.run(source, target, options);
                    double againSeconds = (System.nanoTime() - t3) / 1e9;
                    double backfillRate = copy.stats().messagesWritten() / copySeconds;
                    return new Result()
                            .row("backfill " + kind + " -> " + kind + " (" + copy.stats().messagesWritten()
                                    + " messages, durability none)", rate(backfillRate))
                            .row("verify, both sides (" + verify.messages() + " messages, "
                                    + verify.findings().size() + " findings)", rate(verify.messages() / verifySeconds))
                            .row("backfill re-run, nothing to copy (" + again.stats().messagesUnchanged()
                                    + " unchanged)", rate(again.stats().messagesUnchanged() / againSeconds))
                            .row("baseline: read every message through the keyset scans (" + scanned + ")",
                                    rate(scanned / scanSeconds))
                            .ratio("backfill time / scan time", copySeconds / scanSeconds, backfillRate >= 50_000)
                            .note("verify reads both stores, so its ideal is half the scan rate; the target's "
                                    + "50,000 messages/s is for files -> PostgreSQL, shown here as met/unmet for "
                                    + kind + " -> " + kind);
                }
            }
        };
    }

    private static Scenario dualWrite(String kind, Durability durability, int iterations) {
        return new Scenario() {
            @Override
            public String name() {
                return "dual-write-append-" + kind;
            }

            @Override
            public String target() {
                return "issue 12: overhead of dual-write on the application's append (" + kind + " + " + kind
                        + ", durability " + durability.name().toLowerCase(Locale.ROOT) + ") vs the primary alone";
            }

            @Override
            public Result run(Workspace ws) throws Exception {
                Random r = new Random(3);
                try (StorageBackend alone = open(kind, ws.dir(), "alone", durability);
                     StorageBackend primary = open(kind, ws.dir(), "primary", durability);
                     StorageBackend secondary = open(kind, ws.dir(), "secondary", durability);
                     FileRepairJournal journal = FileRepairJournal.open(ws.dir().resolve("journal"))) {
                    DualWriteBackend dual = new DualWriteBackend(primary, secondary, FailurePolicy.JOURNAL,
                            Optional.of(journal));
                    try (ChatStore single = over(alone, durability); ChatStore both = over(dual, durability)) {
                        for (ChatStore s : List.of(single, both)) {
                            s.users().create("app");
                            s.sessions().create("app", NewSession.titled("bench").withId("chat"));
                        }
                        Timer base = Timer.measure(iterations / 10, iterations,
                                i -> single.messages().append("app", "chat", NewMessage.user(text(r))));
                        Timer measured = Timer.measure(iterations / 10, iterations,
                                i -> both.messages().append("app", "chat", NewMessage.user(text(r))));
                        return new Result()
                                .row("append through dual-write (" + kind + " + " + kind + ")", measured.toString())
                                .row("baseline: append to " + kind + " alone", base.toString())
                                .row("secondary failures", Long.toString(dual.secondaryFailures()))
                                .ratio("dual-write / alone (mean)", measured.meanMicros() / base.meanMicros(),
                                        true);
                    }
                }
            }
        };
    }
}
