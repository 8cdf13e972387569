package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.model.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link dev.chatstore.api.spi.MessageLogs#restore} for one log, under its lock: writes messages at their seqs.
 * Messages that only continue the log are appended (one write, like any append); a batch that changes a stored
 * record rewrites the log by temporary file and rename, so a reader sees the old log or the new one. The core has
 * already checked contiguity and that a message landing on an occupied seq keeps the ID stored there.
 */
final class LogRestorer {

    private LogRestorer() {
    }

    /** @throws DuplicateKeyException if a message's ID is already used at another seq (nothing is written) */
    static void restore(MessageLog log, List<Message> given, String owner) {
        if (!log.refresh(true)) {
            throw new StorageIOException("the log " + log.path() + " is missing", null);
        }
        long lastSeq = log.state().lastSeq();
        boolean changesStored = false;
        for (Message m : given) {
            Optional<Message> sameId = LogLookups.byId(log, m.id());
            if (sameId.isPresent() && sameId.get().seq() != m.seq()) {
                throw new DuplicateKeyException("message", owner + "/" + m.id() + " (stored at seq "
                        + sameId.get().seq() + ", restored at seq " + m.seq() + ")");
            }
            if (m.seq() <= lastSeq && !LogLookups.bySeq(log, m.seq()).map(m::equals).orElse(false)) {
                changesStored = true;
            }
        }
        if (changesStored) {
            TreeMap<Long, Message> bySeq = new TreeMap<>();
            for (Message m : LogLookups.all(log)) {
                bySeq.put(m.seq(), m);
            }
            for (Message m : given) {
                bySeq.put(m.seq(), m);
            }
            log.replaceWith(new ArrayList<>(bySeq.values()));
            return;
        }
        List<Message> appending = given.stream().filter(m -> m.seq() > lastSeq).toList();
        if (!appending.isEmpty()) {
            log.appendRestoredLocked(appending, owner);
        }
    }
}
