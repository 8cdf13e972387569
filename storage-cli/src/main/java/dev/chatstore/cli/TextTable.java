package dev.chatstore.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows printed in aligned columns: text left-aligned, columns marked numeric right-aligned. */
final class TextTable {

    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    /** A table whose columns are numeric where {@code numeric} says so (its length is the column count). */
    TextTable(boolean... numeric) {
        this.numeric = numeric.clone();
    }

    TextTable row(Object... cells) {
        if (cells.length != numeric.length) {
            throw new IllegalArgumentException("expected " + numeric.length + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
        return this;
    }

    void print(PrintWriter out, String indent) {
        int[] widths = new int[numeric.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(numeric[i] ? pad + row[i] : row[i] + (i == row.length - 1 ? "" : pad));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
