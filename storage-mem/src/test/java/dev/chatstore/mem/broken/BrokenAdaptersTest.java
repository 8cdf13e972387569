package dev.chatstore.mem.broken;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * The kit's SPI-level contracts fail on deliberately broken adapters: each named test, run against the broken
 * variant of the mem backend, must fail (and passes against the real one in MemoryBackendTckTest).
 */
class BrokenAdaptersTest {

    @ParameterizedTest(name = "{0}#{1} fails")
    @CsvSource({
            "dev.chatstore.mem.broken.BrokenRestoreKit, portRestoreRefusesIdAtAnotherSeq",
            "dev.chatstore.mem.broken.BrokenRestoreKit, restoreRefusesIdCollisions",
            "dev.chatstore.mem.broken.BrokenOrderKit, documentsInCodePointOrder",
            "dev.chatstore.mem.broken.BrokenKeysetKit, keysetPagesInIdOrder",
    })
    @DisplayName("a contract fails on the adapter broken for it")
    void contractFailsOnBrokenAdapter(String kit, String test) {
        TestExecutionSummary summary = run(kit + "#" + test);
        assertThat(summary.getTestsFoundCount()).as("the contract test exists").isEqualTo(1);
        assertThat(summary.getTotalFailureCount()).as(kit + "#" + test + " must fail on the broken adapter")
                .isEqualTo(1);
    }

    private static TestExecutionSummary run(String methodName) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(methodName)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }
}
