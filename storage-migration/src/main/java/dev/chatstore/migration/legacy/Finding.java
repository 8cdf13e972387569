package dev.chatstore.migration.legacy;

/**
 * One line of the import report: a record that was skipped, failed, superseded or imported under a mapped ID.
 *
 * @param file    the source file, relative to the source root
 * @param line    the 1-based line in that file where the record starts (0 if unknown)
 * @param path    the JSON path of the record inside the file, e.g. {@code $[12].messages[3]} (empty for JSONL)
 * @param entity  user, session, message, persona, credential or file
 * @param id      the record's legacy ID as found (printable form), empty if it has none
 * @param outcome {@code skipped}, {@code failed}, {@code superseded} or {@code mapped}
 * @param reason  what was wrong, and what the importer did
 */
record Finding(String file, long line, String path, String entity, String id, String outcome, String reason) {

    static final String SKIPPED = "skipped";
    static final String FAILED = "failed";
    static final String SUPERSEDED = "superseded";
    static final String MAPPED = "mapped";
}
