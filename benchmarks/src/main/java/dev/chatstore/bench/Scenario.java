package dev.chatstore.bench;

/** One measured comparison: a measurement and its baseline, run in the same process on the same machine. */
public interface Scenario {

    /** Short name, e.g. {@code append-sync-vs-raw-fsync}. */
    String name();

    /** The CONTRACT §8 line it measures and its target, for the report. */
    String target();

    /** Runs the scenario and returns its figures. */
    Result run(Workspace workspace) throws Exception;
}
