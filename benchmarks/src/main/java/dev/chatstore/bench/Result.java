package dev.chatstore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one scenario: named rows (the measurement, its baseline, others for context), the ratio the
 * docs/CONTRACT.md §8 states a target for, and whether it was met.
 */
public final class Result {

    private final List<String[]> rows = new ArrayList<>();
    private String ratio = "";
    private Boolean met;
    private final List<String> notes = new ArrayList<>();

    public Result row(String what, String figure) {
        rows.add(new String[]{what, figure});
        return this;
    }

    public Result ratio(String description, double value, boolean targetMet) {
        this.ratio = description + " = " + String.format(Locale.ROOT, "%.2f", value);
        this.met = targetMet;
        return this;
    }

    public Result note(String text) {
        notes.add(text);
        return this;
    }

    public List<String[]> rows() {
        return rows;
    }

    public String ratio() {
        return ratio;
    }

    /** Whether the target was met; null when the scenario has no pass/fail target. */
    public Boolean met() {
        return met;
    }

    public List<String> notes() {
        return notes;
    }
}
