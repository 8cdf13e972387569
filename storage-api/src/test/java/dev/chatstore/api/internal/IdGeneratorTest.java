package dev.chatstore.api.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class IdGeneratorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T13:30:00.123Z");
    private static final Pattern CROCKFORD_ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private final IdGenerator ids = new IdGenerator();

    @Test
    void sessionIdsKeepTheSeedFormat() {
        String id = ids.sessionId(NOW);
        assertThat(id).matches("chat_session_20261122_133000_[0-9a-hjkmnp-tv-z]{10}");
        assertThat(Validator.ID.matcher(id).matches()).as("a valid ID").isTrue();
    }

    @Test
    void panelAndInsightIdsKeepTheSeedFormat() {
        assertThat(ids.panelId(NOW)).matches("panel_20261122_133000_[0-9a-hjkmnp-tv-z]{10}");
        assertThat(ids.insightId(NOW)).matches("insight_20261122_133000_[0-9a-hjkmnp-tv-z]{10}");
        assertThat(Validator.ID.matcher(ids.panelId(NOW)).matches()).isTrue();
    }

    @Test
    void stampsAreUtc() {
        assertThat(ids.sessionId(Instant.parse("2026-01-01T00:00:00Z"))).startsWith("chat_session_20260101_000000_");
        assertThat(ids.panelId(Instant.parse("2025-12-31T23:59:59.999Z"))).startsWith("panel_20251231_235959_");
    }

    @Test
    void tenThousandIdsInTheSameSecondAreDistinct() {
        Set<String> sessions = new HashSet<>();
        Set<String> panels = new HashSet<>();
        Set<String> messages = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            sessions.add(ids.sessionId(NOW));
            panels.add(ids.panelId(NOW));
            messages.add(ids.messageId(NOW));
        }
        assertThat(sessions).hasSize(10_000);
        assertThat(panels).hasSize(10_000);
        assertThat(messages).hasSize(10_000);
    }

    @Test
    void messageIdsAreUlids() {
        String id = ids.messageId(NOW);
        assertThat(id).hasSize(26).matches(CROCKFORD_ULID);
        assertThat(decodeTime(id)).isEqualTo(NOW.toEpochMilli());
        assertThat(decodeTime(new IdGenerator().messageId(Instant.EPOCH))).isZero();
        assertThat(ids.messageId(Instant.parse("9999-12-31T23:59:59.999Z"))).matches(CROCKFORD_ULID);
    }

    @Test
    void messageIdsAreMonotonicWithinOneMillisecond() {
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.messageId(NOW));
        }
        List<String> sorted = new ArrayList<>(generated);
        sorted.sort(null);
        assertThat(sorted).isEqualTo(generated);
        assertThat(new HashSet<>(generated)).hasSize(generated.size());
        assertThat(generated).allSatisfy(id -> assertThat(decodeTime(id)).isEqualTo(NOW.toEpochMilli()));
    }

    @Test
    void messageIdsStayOrderedAcrossMillisecondsAndWhenTheClockGoesBack() {
        List<String> generated = new ArrayList<>();
        generated.add(ids.messageId(NOW));
        generated.add(ids.messageId(NOW.plusMillis(1)));
        generated.add(ids.messageId(NOW)); // clock stepped back
        generated.add(ids.messageId(NOW.minusSeconds(60)));
        generated.add(ids.messageId(NOW.plusMillis(2)));
        List<String> sorted = new ArrayList<>(generated);
        sorted.sort(null);
        assertThat(sorted).isEqualTo(generated);
    }

    @Test
    void messageIdsAreDistinctAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Set<String> all = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2_500; i++) {
                        all.add(ids.messageId(NOW));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(all).hasSize(10_000);
    }

    @Test
    void twoGeneratorsDoNotCollide() {
        IdGenerator other = new IdGenerator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertThat(seen.add(ids.messageId(NOW))).isTrue();
            assertThat(seen.add(other.messageId(NOW))).isTrue();
        }
    }

    private static long decodeTime(String ulid) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | CROCKFORD.indexOf(ulid.charAt(i));
        }
        return millis;
    }
}
