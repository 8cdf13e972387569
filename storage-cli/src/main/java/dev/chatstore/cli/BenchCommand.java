package dev.chatstore.cli;

import dev.chatstore.bench.BenchRunner;
import dev.chatstore.bench.BenchSettings;
import dev.chatstore.bench.BenchmarkSuite;
import dev.chatstore.bench.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code chatstore bench}: runs the performance scenarios (CONTRACT §8) of the registered benchmark suites, each
 * beside its baseline, and prints a Markdown report (the source of BENCHMARKS.md) on stdout, with progress on
 * stderr. Exit code 0 even when a target is missed: the report says so; figures are evidence, not a test. A
 * scenario name that no suite has, or a {@code --scratch} that is not a directory, is a usage error before anything
 * runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the performance scenarios and print a Markdown report (progress goes to stderr)."})
final class BenchCommand extends StoreCommand {

    @Option(names = "--suite", paramLabel = "NAME",
            description = "Only this suite (in this jar: flatfile and migration; the jdbc suite runs from"
                    + " benchmarks-jdbc).")
    String suite;

    @Option(names = "--quick", description = "Small sizes (a smoke run), not the full ones.")
    boolean quick;

    @Option(names = "--scratch", paramLabel = "DIR", defaultValue = "bench-scratch",
            description = "A directory where the scenarios create their stores (default: ${DEFAULT-VALUE});"
                    + " use a real disk.")
    Path scratch;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "Scenario names to run (default: all).")
    List<String> scenarios = new ArrayList<>();

    @Override
    int run() {
        List<BenchmarkSuite> suites = BenchRunner.suites();
        List<String> available = suites.stream().map(BenchmarkSuite::name).toList();
        if (suite != null && !available.contains(suite)) {
            // Not every suite ships: the JDBC one (with its Spring AI baseline) has its own jar.
            throw new ParameterException(spec.commandLine(), "--suite '" + suite + "': no such suite in this jar"
                    + " (available: " + String.join(", ", available) + ")" + ("jdbc".equals(suite)
                    ? "; the JDBC suite runs from module benchmarks-jdbc:"
                    + " java -jar benchmarks-jdbc/target/chatstore-benchmarks-jdbc.jar" : ""));
        }
        BenchSettings settings = quick ? BenchSettings.quick() : BenchSettings.full();
        long selected = checkScenarioNames(suites, settings);
        checkScratch();
        try (Progress progress = Progress.start(root().environment().terminal(), root().environment().progressEvery(),
                err(), "bench", Progress.Unit.SCENARIOS, OptionalLong.of(selected))) {
            int missed = BenchRunner.run(suite, scenarios, settings, scratch, out(),
                    (index, count, suiteName, scenario) -> {
                        progress.detail(suiteName + "/" + scenario + ", " + (index + 1) + " of " + count);
                        progress.advanceTo(index);
                    });
            progress.advanceTo(selected);
            out().println(missed == 0 ? "All targets met." : missed + " target(s) not met (see above).");
            return ChatStoreCommand.EXIT_OK;
        } catch (IOException e) {
            throw new UncheckedIOException("benchmark scratch " + scratch + ": " + reason(e), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
        }
    }

    /**
     * Every name given must be a scenario of the chosen suites: a typo is an error, not an empty "all met" run.
     * Returns how many scenarios will run.
     */
    private long checkScenarioNames(List<BenchmarkSuite> suites, BenchSettings settings) {
        Set<String> known = new LinkedHashSet<>();
        for (BenchmarkSuite s : suites) {
            if (suite == null || s.name().equals(suite)) {
                s.scenarios(settings).stream().map(Scenario::name).forEach(known::add);
            }
        }
        List<String> unknown = scenarios.stream().filter(name -> !known.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new ParameterException(spec.commandLine(), (unknown.size() == 1 ? "no scenario '" : "no scenarios '")
                    + String.join("', '", unknown) + "' in " + (suite == null ? "the suites of this jar" : "suite "
                    + suite) + "; scenarios: " + String.join(", ", known));
        }
        return scenarios.isEmpty() ? known.size() : scenarios.stream().distinct().count();
    }

    private void checkScratch() {
        if (Files.exists(scratch) && !Files.isDirectory(scratch)) {
            throw new ParameterException(spec.commandLine(), "--scratch '" + scratch + "' is not a directory: name a"
                    + " directory (it is created if missing) where the scenarios may create their stores");
        }
    }
}
