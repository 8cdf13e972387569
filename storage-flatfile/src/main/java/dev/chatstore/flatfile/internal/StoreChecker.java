package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Verifies a store file by file without changing it: every JSON file parses, every log record has its
 * checksum and a higher seq than the one before, every index equals the one the log implies, every document's
 * bytes match their size and SHA-256; and for every intact log ({@link LogAudit}) that its owner's counters claim
 * only what it holds, that it has an owner, and which seqs are missing from it. Each finding names the file and,
 * where it applies, the byte offset.
 */
public final class StoreChecker {

    /** One finding. {@code level}: ERROR (damage), WARNING (needs attention) or NOTE; the first two exit non-zero. */
    public record Finding(Path file, long offset, String problem, Level level, Kind kind) {
        /** Whether the finding is a problem (an error or a warning) rather than a note. */
        public boolean fatal() {
            return level != Level.NOTE;
        }

        @Override
        public String toString() {
            return level + " " + file + (offset >= 0 ? " @" + offset : "") + ": " + problem;
        }
    }

    /** How bad a finding is. */
    public enum Level { ERROR, WARNING, NOTE }

    /**
     * What --repair and --salvage can do about a finding: torn tails, indexes and counters are repaired, an orphaned
     * log is salvaged (its owner file recreated), the rest is reported.
     */
    public enum Kind { TORN_TAIL, INDEX, TEMP_FILE, CORRUPT, COUNTERS, ORPHANED_LOG, SEQ_GAP, OTHER }

    /** How to get past damage, named the way a person types it. */
    static final String SALVAGE_HINT = " 'chatstore check --salvage' (or opening with backend.salvage=true) moves"
            + " them aside, kept beside the log";

    private final Path root;
    private final StoreLayout layout;
    private final List<Finding> findings = new ArrayList<>();
    private long files;
    private long records;

    public StoreChecker(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.layout = new StoreLayout(this.root);
    }

    public List<Finding> findings() {
        return findings;
    }

    public long files() {
        return files;
    }

    public long records() {
        return records;
    }

    public StoreChecker run() {
        Path manifest = root.resolve("chatstore.json");
        if (!Files.isRegularFile(manifest)) {
            add(manifest, -1, "missing: this directory is not a Chatstore store", true, Kind.OTHER);
            return this;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            add(root, -1, FlatfileExceptionTranslator.message("walk", root, e), true, Kind.OTHER);
            return this;
        }
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (name.equals("store.lock")) {
                continue;
            }
            files++;
            if (name.startsWith(AtomicFiles.TMP_PREFIX)) {
                add(p, -1, "leftover temporary file of an interrupted write", false, Kind.TEMP_FILE);
            } else if (name.contains("~damaged-")) {
                add(p, -1, "damaged bytes moved aside by salvage mode; review and delete", false, Kind.OTHER);
            } else if (name.contains(StoreLayout.TORN_INFIX)) {
                add(p, -1, "the torn tail of an interrupted write, cut off by recovery; review and delete", false,
                        Kind.OTHER);
            } else if (name.endsWith(".json")) {
                checkJson(p);
            } else if (name.equals("messages.jsonl")) {
                checkLog(p);
            }
        }
        return this;
    }

    private void add(Path file, long offset, String problem, boolean fatal, Kind kind) {
        add(file, offset, problem, fatal ? Level.ERROR : Level.NOTE, kind);
    }

    private void add(Path file, long offset, String problem, Level level, Kind kind) {
        findings.add(new Finding(file, offset, problem, level, kind));
    }

    private Optional<ObjectNode> checkJson(Path p) {
        try {
            Optional<ObjectNode> n = Json.readFile(p);
            if (p.getFileName().toString().equals("metadata.json") && n.isPresent()) {
                checkDocuments(p.getParent(), n.get());
            }
            return n;
        } catch (StorageCorruptionException e) {
            add(p, e.offset().orElse(-1), e.getMessage(), true, Kind.CORRUPT);
        } catch (StorageException e) {
            add(p, -1, e.getMessage(), true, Kind.OTHER);
        }
        return Optional.empty();
    }

    private void checkDocuments(Path docs, ObjectNode meta) {
        for (JsonNode d : meta.path("documents")) {
            Path file = docs.resolve(d.path("file").asText()).normalize();
            if (!file.startsWith(docs) || !Files.isRegularFile(file)) {
                add(docs.resolve("metadata.json"), -1, "document '" + d.path("name").asText() + "' has no bytes at "
                        + file, true, Kind.CORRUPT);
                continue;
            }
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[65536];
                long size = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                    size += n;
                }
                String sha = HexFormat.of().formatHex(md.digest());
                if (size != d.path("size").asLong() || !sha.equals(d.path("sha256").asText())) {
                    add(file, -1, "bytes do not match the recorded size/sha256 of document '"
                            + d.path("name").asText() + "'", true, Kind.CORRUPT);
                }
            } catch (IOException | java.security.NoSuchAlgorithmException e) {
                add(file, -1, e instanceof IOException io ? FlatfileExceptionTranslator.message("read", file, io) : "cannot read: " + e.getMessage(), true, Kind.OTHER);
            }
        }
    }

    /** What an intact log says about its owner and its seqs ({@link LogAudit}). */
    private void audit(Path logPath, FileChannel log, LogAudit.Facts facts) throws IOException {
        Path owner = layout.ownerFile(logPath.getParent());
        if (!Files.exists(owner)) {
            add(logPath, -1, LogAudit.orphan(owner, facts), facts.records() > 0 ? Level.ERROR : Level.NOTE,
                    Kind.ORPHANED_LOG);
        } else {
            LogAudit.counters(owner, facts).ifPresent(problem -> add(owner, -1, problem, true, Kind.COUNTERS));
        }
        if (facts.records() < facts.lastSeq()) {
            for (long[] gap : LogAudit.gaps(log)) {
                LogAudit.Gap g = LogAudit.gap(logPath, gap);
                add(logPath, -1, g.problem(), g.explained() ? Level.NOTE : Level.WARNING, Kind.SEQ_GAP);
            }
        }
    }

    /** Checks a log the way opening it does ({@link LogRecovery}), then compares its offset index. */
    private void checkLog(Path logPath) {
        Path idxPath = StoreLayout.offsetIndexFile(logPath.getParent());
        String location = logPath.toString();
        try (FileChannel log = FileChannel.open(logPath, StandardOpenOption.READ)) {
            long size = log.size();
            LogRecovery.Scan first;
            try {
                first = LogRecovery.scan(log, 0, size, 0, Long.MIN_VALUE, location, false, true);
            } catch (StorageCorruptionException e) {
                add(logPath, e.offset().orElse(-1), "record has a valid checksum but unexpected content: "
                        + e.getMessage(), true, Kind.CORRUPT);
                return;
            }
            records += first.records();
            LogRecovery.Scan scan = first;
            while (scan.corrupt()) {
                if (!scan.intactAfter()) {
                    add(logPath, scan.damageStart(), "the last record(s) fail their checksum though their line is"
                            + " complete (" + (size - scan.damageStart()) + " bytes; not an interrupted write);"
                            + SALVAGE_HINT, true, Kind.CORRUPT);
                    break;
                }
                add(logPath, scan.damageStart(), "damaged record(s) before intact ones ("
                        + (scan.nextIntact() - scan.damageStart()) + " bytes);" + SALVAGE_HINT, true, Kind.CORRUPT);
                try {
                    scan = LogRecovery.scan(log, scan.nextIntact(), size, scan.lastSeq(), scan.maxCreatedAt(),
                            location, false, true);
                } catch (StorageCorruptionException e) {
                    add(logPath, e.offset().orElse(-1), "record has a valid checksum but unexpected content: "
                            + e.getMessage(), true, Kind.CORRUPT);
                    return;
                }
                records += scan.records();
            }
            if (scan.tornTail()) {
                add(logPath, scan.damageStart(), "torn tail of " + (size - scan.damageStart())
                        + " byte(s) (an interrupted write)", true, Kind.TORN_TAIL);
            }
            if (first.corrupt()) {
                return; // the index, counters and gaps are judged after the log is salvaged
            }
            Optional<Instant> lastAt = first.records() == 0 ? Optional.empty()
                    : Optional.of(Instant.ofEpochMilli(first.lastCreatedAt()));
            audit(logPath, log, new LogAudit.Facts(first.records(), first.lastSeq(), lastAt));
            byte[] actual = Files.exists(idxPath) ? Files.readAllBytes(idxPath) : new byte[0];
            byte[] want = first.entries().toArray();
            if (!java.util.Arrays.equals(actual, want)) {
                int n = Math.min(actual.length, want.length);
                long at = java.util.Arrays.mismatch(actual, want);
                if (at < 0 || at > n) {
                    at = n;
                }
                add(idxPath, at, "offset index disagrees with the log (entry " + at / OffsetIndex.ENTRY + "; "
                        + actual.length / OffsetIndex.ENTRY + " entries, log has " + want.length / OffsetIndex.ENTRY
                        + " records)", true, Kind.INDEX);
            }
        } catch (IOException e) {
            add(logPath, -1, FlatfileExceptionTranslator.message("read", logPath, e), true, Kind.OTHER);
        }
    }
}
