package dev.chatstore.flatfile.internal;

import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.model.Session;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code check} says about an intact log beyond its bytes (issue 8): whether the counters of its owner
 * ({@code session.json}, {@code panel.json}) claim only what the log holds, whether it has an owner at all, and
 * which seqs are missing from it (the gaps salvage leaves) and where salvage put them. The log's own bytes are
 * checked by {@link StoreChecker} through {@link LogRecovery}.
 */
final class LogAudit {

    private LogAudit() {
    }

    /**
     * What a scan of an intact log found.
     *
     * @param records       how many records it holds
     * @param lastSeq       the seq of its last record (0 if none)
     * @param lastCreatedAt the createdAt of its last record, empty if none
     */
    record Facts(long records, long lastSeq, Optional<Instant> lastCreatedAt) {
    }

    /**
     * What recreating a log's missing owner file did.
     *
     * @param done whether the file was recreated
     * @param what what was recreated, or why nothing was
     */
    record Recovery(boolean done, String what) {
        static Recovery notDone(String why) {
            return new Recovery(false, "not recovered: " + why);
        }
    }

    /**
     * The disagreement between the owner's counters and its log, or empty if they agree (or the owner file is
     * missing or does not parse, which other findings report). The counters agree when {@code countersAtSeq} is not
     * past the log's last seq, {@code messageCount} equals {@code countersAtSeq} (so what the store derives is the
     * log's last seq) and, when nothing was appended since, {@code lastMessageAt} is the last record's createdAt.
     */
    static Optional<String> counters(Path owner, Facts log) {
        try {
            if (owner.getFileName().toString().equals(StoreLayout.PANEL_FILE)) {
                Optional<FlatfilePanels.PanelFile> p = FlatfileStore.read(owner, FlatfilePanels::decode);
                if (p.isEmpty() || p.get().countersAtSeq() <= log.lastSeq()) {
                    return Optional.empty();
                }
                return Optional.of(owner.getFileName() + " claims countersAtSeq " + p.get().countersAtSeq()
                        + ", but its log's last seq is " + log.lastSeq() + repairHint());
            }
            Optional<FlatfileSessions.SessionFile> f = FlatfileStore.read(owner, FlatfileSessions::decode);
            if (f.isEmpty()) {
                return Optional.empty();
            }
            Session s = f.get().base();
            long at = f.get().countersAtSeq();
            boolean agree = at <= log.lastSeq() && s.messageCount() == at
                    && (at < log.lastSeq() || s.lastMessageAt().equals(log.lastCreatedAt()));
            if (agree) {
                return Optional.empty();
            }
            return Optional.of(owner.getFileName() + " claims messageCount " + s.messageCount() + ", lastMessageAt "
                    + s.lastMessageAt().map(Instant::toString).orElse("null") + ", countersAtSeq " + at
                    + ", but its log holds " + log.records() + " record(s), last seq " + log.lastSeq()
                    + ", last createdAt " + log.lastCreatedAt().map(Instant::toString).orElse("null")
                    + repairHint());
        } catch (StorageException e) {
            return Optional.empty(); // the owner file itself is reported as damaged
        }
    }

    private static String repairHint() {
        return "; 'chatstore check --repair' rewrites the counters from the log";
    }

    /** What to say about a log whose owner file ({@code session.json} or {@code panel.json}) is missing. */
    static String orphan(Path ownerFile, Facts log) {
        String owner = ownerFile.getFileName().toString();
        if (log.records() == 0) {
            return "an empty log without " + owner + ": a create that was interrupted; nothing in it was ever"
                    + " visible, and creating it again replaces it";
        }
        return "a log of " + log.records() + " record(s) (last seq " + log.lastSeq() + ") without " + owner
                + ": its messages are not visible" + damagedOwner(ownerFile).map(d -> " (" + d + ")").orElse("")
                + "; 'chatstore check --salvage' recreates " + owner + " from the log";
    }

    /** Where salvage put a damaged owner file, and what to do with it; empty if nowhere. */
    static Optional<String> damagedOwner(Path ownerFile) {
        String owner = ownerFile.getFileName().toString();
        List<Path> aside = besides(ownerFile.getParent(), owner + StoreLayout.DAMAGED_INFIX);
        return aside.isEmpty() ? Optional.empty() : Optional.of("salvage moved the damaged " + owner + " to "
                + names(aside) + "; fix it and rename it over " + owner + " to get its title and settings back");
    }

    /**
     * The seqs missing from a log whose last seq is above its record count, as ranges {@code [first, last]}.
     * Reads the whole log.
     */
    static List<long[]> gaps(FileChannel log) throws IOException {
        List<long[]> gaps = new ArrayList<>();
        LogLines.Reader r = new LogLines.Reader(log, 0, log.size());
        long previous = 0;
        while (r.next()) {
            long s = r.complete ? LogLines.validSeq(r.lineBuf, r.lineOff, r.lineLen) : -1;
            if (s > previous + 1) {
                gaps.add(new long[]{previous + 1, s - 1});
            }
            previous = Math.max(previous, s);
        }
        return gaps;
    }

    /**
     * What {@code check} says about a gap.
     *
     * @param problem   which seqs are missing and where they went
     * @param explained whether a {@code messages.jsonl~damaged-<offset>} beside the log explains it (salvage moved
     *                  the records there); a gap nothing explains means records were removed by hand
     */
    record Gap(String problem, boolean explained) {
    }

    /**
     * What to say about a gap: which seqs are missing and which {@code messages.jsonl~damaged-<offset>} beside
     * the log holds them (a line starting with their seq), or that none does.
     */
    static Gap gap(Path logPath, long[] gap) {
        String which = gap[0] == gap[1] ? "seq " + gap[0] + " is" : "seqs " + gap[0] + " to " + gap[1] + " ("
                + (gap[1] - gap[0] + 1) + " records) are";
        List<Path> aside = besides(logPath.getParent(), StoreLayout.LOG + StoreLayout.DAMAGED_INFIX);
        List<Path> holding = aside.stream().filter(p -> holds(p, gap)).toList();
        if (!holding.isEmpty()) {
            return new Gap(which + " missing: salvage moved the damaged record(s) to " + names(holding)
                    + " (see FORMAT.md, 'Restoring a record salvage moved aside')", true);
        }
        if (!aside.isEmpty()) {
            return new Gap(which + " missing: salvage moved damaged bytes to " + names(aside) + " (their seq is no"
                    + " longer readable there; see FORMAT.md, 'Restoring a record salvage moved aside')", true);
        }
        return new Gap(which + " missing and no " + StoreLayout.LOG + StoreLayout.DAMAGED_INFIX
                + "<offset> beside the log holds it: the record(s) were removed from the log by hand", false);
    }

    /** Whether a set-aside file has a line that starts with one of the gap's seqs. */
    private static boolean holds(Path aside, long[] gap) {
        try {
            for (String line : Files.readAllLines(aside, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("{\"seq\":")) {
                    int end = line.indexOf(',');
                    String digits = line.substring(7, end < 0 ? line.length() : end);
                    if (digits.matches("[0-9]{1,18}")) {
                        long seq = Long.parseLong(digits);
                        if (seq >= gap[0] && seq <= gap[1]) {
                            return true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return false; // reported as unreadable by the checker's walk
        }
        return false;
    }

    /** The files in {@code dir} whose names start with {@code prefix}, sorted. */
    private static List<Path> besides(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String names(List<Path> files) {
        return String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList());
    }
}
