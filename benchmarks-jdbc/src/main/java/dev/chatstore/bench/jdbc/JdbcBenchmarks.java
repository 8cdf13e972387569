package dev.chatstore.bench.jdbc;

import dev.chatstore.bench.BenchRunner;
import dev.chatstore.bench.BenchSettings;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the {@code jdbc} suite ({@link JdbcSuite}) with the shared harness and prints its Markdown report on stdout,
 * as {@code chatstore bench} does for the suites in the CLI's jar. The JDBC suite is not in that jar (its Spring AI
 * baseline must not ship), so this is its entry point, the main class of {@code chatstore-benchmarks-jdbc.jar}:
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks-jdbc -am package -DskipTests
 * java -jar benchmarks-jdbc/target/chatstore-benchmarks-jdbc.jar [--quick] [--postgres URL] [--scratch DIR] [SCENARIO...]
 * </pre>
 *
 * <p>Exit code 0 even when a target is missed (the report says so), 2 for a malformed command line.
 */
public final class JdbcBenchmarks {

    private static final String USAGE = """
            Usage: java -jar chatstore-benchmarks-jdbc.jar [--quick] [--postgres URL] [--scratch DIR] [--suite NAME] \
            [SCENARIO...]
              --quick          small sizes (a smoke run), not the SPEC's
              --postgres URL   the PostgreSQL to measure on (default: -Dchatstore.bench.postgres-url,
                               CHATSTORE_BENCH_POSTGRES_URL, else jdbc:postgresql://127.0.0.1:5432/test?user=postgres);
                               every scenario gets its own schema, dropped afterwards
              --scratch DIR    where the SQLite files go (default: a new temporary directory); use a real disk
              --suite NAME     the suite to run (default: jdbc)
              SCENARIO         scenario names to run (default: all), e.g. sqlite-append-vs-raw-insert
            """;

    private JdbcBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        boolean quick = false;
        String suite = "jdbc";
        Path scratch = null;
        List<String> scenarios = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--postgres", "--scratch", "--suite" -> {
                    if (i + 1 >= args.length) {
                        usageError(arg + " needs a value");
                        return;
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--postgres" -> System.setProperty(JdbcSuite.POSTGRES_URL_PROPERTY, value);
                        case "--scratch" -> scratch = Path.of(value);
                        default -> suite = value;
                    }
                }
                case "-h", "--help" -> {
                    out.print(USAGE);
                    out.flush();
                    return;
                }
                default -> {
                    if (arg.startsWith("-")) {
                        usageError("unknown option " + arg);
                        return;
                    }
                    scenarios.add(arg);
                }
            }
        }
        boolean temporary = scratch == null;
        if (temporary) {
            scratch = Files.createTempDirectory("chatstore-bench-jdbc");
        }
        int missed = BenchRunner.run(suite, scenarios, quick ? BenchSettings.quick() : BenchSettings.full(), scratch,
                out);
        if (temporary) {
            Files.deleteIfExists(scratch); // each scenario's workspace inside it is already gone
        }
        out.println(missed == 0 ? "All targets met." : missed + " target(s) not met (see above).");
        out.flush();
    }

    private static void usageError(String message) {
        System.err.print("error: " + message + "\n" + USAGE);
        System.exit(2);
    }
}
