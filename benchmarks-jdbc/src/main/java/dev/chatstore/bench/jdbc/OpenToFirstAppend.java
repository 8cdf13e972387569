package dev.chatstore.bench.jdbc;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold start as a new user meets it: a new JVM opens a store and appends its first message. For {@code file:},
 * SQLite and PostgreSQL, each run starts a child JVM on this class path that opens a fresh store
 * ({@code ChatStore.open}), creates a user and a session and appends one message, closes the store, then does the
 * same on a second fresh store in the same JVM; then a second child JVM does the same on the two stores the first
 * made (an application's restart: the store exists, the user too). Reported, as medians over the runs:
 * <ul>
 *   <li>process: from starting the child to its exit (JVM start, class loading, open, append, close, exit);</li>
 *   <li>JVM to main: the child's uptime when {@code main} began;</li>
 *   <li>open and first append: {@code ChatStore.open}, then user (if new) + session + the first append, in the
 *       child;</li>
 *   <li>again in the same JVM: open and first append of the second store (classes loaded, JIT warming).</li>
 * </ul>
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks-jdbc -am package -DskipTests
 * java -cp benchmarks-jdbc/target/chatstore-benchmarks-jdbc.jar dev.chatstore.bench.jdbc.OpenToFirstAppend \
 *     [--runs N] [--postgres URL] [--scratch DIR] [file|sqlite|postgresql ...]
 * </pre>
 *
 * Prints a Markdown table on stdout. Every store is made for the run and removed afterwards (temporary directories;
 * PostgreSQL schemas named {@code chatstore_bench_cold_...}, dropped).
 */
public final class OpenToFirstAppend {

    private static final String CHILD = "--child";
    private static final List<String> FIGURES = List.of("process", "jvm_to_main", "open", "first_append", "open_again",
            "first_append_again");

    private OpenToFirstAppend() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(CHILD)) {
            child(args[1], args[2]);
            return;
        }
        int runs = 5;
        String postgres = System.getProperty(JdbcSuite.POSTGRES_URL_PROPERTY, System.getenv()
                .getOrDefault(JdbcSuite.POSTGRES_URL_ENV, JdbcSuite.DEFAULT_POSTGRES_URL));
        Path scratch = null;
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--postgres" -> postgres = args[++i];
                case "--scratch" -> scratch = Path.of(args[++i]);
                default -> kinds.add(args[i]);
            }
        }
        if (kinds.isEmpty()) {
            kinds = List.of("file", "sqlite", "postgresql");
        }
        boolean temporary = scratch == null;
        Path root = temporary ? Files.createTempDirectory("chatstore-bench-cold") : scratch;
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        out.println("| backend | process | JVM to main | open | first append | open again | first append again |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        try {
            for (String kind : kinds) {
                Map<String, List<Double>> created = new LinkedHashMap<>();
                Map<String, List<Double>> reopened = new LinkedHashMap<>();
                for (int run = 0; run < runs; run++) {
                    List<Map<String, Double>> both = runChildren(kind, root, postgres, run);
                    both.get(0).forEach((k, v) -> created.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    both.get(1).forEach((k, v) -> reopened.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
                out.println(row(kind + ", new store", created));
                out.println(row(kind + ", existing store", reopened));
            }
            out.println();
            out.println("Medians of " + runs + " runs; Java " + System.getProperty("java.version") + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs.");
        } finally {
            if (temporary) {
                deleteTree(root);
            }
        }
    }

    private static String row(String label, Map<String, List<Double>> samples) {
        StringBuilder row = new StringBuilder("| " + label + " |");
        for (String figure : FIGURES) {
            row.append(String.format(Locale.ROOT, " %.0f ms |", median(samples.get(figure))));
        }
        return row.toString();
    }

    /**
     * Two child JVMs on the same two stores: the first creates them (a new user's first run), the second opens them
     * again (every later start of the application).
     */
    private static List<Map<String, Double>> runChildren(String kind, Path root, String postgres, int run)
            throws Exception {
        List<String> urls = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            String name = kind + "-" + run + "-" + n;
            switch (kind) {
                case "file" -> urls.add("file:" + root.resolve(name));
                case "sqlite" -> urls.add("jdbc:sqlite:" + root.resolve(name + ".db"));
                case "postgresql" -> {
                    String schema = "chatstore_bench_cold_" + ProcessHandle.current().pid() + "_" + run + "_" + n;
                    execute(postgres, "CREATE SCHEMA " + schema);
                    schemas.add(schema);
                    urls.add(postgres + (postgres.contains("?") ? "&" : "?") + "currentSchema=" + schema);
                }
                default -> throw new IllegalArgumentException("unknown backend " + kind + ": file, sqlite or postgresql");
            }
        }
        try {
            return List.of(runChild(kind, urls), runChild(kind, urls));
        } finally {
            for (String schema : schemas) {
                execute(postgres, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static Map<String, Double> runChild(String kind, List<String> urls) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                OpenToFirstAppend.class.getName(), CHILD, urls.get(0), urls.get(1));
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        int exit = child.waitFor();
        double process = (System.nanoTime() - started) / 1e6;
        if (exit != 0 || result == null) {
            throw new IllegalStateException(kind + ": the child JVM failed (exit " + exit + ")");
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("process", process);
        for (String kv : result.substring("RESULT ".length()).split(" ")) {
            String[] p = kv.split("=");
            figures.put(p[0], Double.parseDouble(p[1]));
        }
        return figures;
    }

    /** In the child JVM: two fresh stores, each opened and appended to once. */
    private static void child(String url, String secondUrl) {
        double jvmToMain = ManagementFactory.getRuntimeMXBean().getUptime();
        double[] first = openAndAppend(url);
        double[] second = openAndAppend(secondUrl);
        System.out.println(String.format(Locale.ROOT,
                "RESULT jvm_to_main=%.1f open=%.1f first_append=%.1f open_again=%.1f first_append_again=%.1f",
                jvmToMain, first[0], first[1], second[0], second[1]));
    }

    private static double[] openAndAppend(String url) {
        long t0 = System.nanoTime();
        try (ChatStore store = ChatStore.builder().config(ChatStoreConfig.isolated().url(url).build()).open()) {
            long t1 = System.nanoTime();
            if (store.users().get("alice").isEmpty()) {
                store.users().create("alice");
            }
            Session s = store.sessions().create("alice", "cold start");
            store.messages().append("alice", s.id(), NewMessage.user("hello"));
            long t2 = System.nanoTime();
            return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
