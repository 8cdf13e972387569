package dev.chatstore.cli;

import dev.chatstore.bench.BenchRunner;
import dev.chatstore.bench.BenchSettings;
import dev.chatstore.bench.BenchmarkSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code chatstore bench}: runs the SPEC §8 scenarios of the registered benchmark suites, each beside its
 * baseline, and prints a Markdown report (the source of BENCHMARKS.md). Exit code 0 even when a target is
 * missed: the report says so; figures are evidence, not a test.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the performance scenarios (SPEC §8) and print a Markdown report.")
final class BenchCommand extends StoreCommand {

    @Option(names = "--suite", paramLabel = "NAME",
            description = "Only this suite (in this jar: flatfile; the jdbc suite runs from benchmarks-jdbc).")
    String suite;

    @Option(names = "--quick", description = "Small sizes (a smoke run), not the SPEC's.")
    boolean quick;

    @Option(names = "--scratch", paramLabel = "DIR", defaultValue = "bench-scratch",
            description = "Where the scenarios create their stores (default: ${DEFAULT-VALUE}); use a real disk.")
    Path scratch;

    @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "Scenario names to run (default: all).")
    List<String> scenarios = new ArrayList<>();

    @Override
    int run() {
        List<String> available = BenchRunner.suites().stream().map(BenchmarkSuite::name).toList();
        if (suite != null && !available.contains(suite)) {
            // Not every suite ships: the JDBC one (with its Spring AI baseline) has its own jar.
            throw new ParameterException(spec.commandLine(), "--suite '" + suite + "': no such suite in this jar"
                    + " (available: " + String.join(", ", available) + ")" + ("jdbc".equals(suite)
                    ? "; the JDBC suite runs from module benchmarks-jdbc:"
                    + " java -jar benchmarks-jdbc/target/chatstore-benchmarks-jdbc.jar" : ""));
        }
        try {
            int missed = BenchRunner.run(suite, scenarios, quick ? BenchSettings.quick() : BenchSettings.full(),
                    scratch, out());
            out().println(missed == 0 ? "All targets met." : missed + " target(s) not met (see above).");
            return ChatStoreCommand.EXIT_OK;
        } catch (Exception e) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("benchmark failed: " + e.getMessage(), e);
        }
    }
}
