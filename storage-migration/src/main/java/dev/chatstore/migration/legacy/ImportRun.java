package dev.chatstore.migration.legacy;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.migration.EntityCounts;
import dev.chatstore.migration.ImportOptions;
import dev.chatstore.migration.ImportProgress;
import dev.chatstore.migration.ImportSummary;
import dev.chatstore.migration.LegacyFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of one import run shared by the format readers: the writer, the report, the per-entity counts, the
 * checkpoint and the progress callback. Readers process their source in a fixed order of units (files) and call
 * {@link #recordDone} after each record, {@link #unitDone} after each unit.
 */
final class ImportRun implements AutoCloseable {

    static final String USER = "user";
    static final String SESSION = "session";
    static final String MESSAGE = "message";
    static final String PERSONA = "persona";
    static final String CREDENTIAL = "credential";
    static final String FILE = "file";

    private static final Logger LOG = LoggerFactory.getLogger(ImportRun.class);
    private static final long CHECKPOINT_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long PROGRESS_EVERY_NANOS = Duration.ofMillis(200).toNanos();

    final ChatStore store;
    final ChatStoreConfig config;
    final ImportOptions options;
    final LegacyFormat format;
    final Path root;
    final ImportWriter writer;
    private final ImportReport report;
    private final Optional<Path> checkpointFile;
    private final String identity;
    private final Optional<Checkpoint> resumeFrom;
    private final Map<String, long[]> counts = new TreeMap<>();
    private final long started = System.nanoTime();
    private long lastCheckpoint = System.nanoTime();
    private long lastProgress;
    private long bytesDone;
    private long bytesInFile;
    private long bytesTotal;
    private String currentFile = "";

    ImportRun(ChatStore store, LegacyFormat format, Path root, ImportOptions options) {
        this.store = store;
        this.config = store.config();
        this.options = options;
        this.format = format;
        this.root = root;
        this.writer = new ImportWriter(store, options.dryRun());
        this.identity = format.cliName() + " " + root.toAbsolutePath().normalize() + " user=" + options.defaultUserId();
        this.checkpointFile = options.dryRun() ? Optional.empty() : options.checkpoint();
        this.resumeFrom = checkpointFile.flatMap(f -> Checkpoint.load(f, identity));
        resumeFrom.ifPresent(c -> {
            LOG.info("resuming {} import at unit {} ({}), record {}", format.cliName(), c.unit(), c.unitName(), c.position());
            c.counts().forEach((k, v) -> counts.put(k, new long[]{v.imported(), v.skipped(), v.failed()}));
        });
        this.report = new ImportReport(options.report(), resumeFrom.map(Checkpoint::reportBytes).orElse(0L),
                resumeFrom.map(Checkpoint::reportLines).orElse(0L));
    }

    boolean resumed() {
        return resumeFrom.isPresent();
    }

    /**
     * Where to start in unit {@code unit}: -1 if a checkpoint says it is done, else the number of its records
     * already done (0 for a unit not reached).
     */
    long startOf(int unit) {
        if (resumeFrom.isEmpty()) {
            return 0;
        }
        Checkpoint c = resumeFrom.get();
        if (unit < c.unit()) {
            return -1;
        }
        return unit == c.unit() ? c.position() : 0;
    }

    // ---- counting and reporting ------------------------------------------------------------------------------

    void imported(String entity, long n) {
        counts.computeIfAbsent(entity, k -> new long[3])[0] += n;
    }

    void imported(String entity) {
        imported(entity, 1);
    }

    /** A record (or {@code n} records under it) rejected because of the source; reported once. */
    void skipped(String entity, long n, Finding finding) {
        counts.computeIfAbsent(entity, k -> new long[3])[1] += n;
        report.add(finding);
    }

    void skipped(Finding finding) {
        skipped(finding.entity(), 1, finding);
    }

    /** Records the store refused, or source data that could not be read; reported once. */
    void failed(String entity, long n, Finding finding) {
        counts.computeIfAbsent(entity, k -> new long[3])[2] += n;
        report.add(finding);
    }

    /** Counts {@code n} more failed records without another report line (their reason is already reported). */
    void failedQuietly(String entity, long n) {
        counts.computeIfAbsent(entity, k -> new long[3])[2] += n;
    }

    void skippedQuietly(String entity, long n) {
        counts.computeIfAbsent(entity, k -> new long[3])[1] += n;
    }

    /** A finding that changes no count (an ID mapped, a superseded duplicate counted elsewhere, a warning). */
    void note(Finding finding) {
        report.add(finding);
    }

    long count(String entity, int which) {
        long[] c = counts.get(entity);
        return c == null ? 0 : c[which];
    }

    // ---- checkpoints and progress ----------------------------------------------------------------------------

    /** The reader finished record {@code position - 1} of {@code unit}; saves a checkpoint now and then. */
    void recordDone(int unit, String unitName, long position) {
        long now = System.nanoTime();
        if (checkpointFile.isPresent() && now - lastCheckpoint >= CHECKPOINT_EVERY_NANOS) {
            save(unit, unitName, position, false);
        }
        progress(false);
    }

    /**
     * Progress inside a unit that is redone whole when a run resumes in it (a JsonStore chat log): no checkpoint,
     * since one taken now would count findings the redo writes again.
     */
    void tick() {
        progress(false);
    }

    /** Unit {@code unit} is complete: a checkpoint now and then says the next run starts at the next unit. */
    void unitDone(int unit, String unitName) {
        bytesDone += bytesInFile;
        bytesInFile = 0;
        if (checkpointFile.isPresent() && System.nanoTime() - lastCheckpoint >= CHECKPOINT_EVERY_NANOS) {
            save(unit + 1, "after " + unitName, 0, false);
        }
        progress(false);
    }

    private void save(int unit, String unitName, long position, boolean complete) {
        long bytes = report.flush();
        new Checkpoint(identity, unit, unitName, position, bytes, report.lines(), snapshot(), complete)
                .save(checkpointFile.get());
        lastCheckpoint = System.nanoTime();
    }

    void startFile(String relativeName, long size) {
        currentFile = relativeName;
        bytesInFile = 0;
        progress(false);
    }

    void bytesInFile(long bytes) {
        bytesInFile = bytes;
    }

    void totalBytes(long total) {
        bytesTotal = total;
    }

    private void progress(boolean finished) {
        long now = System.nanoTime();
        if (!finished && now - lastProgress < PROGRESS_EVERY_NANOS) {
            return;
        }
        lastProgress = now;
        long rejected = 0;
        for (long[] c : counts.values()) {
            rejected += c[1] + c[2];
        }
        options.progress().onProgress(new ImportProgress(currentFile, bytesDone + bytesInFile, bytesTotal,
                count(SESSION, 0), count(MESSAGE, 0), rejected, Duration.ofNanos(now - started), finished));
    }

    private Map<String, EntityCounts> snapshot() {
        Map<String, EntityCounts> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, new EntityCounts(v[0], v[1], v[2])));
        return out;
    }

    /** Ends the run: marks the checkpoint complete and returns the summary. */
    ImportSummary finish() {
        if (checkpointFile.isPresent()) {
            save(Integer.MAX_VALUE, "complete", 0, true);
        }
        report.flush();
        progress(true);
        ImportSummary summary = new ImportSummary(format, snapshot(), report.lines(), options.dryRun(), resumed());
        LOG.info("import finished: {}", summary.describe());
        return summary;
    }

    @Override
    public void close() {
        report.close();
    }
}
