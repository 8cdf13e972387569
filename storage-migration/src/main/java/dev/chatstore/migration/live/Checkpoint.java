package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How far a backfill got, replaced atomically as it advances so a killed run resumes after the last session it
 * finished. Everything up to the position is copied; what comes after is copied again (idempotently) on resume.
 *
 * @param fingerprint    the configuration it belongs to (see {@link BackfillOptions#fingerprint()})
 * @param stage          the stage in progress
 * @param userAfter      in {@link Backfill.Stage#USERS}: the last user finished ({@code ""} for none)
 * @param userId         in {@link Backfill.Stage#USERS}: the user in progress ({@code ""} for none)
 * @param sessionId      the last session of {@code userId} finished ({@code ""} for none)
 * @param panelId        in {@link Backfill.Stage#PANELS}: the last panel finished ({@code ""} for none)
 * @param users          users finished
 * @param sessions       sessions finished
 * @param messages       messages copied or found copied
 * @param records        records copied or found copied, messages included
 * @param startedAt      when the first run began
 * @param updatedAt      when this was written
 */
public record Checkpoint(String fingerprint, Backfill.Stage stage, String userAfter, String userId, String sessionId, String panelId,
                         long users, long sessions, long messages, long records, Instant startedAt, Instant updatedAt) {

    public Checkpoint {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(userAfter, "userAfter");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(panelId, "panelId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    static Checkpoint start(String fingerprint, Instant now) {
        return new Checkpoint(fingerprint, Backfill.Stage.GLOBAL_PERSONAS, "", "", "", "", 0, 0, 0, 0, now, now);
    }

    /** The checkpoint in {@code file}, if the file exists. */
    public static Optional<Checkpoint> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = AtomicFiles.read(file);
        try {
            Map<String, Object> m = JsonCodec.parseObject(text).members();
            return Optional.of(new Checkpoint((String) m.get("fingerprint"),
                    Backfill.Stage.valueOf((String) m.get("stage")), (String) m.get("userAfter"), (String) m.get("userId"),
                    (String) m.get("sessionId"), (String) m.get("panelId"), (Long) m.get("users"),
                    (Long) m.get("sessions"), (Long) m.get("messages"), (Long) m.get("records"),
                    Instant.parse((String) m.get("startedAt")), Instant.parse((String) m.get("updatedAt"))));
        } catch (RuntimeException e) {
            throw new StorageCorruptionException(file.toString(), 0, "unreadable backfill checkpoint ("
                    + e.getMessage() + "); delete it to start the backfill over", e);
        }
    }

    void write(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", fingerprint);
        m.put("stage", stage.name());
        m.put("userAfter", userAfter);
        m.put("userId", userId);
        m.put("sessionId", sessionId);
        m.put("panelId", panelId);
        m.put("users", users);
        m.put("sessions", sessions);
        m.put("messages", messages);
        m.put("records", records);
        m.put("startedAt", startedAt.toString());
        m.put("updatedAt", updatedAt.toString());
        AtomicFiles.write(file, JsonCodec.write(JsonObject.from(m)) + "\n");
    }
}
