package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.spi.ContextRepository;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Situational context of a session: the current one in {@code situational_context.json}, snapshots in
 * {@code context_history/context_<capturedAt>_<n>.json}, where {@code n} counts up per session so snapshots with
 * the same capturedAt keep the order they were added in.
 */
final class FlatfileContexts implements ContextRepository {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS")
            .withZone(ZoneOffset.UTC);

    private final FlatfileStore store;
    private final FlatfileSessions sessions;

    FlatfileContexts(FlatfileStore store, FlatfileSessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    private record Snapshot(SituationalContext context, long order, Path file) {
    }

    @Override
    public void setCurrent(String userId, String sessionId, SituationalContext context) {
        store.checkWritable();
        Path dir = sessions.existing(userId, sessionId);
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            sessions.existing(userId, sessionId);
            store.write(StoreLayout.contextFile(dir), Json.context(context));
        }
    }

    @Override
    public Optional<SituationalContext> current(String userId, String sessionId) {
        store.checkOpen();
        return FlatfileStore.read(StoreLayout.contextFile(sessions.existing(userId, sessionId)), Json::context);
    }

    /** The snapshots, newest first (capturedAt descending, then latest added first). */
    private static List<Snapshot> snapshots(Path sessionDir) {
        List<Snapshot> out = new ArrayList<>();
        for (Path f : FlatfileStore.children(StoreLayout.contextHistoryDir(sessionDir), false, ".json")) {
            String n = f.getFileName().toString();
            long order;
            try {
                order = Long.parseLong(n.substring(n.lastIndexOf('_') + 1, n.length() - 5));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new StorageCorruptionException(f.toString(), -1, "unexpected snapshot file name");
            }
            FlatfileStore.read(f, Json::context).ifPresent(c -> out.add(new Snapshot(c, order, f)));
        }
        out.sort(Comparator.comparing((Snapshot s) -> s.context().capturedAt(), Comparator.reverseOrder())
                .thenComparing(Snapshot::order, Comparator.reverseOrder()));
        return out;
    }

    @Override
    public void addSnapshot(String userId, String sessionId, SituationalContext snapshot, int keep) {
        store.checkWritable();
        Path dir = sessions.existing(userId, sessionId);
        try (StoreLocks.Held held = store.lockerFor(dir).lock()) {
            sessions.existing(userId, sessionId);
            Path hist = StoreLayout.contextHistoryDir(dir);
            store.mkdirs(hist);
            List<Snapshot> existing = snapshots(dir);
            long next = existing.stream().mapToLong(Snapshot::order).max().orElse(0) + 1;
            String name = "context_" + STAMP.format(snapshot.capturedAt()) + "_" + String.format("%06d", next)
                    + ".json";
            store.write(hist.resolve(name), Json.context(snapshot));
            List<Snapshot> all = snapshots(dir);
            if (all.size() > keep) {
                for (Snapshot s : all.subList(keep, all.size())) {
                    AtomicFiles.deleteQuietly(s.file());
                }
                store.fsyncDirectory(hist);
            }
        }
    }

    @Override
    public List<SituationalContext> history(String userId, String sessionId, int limit) {
        store.checkOpen();
        return snapshots(sessions.existing(userId, sessionId)).stream().limit(limit).map(Snapshot::context)
                .toList();
    }
}
