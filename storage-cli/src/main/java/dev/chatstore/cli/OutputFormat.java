package dev.chatstore.cli;

import java.util.Locale;

/**
 * How a command prints data: aligned columns for a person, or JSON for a program. Chosen with {@code --format};
 * without it, {@link #TABLE} on a terminal and {@link #JSONL} otherwise (a pipe, a file, a script).
 */
enum OutputFormat {

    /** Aligned columns with a header line; long text is shortened to fit. */
    TABLE,
    /** One JSON document: an array of records (or the one object a command describes), every field in full. */
    JSON,
    /** One JSON object per line (NDJSON), every field in full: for {@code jq}, {@code grep} and line-by-line tools. */
    JSONL;

    /** The name {@code --format} takes. */
    String option() {
        return name().toLowerCase(Locale.ROOT);
    }
}
