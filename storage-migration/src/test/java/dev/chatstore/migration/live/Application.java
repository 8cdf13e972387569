package dev.chatstore.migration.live;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.StorageBackend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application writing through a store for the whole of a migration: appends messages to its sessions, creates
 * sessions, renames them. It remembers every write the store acknowledged, to check that each is in a store at the
 * end.
 */
final class Application implements AutoCloseable {

    private final ChatStore store;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String[]> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, String[]> ackedMessages = new ConcurrentHashMap<>();
    private final Map<String, String> ackedTitles = new ConcurrentHashMap<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final AtomicLong operations = new AtomicLong();

    Application(ChatStore store, List<Session> existing, long seed) {
        this.store = store;
        existing.forEach(s -> sessions.add(new String[]{s.userId(), s.id()}));
        Random random = new Random(seed);
        this.thread = new Thread(() -> {
            long n = 0;
            while (running.get()) {
                n++;
                try {
                    String[] s = sessions.get(random.nextInt(sessions.size()));
                    if (n % 25 == 0) {
                        Session created = store.sessions().create(s[0], "new " + n);
                        sessions.add(new String[]{created.userId(), created.id()});
                        ackedTitles.put(created.userId() + "/" + created.id(), created.title());
                    } else if (n % 9 == 0) {
                        String title = "title " + n;
                        Session renamed = store.sessions().update(s[0], s[1], x -> x.withTitle(title));
                        ackedTitles.put(s[0] + "/" + s[1], renamed.title());
                    } else {
                        Message m = store.messages().append(s[0], s[1], NewMessage.user("live write " + n));
                        ackedMessages.put(m.id(), s);
                    }
                    operations.incrementAndGet();
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) {
                    errors.add(e);
                }
            }
        }, "application");
        thread.start();
    }

    long operations() {
        return operations.get();
    }

    /** Waits until the application has done {@code more} further operations. */
    void runFor(long more) throws InterruptedException {
        long until = operations.get() + more;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (operations.get() < until && System.nanoTime() < deadline && errors.isEmpty()) {
            Thread.sleep(5);
        }
    }

    /** Stops writing; every write acknowledged so far is final. */
    void stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    /** Asserts the application saw no error and every acknowledged write is in {@code backend}. */
    void assertEveryAcknowledgedWriteIn(StorageBackend backend, String which) {
        assertThat(errors).as("the application saw no error").isEmpty();
        assertThat(ackedMessages).as("the application wrote during the migration").hasSizeGreaterThan(100);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String[]> e : ackedMessages.entrySet()) {
            if (backend.logs().findById(LogRef.session(e.getValue()[0], e.getValue()[1]), e.getKey()).isEmpty()) {
                missing.add("message " + e.getKey() + " of " + e.getValue()[0] + "/" + e.getValue()[1]);
            }
        }
        Map<String, String> wrongTitles = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : ackedTitles.entrySet()) {
            String[] key = e.getKey().split("/", 2);
            String stored = backend.sessions().find(key[0], key[1]).map(Session::title).orElse("<missing session>");
            if (!stored.equals(e.getValue())) {
                wrongTitles.put(e.getKey(), stored + " (acknowledged: " + e.getValue() + ")");
            }
        }
        assertThat(missing).as("acknowledged messages missing in the " + which).isEmpty();
        assertThat(wrongTitles).as("acknowledged session titles not in the " + which).isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        store.close();
    }
}
