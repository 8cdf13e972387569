package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The persisted state of a migration ({@value #FILE} in its work directory, replaced atomically; every transition is
 * also appended to {@value #HISTORY}).
 *
 * @param phase          the current phase
 * @param since          when it was entered
 * @param epoch          incremented by every transition
 * @param operator       who made the last transition
 * @param lastBackfillAt when the last backfill finished
 * @param lastRepairAt   when the last repair finished
 * @param lastVerify     the last verify
 * @param cutoverAt      when the target became primary
 */
public record PhaseState(Phase phase, Instant since, long epoch, String operator, Optional<Instant> lastBackfillAt,
                         Optional<Instant> lastRepairAt, Optional<VerifyRecord> lastVerify,
                         Optional<Instant> cutoverAt) {

    public static final String FILE = "phase.json";
    public static final String HISTORY = "phase-history.jsonl";

    /**
     * A verify as the phase remembers it.
     *
     * @param startedAt  when it began: writes before it are covered
     * @param finishedAt when it ended
     * @param findings   how many differences it reported
     * @param report     its JSONL report
     */
    public record VerifyRecord(Instant startedAt, Instant finishedAt, long findings, String report) {
        public boolean clean() {
            return findings == 0;
        }
    }

    public PhaseState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(lastBackfillAt, "lastBackfillAt");
        Objects.requireNonNull(lastRepairAt, "lastRepairAt");
        Objects.requireNonNull(lastVerify, "lastVerify");
        Objects.requireNonNull(cutoverAt, "cutoverAt");
    }

    static PhaseState initial() {
        return new PhaseState(Phase.SOURCE_ONLY, Instant.EPOCH, 0, "", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    PhaseState moveTo(Phase next, String by, Instant at) {
        return new PhaseState(next, at, epoch + 1, by, lastBackfillAt, lastRepairAt, lastVerify,
                next == Phase.DUAL_WRITE_TARGET_PRIMARY ? Optional.of(at)
                        : next.ordinal() < Phase.DUAL_WRITE_TARGET_PRIMARY.ordinal() ? Optional.empty() : cutoverAt);
    }

    PhaseState backfilled(Instant at) {
        return new PhaseState(phase, since, epoch, operator, Optional.of(at), lastRepairAt, lastVerify, cutoverAt);
    }

    PhaseState repaired(Instant at) {
        return new PhaseState(phase, since, epoch, operator, lastBackfillAt, Optional.of(at), lastVerify, cutoverAt);
    }

    PhaseState verified(VerifyRecord record) {
        return new PhaseState(phase, since, epoch, operator, lastBackfillAt, lastRepairAt, Optional.of(record),
                cutoverAt);
    }

    /** The state in {@code dir}, or the initial state when there is none yet. */
    public static PhaseState read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return initial();
        }
        String text = AtomicFiles.read(file);
        try {
            Map<String, Object> m = JsonCodec.parseObject(text).members();
            Optional<VerifyRecord> verify = Optional.ofNullable((JsonObject) m.get("lastVerify")).map(v -> {
                Map<String, Object> x = v.members();
                return new VerifyRecord(Instant.parse((String) x.get("startedAt")),
                        Instant.parse((String) x.get("finishedAt")), (Long) x.get("findings"), (String) x.get("report"));
            });
            return new PhaseState(Phase.valueOf((String) m.get("phase")), Instant.parse((String) m.get("since")),
                    (Long) m.get("epoch"), (String) m.get("operator"), instant(m, "lastBackfillAt"),
                    instant(m, "lastRepairAt"), verify, instant(m, "cutoverAt"));
        } catch (RuntimeException e) {
            throw new StorageCorruptionException(file.toString(), 0, "unreadable migration phase file ("
                    + e.getMessage() + "); restore it from " + HISTORY, e);
        }
    }

    void write(Path dir, String transition) {
        String json = JsonCodec.write(JsonObject.from(toMap()));
        AtomicFiles.write(dir.resolve(FILE), json + "\n");
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", Instant.now().toString());
        entry.put("transition", transition);
        entry.put("state", JsonObject.from(toMap()));
        try {
            Files.writeString(dir.resolve(HISTORY), JsonCodec.write(JsonObject.from(entry)) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new dev.chatstore.api.error.StorageIOException("cannot append to " + dir.resolve(HISTORY) + ": "
                    + e.getMessage(), e);
        }
    }

    private Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase.name());
        m.put("since", since.toString());
        m.put("epoch", epoch);
        m.put("operator", operator);
        lastBackfillAt.ifPresent(t -> m.put("lastBackfillAt", t.toString()));
        lastRepairAt.ifPresent(t -> m.put("lastRepairAt", t.toString()));
        lastVerify.ifPresent(v -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("startedAt", v.startedAt().toString());
            x.put("finishedAt", v.finishedAt().toString());
            x.put("findings", v.findings());
            x.put("report", v.report());
            m.put("lastVerify", x);
        });
        cutoverAt.ifPresent(t -> m.put("cutoverAt", t.toString()));
        return m;
    }

    private static Optional<Instant> instant(Map<String, Object> m, String key) {
        return Optional.ofNullable((String) m.get(key)).map(Instant::parse);
    }
}
