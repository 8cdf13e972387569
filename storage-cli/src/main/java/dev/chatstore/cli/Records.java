package dev.chatstore.cli;

import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;
import picocli.CommandLine.Help.Ansi;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Prints the records a command lists in the chosen {@link OutputFormat}. JSON and JSONL carry every field of each
 * record in full and are written as the records come (a long log is never held in memory); a table shows the cells
 * the command chose for a person (shortened text, short dates), aligned, under a header that is bold on a terminal.
 *
 * <p>Call {@link #add} per record, then {@link #close} (JSON closes its array, a table is printed).
 */
final class Records implements AutoCloseable {

    /** A table column: its header and whether it is right-aligned (numbers). */
    record Column(String header, boolean numeric) {

        static Column text(String header) {
            return new Column(header, false);
        }

        static Column number(String header) {
            return new Column(header, true);
        }
    }

    private final OutputFormat format;
    private final PrintWriter out;
    private final boolean colour;
    private final List<Column> columns;
    private final String none;
    private final List<Object[]> rows = new ArrayList<>();
    private long count;

    /**
     * @param none what a table says when there is no record, e.g. {@code "(no users)"}
     */
    Records(OutputFormat format, PrintWriter out, boolean colour, String none, Column... columns) {
        this.format = format;
        this.out = out;
        this.colour = colour;
        this.none = none;
        this.columns = List.of(columns);
        if (format == OutputFormat.JSON) {
            out.print('[');
        }
    }

    /** One record: its fields for JSON (see {@link #fields}) and its cells for a table, one per column. */
    void add(JsonObject record, Object... cells) {
        switch (format) {
            case JSON -> {
                out.print(count == 0 ? "\n" : ",\n");
                out.print(record.toJson());
            }
            case JSONL -> out.println(record.toJson());
            case TABLE -> {
                if (cells.length != columns.size()) {
                    throw new IllegalArgumentException("expected " + columns.size() + " cells, got " + cells.length);
                }
                rows.add(cells.clone());
            }
        }
        count++;
    }

    /** Rows that are not records (a total under a table); ignored by JSON and JSONL. */
    void addTableOnly(Object... cells) {
        if (format == OutputFormat.TABLE) {
            rows.add(cells.clone());
        }
    }

    long count() {
        return count;
    }

    @Override
    public void close() {
        switch (format) {
            case JSON -> out.println(count == 0 ? "]" : "\n]");
            case JSONL -> { }
            case TABLE -> printTable();
        }
        out.flush();
    }

    private void printTable() {
        if (count == 0) {
            out.println(none);
            return;
        }
        boolean[] numeric = new boolean[columns.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = columns.get(i).numeric();
        }
        TextTable table = new TextTable(numeric);
        table.row(columns.stream().map(Column::header).toArray());
        rows.forEach(table::row);
        StringWriter lines = new StringWriter();
        table.print(new PrintWriter(lines, true), "");
        String[] printed = lines.toString().split("\\R", -1);
        for (int i = 0; i < printed.length; i++) {
            if (i == printed.length - 1 && printed[i].isEmpty()) {
                break;
            }
            // The header is bold only on a terminal; padding is computed before, so columns stay aligned.
            out.println(i == 0 && colour ? Ansi.ON.string("@|bold " + printed[i] + "|@") : printed[i]);
        }
    }

    /** Prints one object (what {@code stats} or a summary describes): a JSON object for json and jsonl alike. */
    static void printObject(PrintWriter out, JsonObject object) {
        out.println(object.toJson());
        out.flush();
    }

    /**
     * A JSON object of alternating names and values, in that order. Values are converted for JSON: an
     * {@link Instant} becomes its ISO-8601 text, an empty {@link Optional} {@code null}, a present one its value.
     */
    static JsonObject fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], jsonValue(namesAndValues[i + 1]));
        }
        return JsonObject.from(map);
    }

    private static Object jsonValue(Object value) {
        if (value instanceof Optional<?> o) {
            return o.map(Records::jsonValue).orElse(null);
        }
        if (value instanceof OptionalLong o) {
            return o.isPresent() ? o.getAsLong() : null;
        }
        if (value instanceof OptionalInt o) {
            return o.isPresent() ? o.getAsInt() : null;
        }
        if (value instanceof OptionalDouble o) {
            return o.isPresent() ? o.getAsDouble() : null;
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        return value;
    }

    /** Compact JSON text of a value (for a test's eyes or a table cell holding JSON). */
    static String json(Object value) {
        StringBuilder text = new StringBuilder();
        JsonCodec.writeValue(text, jsonValue(value));
        return text.toString();
    }
}
