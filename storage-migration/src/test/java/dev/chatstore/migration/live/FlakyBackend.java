package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageUnavailableException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.User;
import dev.chatstore.api.spi.ForwardingStorageBackend;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.MessageLogs;
import dev.chatstore.api.spi.SessionRepository;
import dev.chatstore.api.spi.StorageBackend;
import dev.chatstore.api.spi.UserRepository;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend whose user, session and message writes fail while {@link #failing} is set, or after a budget of
 * successful message writes runs out (a store that goes away, or a process killed mid-copy).
 */
final class FlakyBackend extends ForwardingStorageBackend {

    final AtomicBoolean failing = new AtomicBoolean();
    /** Message writes (appends and restores) allowed before every later one fails; negative: unlimited. */
    final AtomicLong messageWritesLeft = new AtomicLong(-1);
    final AtomicLong failures = new AtomicLong();

    FlakyBackend(StorageBackend delegate) {
        super(delegate);
    }

    private void maybeFail(String what) {
        if (failing.get()) {
            failures.incrementAndGet();
            throw new StorageUnavailableException("injected failure: " + what);
        }
    }

    private void messageWrite(String what) {
        maybeFail(what);
        long left = messageWritesLeft.get();
        if (left == 0) {
            failures.incrementAndGet();
            throw new StorageUnavailableException("injected failure after the write budget: " + what);
        }
        if (left > 0) {
            messageWritesLeft.decrementAndGet();
        }
    }

    @Override
    public UserRepository users() {
        return new ForwardingUsers(delegate().users()) {
            @Override
            public void insert(User user) {
                maybeFail("user insert");
                super.insert(user);
            }

            @Override
            public User update(User next, long expectedVersion) {
                maybeFail("user update");
                return super.update(next, expectedVersion);
            }

            @Override
            public void restore(User user) {
                maybeFail("user restore");
                super.restore(user);
            }
        };
    }

    @Override
    public SessionRepository sessions() {
        return new ForwardingSessions(delegate().sessions()) {
            @Override
            public void insert(Session session, int max) {
                maybeFail("session insert");
                super.insert(session, max);
            }

            @Override
            public Session update(Session next, long expectedVersion) {
                maybeFail("session update");
                return super.update(next, expectedVersion);
            }

            @Override
            public void restore(Session session) {
                maybeFail("session restore");
                super.restore(session);
            }
        };
    }

    @Override
    public MessageLogs logs() {
        return new ForwardingLogs(delegate().logs()) {
            @Override
            public List<Message> append(LogRef log, List<Message> messages, long maxMessages) {
                messageWrite("append");
                return super.append(log, messages, maxMessages);
            }

            @Override
            public void restore(LogRef log, List<Message> messages) {
                messageWrite("restore");
                super.restore(log, messages);
            }
        };
    }
}
