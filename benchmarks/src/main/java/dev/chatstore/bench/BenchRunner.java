package dev.chatstore.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Runs the registered suites' scenarios and prints a Markdown report (for BENCHMARKS.md). This is what
 * {@code chatstore bench} calls; timings are reported, never asserted.
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    /** Every suite on the class path. */
    public static List<BenchmarkSuite> suites() {
        List<BenchmarkSuite> out = new ArrayList<>();
        ServiceLoader.load(BenchmarkSuite.class, BenchRunner.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /** Told before each scenario starts, e.g. to show progress; {@code index} counts from 0 over the selection. */
    @FunctionalInterface
    public interface Listener {
        void starting(int index, int selected, String suite, String scenario);
    }

    /** {@link #run(String, List, BenchSettings, Path, PrintWriter, Listener)} without a listener. */
    public static int run(String suiteName, List<String> only, BenchSettings settings, Path scratch, PrintWriter out)
            throws Exception {
        return run(suiteName, only, settings, scratch, out, (index, selected, suite, scenario) -> { });
    }

    /**
     * @param suiteName  a suite name, or null for all
     * @param only       scenario names to run, or empty for all
     * @param settings   sizes
     * @param scratch    where scenarios create their stores (use a real disk, not tmpfs)
     * @param listener   told before each scenario starts
     * @return how many scenarios missed their target
     */
    public static int run(String suiteName, List<String> only, BenchSettings settings, Path scratch, PrintWriter out,
                          Listener listener) throws Exception {
        int missed = 0;
        int selected = 0;
        for (BenchmarkSuite suite : suites()) {
            if (suiteName == null || suite.name().equals(suiteName)) {
                selected += (int) suite.scenarios(settings).stream()
                        .filter(s -> only.isEmpty() || only.contains(s.name())).count();
            }
        }
        int index = 0;
        for (BenchmarkSuite suite : suites()) {
            if (suiteName != null && !suite.name().equals(suiteName)) {
                continue;
            }
            out.println("### " + suite.name());
            out.println();
            for (Scenario s : suite.scenarios(settings)) {
                if (!only.isEmpty() && !only.contains(s.name())) {
                    continue;
                }
                listener.starting(index++, selected, suite.name(), s.name());
                Result r;
                try (Workspace w = new Workspace(scratch, s.name())) {
                    r = s.run(w);
                }
                out.println("#### " + s.name());
                out.println();
                out.println("Target: " + s.target());
                out.println();
                out.println("| measurement | figure |");
                out.println("|---|---|");
                for (String[] row : r.rows()) {
                    out.println("| " + row[0] + " | " + row[1] + " |");
                }
                out.println();
                if (!r.ratio().isEmpty()) {
                    out.println("**" + r.ratio() + "** — " + (r.met() == null ? "no target"
                            : r.met() ? "target met" : "**target NOT met**"));
                    out.println();
                    if (Boolean.FALSE.equals(r.met())) {
                        missed++;
                    }
                }
                for (String n : r.notes()) {
                    out.println("- " + n);
                }
                if (!r.notes().isEmpty()) {
                    out.println();
                }
                out.flush();
            }
        }
        return missed;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
