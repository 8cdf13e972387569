package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageReport;
import dev.chatstore.api.model.UsageTotals;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: usage. Token and cost totals for a user or a session, grouped by (model, provider, currency), over
 * {@code [from, to)}, with exact decimal sums and no mixing of currencies.
 */
public abstract class UsageContract extends TckSupport {

    private static NewMessage reply(String model, String provider, long in, long out, String cost, String currency) {
        return NewMessage.assistant("reply").withModel(model).withProvider(provider)
                .withUsage(new Usage(in, out, new BigDecimal(cost), currency));
    }

    private static UsageTotals totals(String model, String provider, String currency, long messages, long in, long out,
                                      String cost) {
        return new UsageTotals(Optional.ofNullable(model), Optional.ofNullable(provider), currency, messages, in, out,
                new BigDecimal(cost));
    }

    private void append(Session s, NewMessage... messages) {
        for (NewMessage m : messages) {
            store.messages().append(s.userId(), s.id(), m);
        }
    }

    @Test
    @DisplayName("A session's usage is totalled per (model, provider, currency); messages without usage are left out")
    void sessionTotalsAreGrouped() {
        Session s = userWithSession("usage-alice");
        append(s,
                NewMessage.user("question without usage"),
                reply("gpt-4o", "openai", 100, 200, "0.1", "USD"),
                reply("gpt-4o", "openai", 10, 20, "0.2", "USD"),
                reply("claude-3", "anthropic", 5, 7, "0.05", "USD"),
                reply("gpt-4o", "openai", 1, 2, "0.3", "EUR"),
                reply("gpt-4o", "azure", 3, 4, "0.4", "USD"),
                NewMessage.assistant("reply without usage").withModel("gpt-4o").withProvider("openai"));

        UsageReport report = store.usage().forSession("usage-alice", s.id());

        assertThat(report.groups()).containsExactly(
                totals("claude-3", "anthropic", "USD", 1, 5, 7, "0.05"),
                totals("gpt-4o", "azure", "USD", 1, 3, 4, "0.4"),
                totals("gpt-4o", "openai", "EUR", 1, 1, 2, "0.3"),
                totals("gpt-4o", "openai", "USD", 2, 110, 220, "0.3"));
        assertThat(report.messages()).isEqualTo(5);
        assertThat(report.inputTokens()).isEqualTo(119);
        assertThat(report.outputTokens()).isEqualTo(233);
        assertThat(report.totalTokens()).isEqualTo(352);
        assertThat(report.query()).isEqualTo(UsageQuery.forSession("usage-alice", s.id()));
    }

    @Test
    @DisplayName("Costs sum exactly as decimals (0.1 + 0.2 = 0.3), down to 18 decimal places")
    void costsSumExactly() {
        Session s = userWithSession("usage-alice");
        append(s, reply("m", "p", 1, 1, "0.1", "USD"), reply("m", "p", 1, 1, "0.2", "USD"));
        Session tiny = store.sessions().create("usage-alice", "tiny");
        for (int i = 0; i < 3; i++) {
            append(tiny, reply("tiny", "p", 0, 0, "0.000000000000000001", "USD"));
        }
        append(tiny, reply("big", "p", 0, 0, "999999999999999999.999999999999999999", "USD"),
                reply("big", "p", 0, 0, "0.000000000000000001", "USD"));

        UsageTotals sum = store.usage().forSession("usage-alice", s.id()).groups().get(0);
        assertThat(sum.cost()).isEqualTo(new BigDecimal("0.3"));
        assertThat(store.usage().forSession("usage-alice", s.id()).costByCurrency())
                .containsExactly(Map.entry("USD", new BigDecimal("0.3")));
        List<UsageTotals> tinyGroups = store.usage().forSession("usage-alice", tiny.id()).groups();
        assertThat(tinyGroups).extracting(UsageTotals::cost)
                .containsExactly(new BigDecimal("1000000000000000000"), new BigDecimal("3E-18"));
    }

    @Test
    @DisplayName("A user's usage sums all of that user's sessions and none of another user's")
    void userTotalsSpanSessions() {
        Session first = userWithSession("usage-alice");
        Session second = store.sessions().create("usage-alice", "second");
        Session bobs = userWithSession("usage-bob");
        append(first, reply("gpt-4o", "openai", 100, 10, "1.25", "USD"));
        append(second, reply("gpt-4o", "openai", 50, 5, "0.75", "USD"), reply("haiku", "anthropic", 7, 8, "0.01", "USD"));
        append(bobs, reply("gpt-4o", "openai", 1000, 1000, "99", "USD"));

        UsageReport alice = store.usage().forUser("usage-alice");

        assertThat(alice.groups()).containsExactly(
                totals("gpt-4o", "openai", "USD", 2, 150, 15, "2"),
                totals("haiku", "anthropic", "USD", 1, 7, 8, "0.01"));
        assertThat(alice.costByCurrency()).containsExactly(Map.entry("USD", new BigDecimal("2.01")));
        assertThat(store.usage().forSession("usage-alice", second.id()).messages()).isEqualTo(2);
        assertThat(store.usage().forUser("usage-bob").inputTokens()).isEqualTo(1000);
    }

    @Test
    @DisplayName("Costs in different currencies are never added together")
    void currenciesAreNeverMixed() {
        Session s = userWithSession("usage-alice");
        append(s, reply("m", "p", 1, 1, "1.10", "USD"), reply("m", "p", 1, 1, "2.20", "EUR"),
                reply("m", "p", 1, 1, "3.30", "USD"), reply("other", "p", 1, 1, "0.7", "EUR"),
                reply("m", "p", 1, 1, "100", "JPY"));

        UsageReport report = store.usage().forUser("usage-alice");

        assertThat(report.costByCurrency()).containsExactly(Map.entry("EUR", new BigDecimal("2.9")),
                Map.entry("JPY", new BigDecimal("100")), Map.entry("USD", new BigDecimal("4.4")));
        assertThat(report.groups()).extracting(UsageTotals::currency).containsExactly("EUR", "JPY", "USD", "EUR");
    }

    @Test
    @DisplayName("The time range is [from, to): from inclusive, to exclusive, both to the millisecond")
    void timeRangeIsHalfOpen() {
        Session s = userWithSession("usage-alice");
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Instant t1 = Instant.parse("2024-01-02T00:00:00Z");
        Instant t2 = Instant.parse("2024-01-03T00:00:00Z");
        append(s, reply("m", "p", 1, 0, "0.001", "USD").withCreatedAt(t0),
                reply("m", "p", 10, 0, "0.01", "USD").withCreatedAt(t1),
                reply("m", "p", 100, 0, "0.1", "USD").withCreatedAt(t1.plusMillis(1)),
                reply("m", "p", 1000, 0, "1", "USD").withCreatedAt(t2));
        UsageQuery all = UsageQuery.forUser("usage-alice");

        assertThat(tokens(all.between(t1, t2))).isEqualTo(110);
        assertThat(tokens(all.between(t1, t1.plusMillis(1)))).isEqualTo(10);
        assertThat(tokens(all.between(t1, t1))).isZero();
        assertThat(tokens(all.since(t1))).isEqualTo(1110);
        assertThat(tokens(all.until(t1))).isEqualTo(1);
        assertThat(tokens(all.until(t2.plusMillis(1)))).isEqualTo(1111);
        assertThat(tokens(all.since(t2.plusMillis(1)))).isZero();
        assertThat(tokens(UsageQuery.forSession("usage-alice", s.id()).between(t0, t2))).isEqualTo(111);
        assertThat(store.usage().query(all.between(t1, t2)).costByCurrency())
                .containsExactly(Map.entry("USD", new BigDecimal("0.11")));
        assertThat(tokens(all.between(t1.plusNanos(999_999), t2))).as("bounds are truncated to milliseconds")
                .isEqualTo(110);
    }

    private long tokens(UsageQuery q) {
        return store.usage().query(q).inputTokens();
    }

    @Test
    @DisplayName("A user or session with no usage gets an empty report, not an error")
    void emptyReports() {
        Session s = userWithSession("usage-alice");
        user("usage-nobody");
        append(s, NewMessage.user("no usage here"));

        for (UsageReport report : List.of(store.usage().forUser("usage-nobody"), store.usage().forUser("usage-alice"),
                store.usage().forSession("usage-alice", s.id()))) {
            assertThat(report.groups()).isEmpty();
            assertThat(report.messages()).isZero();
            assertThat(report.inputTokens()).isZero();
            assertThat(report.outputTokens()).isZero();
            assertThat(report.costByCurrency()).isEmpty();
        }
    }

    @Test
    @DisplayName("Messages without model or provider are grouped under empty values, which sort first")
    void missingModelAndProviderAreEmptyGroups() {
        Session s = userWithSession("usage-alice");
        append(s, NewMessage.assistant("a").withUsage(Usage.of(1, 1, "0.1")),
                NewMessage.assistant("b").withUsage(Usage.of(2, 2, "0.2")),
                NewMessage.assistant("c").withModel("m").withUsage(Usage.of(4, 4, "0.4")),
                NewMessage.assistant("d").withProvider("p").withUsage(Usage.of(8, 8, "0.8")),
                NewMessage.assistant("e").withModel("").withProvider("").withUsage(Usage.of(16, 16, "1.6")));

        UsageReport report = store.usage().forSession("usage-alice", s.id());

        assertThat(report.groups()).containsExactly(
                totals(null, null, "USD", 2, 3, 3, "0.3"),
                totals(null, "p", "USD", 1, 8, 8, "0.8"),
                totals("", "", "USD", 1, 16, 16, "1.6"),
                totals("m", null, "USD", 1, 4, 4, "0.4"));
    }

    @Test
    @DisplayName("Negative tokens or cost, or a malformed currency, are a ValidationException and nothing is appended")
    void invalidUsageIsRejected() {
        Session s = userWithSession("usage-alice");
        List<Usage> bad = List.of(new Usage(-1, 0, BigDecimal.ONE, "USD"), new Usage(0, -1, BigDecimal.ONE, "USD"),
                new Usage(1, 1, new BigDecimal("-0.01"), "USD"), new Usage(1, 1, BigDecimal.ONE, "usd"),
                new Usage(1, 1, BigDecimal.ONE, ""), new Usage(1, 1, BigDecimal.ONE, "U S D"));

        for (Usage u : bad) {
            assertThatThrownBy(() -> store.messages().append("usage-alice", s.id(), NewMessage.assistant("x").withUsage(u)))
                    .as("%s", u).isInstanceOf(ValidationException.class);
        }
        assertThat(store.messages().count("usage-alice", s.id())).isZero();
        assertThat(store.usage().forUser("usage-alice").groups()).isEmpty();
    }

    @Test
    @DisplayName("A cost is stored with trailing zeros stripped (0.0100 reads back as 0.01), also after export and import")
    void costIsNormalised() {
        Session s = userWithSession("usage-alice");
        Message a = store.messages().append("usage-alice", s.id(), NewMessage.assistant("a")
                .withUsage(Usage.of(1, 2, "0.0100")));
        Message b = store.messages().append("usage-alice", s.id(), NewMessage.assistant("b")
                .withUsage(Usage.of(1, 2, "1.000")));
        Message c = store.messages().append("usage-alice", s.id(), NewMessage.assistant("c")
                .withUsage(Usage.of(1, 2, "0.000")));
        Message d = store.messages().append("usage-alice", s.id(), NewMessage.assistant("d")
                .withUsage(Usage.of(1, 2, new BigDecimal("1.2E+3"))));

        assertThat(a.usage().orElseThrow().cost()).isEqualTo(new BigDecimal("0.01"));
        List<BigDecimal> expected = List.of(new BigDecimal("0.01"), new BigDecimal("1"), BigDecimal.ZERO,
                new BigDecimal("1200"));
        assertThat(costs(store, s)).isEqualTo(expected);
        assertThat(List.of(a, b, c, d)).extracting(m -> m.usage().orElseThrow().cost()).isEqualTo(expected);

        ChatStore target = open(cfg -> { });
        ExportImportContract.importText(target, ExportImportContract.exportText(store));
        assertThat(costs(target, s)).isEqualTo(expected);
        assertThat(target.usage().forSession("usage-alice", s.id()))
                .isEqualTo(store.usage().forSession("usage-alice", s.id()));
    }

    private static List<BigDecimal> costs(ChatStore s, Session session) {
        return s.messages().page(session.userId(), session.id()).stream()
                .map(m -> m.usage().orElseThrow().cost()).toList();
    }

    @Test
    @DisplayName("Usage of an unknown session, or of another user's session, is a NotFoundException; from after to is a ValidationException")
    void invalidQueries() {
        Session bobs = userWithSession("usage-bob");
        user("usage-alice");
        append(bobs, reply("m", "p", 1, 1, "1", "USD"));

        assertThatThrownBy(() -> store.usage().forSession("usage-alice", "no-such-session"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.usage().forSession("usage-alice", bobs.id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.usage().query(UsageQuery.forUser("usage-bob")
                .between(Instant.parse("2024-02-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"))))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.usage().forUser("not a valid id")).isInstanceOf(ValidationException.class);
    }

    @Test
    @DisplayName("Panel messages with usage are not counted in any user's usage")
    void panelUsageIsNotUserUsage() {
        Session s = userWithSession("usage-alice");
        append(s, reply("m", "p", 1, 1, "1", "USD"));
        store.panels().create(NewPanel.of("team", List.of("analyst")).withId("usage-panel"));
        store.panels().append("usage-panel", NewMessage.of("analyst", "x").withModel("m").withProvider("p")
                .withUsage(Usage.of(1000, 1000, "50")));

        assertThat(store.usage().forUser("usage-alice").groups())
                .containsExactly(totals("m", "p", "USD", 1, 1, 1, "1"));
    }

    @Test
    @DisplayName("Token totals are exact for large counts")
    void largeTokenCounts() {
        Session s = userWithSession("usage-alice");
        long big = 3_000_000_000L;
        append(s, reply("m", "p", big, big + 1, "0.5", "USD"), reply("m", "p", big, big + 1, "0.5", "USD"));

        UsageTotals t = store.usage().forSession("usage-alice", s.id()).groups().get(0);

        assertThat(t.inputTokens()).isEqualTo(2 * big);
        assertThat(t.outputTokens()).isEqualTo(2 * big + 2);
        assertThat(t.totalTokens()).isEqualTo(4 * big + 2);
        assertThat(t.cost()).isEqualTo(new BigDecimal("1"));
    }
}
