package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.model.HealthReport;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** TCK group: health. An open store is reachable and writable, and probing it changes nothing a caller can see. */
public abstract class HealthContract extends TckSupport {

    @Test
    @DisplayName("An open store is reachable and writable")
    void openStoreIsHealthy() {
        HealthReport report = store.health();

        assertThat(report.reachable()).isTrue();
        assertThat(report.writable()).isTrue();
        assertThat(report.healthy()).isTrue();
    }

    @Test
    @DisplayName("The report names the backend, and its latency and size are never negative")
    void reportFieldsAreSane() {
        HealthReport report = store.health();

        assertThat(report.backend()).isNotBlank();
        assertThat(report.latency()).isGreaterThanOrEqualTo(Duration.ZERO);
        report.sizeBytes().ifPresent(size -> assertThat(size).isNotNegative());
    }

    @Test
    @DisplayName("Probing health changes nothing a caller can see, on an empty and on a filled store")
    void probeChangesNothing() {
        store.health();
        assertThat(store.users().count()).isZero();
        assertThat(exportBody(store)).isEmpty();

        Session s = userWithSession("health-user");
        appendMany(s, 3);
        String before = exportBody(store);
        for (int i = 0; i < 3; i++) {
            assertThat(store.health().healthy()).isTrue();
        }

        assertThat(exportBody(store)).isEqualTo(before);
        assertThat(store.users().count()).isEqualTo(1);
        assertThat(store.messages().count("health-user", s.id())).isEqualTo(3);
    }

    @Test
    @DisplayName("A closed store does not report itself healthy (it may also refuse with a StorageException)")
    void closedStoreIsNotHealthy() {
        ChatStore other = open(b -> { });
        other.close();

        HealthReport report;
        try {
            report = other.health();
        } catch (StorageException refused) {
            return;
        }
        assertThat(report.healthy()).isFalse();
    }
}
