package dev.chatstore.migration.live;

import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a verify found.
 *
 * @param startedAt  when the comparison began: every write acknowledged before it is covered
 * @param finishedAt when it ended
 * @param users      users compared (present on either side)
 * @param sessions   sessions compared
 * @param messages   messages compared (session and panel logs, source side)
 * @param panels     panels compared
 * @param findings   the differences that stayed after the re-checks
 * @param report     the JSONL file they were written to, if any
 */
public record VerifyReport(Instant startedAt, Instant finishedAt, long users, long sessions, long messages,
                           long panels, List<Finding> findings, Optional<Path> report) {

    /** Exit code of a clean verify. */
    public static final int EXIT_CLEAN = 0;
    /** Exit code of a verify that found differences. */
    public static final int EXIT_DIFFERENCES = 1;

    public VerifyReport {
        findings = List.copyOf(findings);
    }

    public boolean clean() {
        return findings.isEmpty();
    }

    /** {@link #EXIT_CLEAN} or {@link #EXIT_DIFFERENCES}, for a CI job. */
    public int exitCode() {
        return clean() ? EXIT_CLEAN : EXIT_DIFFERENCES;
    }

    /** One line per kind of finding, for people. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(clean() ? "verify: no differences" : "verify: " + findings.size() + " difference(s)")
                .append(" — compared ").append(users).append(" users, ").append(sessions).append(" sessions, ")
                .append(messages).append(" messages, ").append(panels).append(" panels in ")
                .append(Duration.between(startedAt, finishedAt).toMillis()).append(" ms");
        for (Finding.Kind kind : Finding.Kind.values()) {
            long n = findings.stream().filter(f -> f.kind() == kind).count();
            if (n > 0) {
                out.append("\n  ").append(kind.label()).append(": ").append(n);
            }
        }
        report.ifPresent(r -> out.append("\n  report: ").append(r));
        return out.toString();
    }

    /** The keys a JSONL report's findings point at, each once, in report order (what {@code repair} copies). */
    public static List<SyncKey> keysOf(Path reportFile) {
        Set<SyncKey> keys = new LinkedHashSet<>();
        long lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(reportFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject finding = JsonCodec.parseObject(line);
                    keys.add(SyncKey.fromJson((JsonObject) finding.members().get("key")));
                } catch (ValidationException | ClassCastException | NullPointerException e) {
                    throw new StorageCorruptionException(reportFile + " line " + lineNumber, -1,
                            "not a verify finding: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new StorageIOException("cannot read the verify report " + reportFile + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(keys);
    }
}
