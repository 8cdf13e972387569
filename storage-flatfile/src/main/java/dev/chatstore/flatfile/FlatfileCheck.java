package dev.chatstore.flatfile;

import dev.chatstore.api.config.Durability;
import dev.chatstore.flatfile.internal.FileIo;
import dev.chatstore.flatfile.internal.FlatfileBackend;
import dev.chatstore.flatfile.internal.StoreChecker;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code chatstore check}: verifies every file of a flatfile store (JSON parses, log checksums and seqs, offset
 * indexes, document hashes) and, with {@code repair}, fixes what can be fixed without losing data: torn tails are
 * cut off, indexes are rebuilt from the logs, dead temporary files removed. Damage before a log's tail is never
 * "repaired" silently: it stays an error until the store is opened with {@code backend.salvage=true}.
 */
public final class FlatfileCheck {

    /**
     * What a check found.
     *
     * @param findings every finding, each as a line naming the file and offset
     * @param errors   how many are damage (non-zero exit)
     * @param files    files checked
     * @param records  log records checked
     * @param repaired findings that --repair fixed (empty without repair)
     */
    public record Report(List<String> findings, long errors, long files, long records, List<String> repaired) {
        public boolean ok() {
            return errors == 0;
        }
    }

    private FlatfileCheck() {
    }

    /** Checks (and with {@code repair}, repairs) the store at a {@code file:} URL. */
    public static Report run(String url, boolean repair) {
        return run(FlatfileBackendProvider.directory(url), repair);
    }

    public static Report run(Path dir, boolean repair) {
        StoreChecker first = new StoreChecker(dir).run();
        if (!repair) {
            return report(first, List.of());
        }
        List<String> repaired = new java.util.ArrayList<>();
        boolean damaged = first.findings().stream().anyMatch(f -> f.kind() == StoreChecker.Kind.CORRUPT);
        FlatfileBackend backend = FlatfileBackend.open(dir, FileIo.system(),
                new FlatfileBackend.Options(Durability.SYNC, 1000, false, 3, 30_000,
                        FlatfileBackend.VerifyOnOpen.NONE));
        try {
            for (StoreChecker.Finding f : first.findings()) {
                if (f.kind() == StoreChecker.Kind.TORN_TAIL || f.kind() == StoreChecker.Kind.INDEX) {
                    backend.repairLog(f.file().getParent());
                    repaired.add(f.toString());
                } else if (f.kind() == StoreChecker.Kind.TEMP_FILE) {
                    repaired.add(f.toString()); // removed by open if its writer is gone
                }
            }
            if (!damaged) {
                // derived: the session and search indexes of every user are deleted and built again
                backend.rebuildDerivedIndexes();
                repaired.add("rebuilt the session and search indexes of every user");
            }
        } finally {
            backend.close();
        }
        return report(new StoreChecker(dir).run(), repaired);
    }

    private static Report report(StoreChecker c, List<String> repaired) {
        return new Report(c.findings().stream().map(Object::toString).toList(),
                c.findings().stream().filter(StoreChecker.Finding::fatal).count(), c.files(), c.records(),
                List.copyOf(repaired));
    }
}
