package dev.chatstore.bench;

import java.util.List;

/**
 * A family of scenarios for one backend, registered in
 * {@code META-INF/services/dev.chatstore.bench.BenchmarkSuite} (flatfile here; JDBC adds its own).
 */
public interface BenchmarkSuite {

    /** Short name used to select the suite, e.g. {@code flatfile}. */
    String name();

    /** The scenarios, in the order they run. */
    List<Scenario> scenarios(BenchSettings settings);
}
