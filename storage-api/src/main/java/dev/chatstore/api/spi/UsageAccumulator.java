package dev.chatstore.api.spi;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Totals messages into {@link UsageTotals} the way {@link UsageTotalsSource#usage} defines them, for backends
 * that total by scanning (a database groups natively instead): messages without usage or outside the query's
 * {@code [from, to)} are skipped, the rest grouped by model, provider and currency.
 */
public final class UsageAccumulator {

    private record Key(Optional<String> model, Optional<String> provider, String currency) {
    }

    private static final class Sums {
        long messages;
        long inputTokens;
        long outputTokens;
        BigDecimal cost = BigDecimal.ZERO;
    }

    private final UsageQuery query;
    private final Map<Key, Sums> groups = new HashMap<>();

    public UsageAccumulator(UsageQuery query) {
        this.query = query;
    }

    /** Counts the message if it carries usage and was created inside the query's range. */
    public void add(Message m) {
        if (m.usage().isEmpty()
                || query.from().map(from -> m.createdAt().isBefore(from)).orElse(false)
                || query.to().map(to -> !m.createdAt().isBefore(to)).orElse(false)) {
            return;
        }
        Usage u = m.usage().get();
        Sums s = groups.computeIfAbsent(new Key(m.model(), m.provider(), u.currency()), k -> new Sums());
        s.messages++;
        s.inputTokens += u.inputTokens();
        s.outputTokens += u.outputTokens();
        s.cost = s.cost.add(u.cost());
    }

    /** The groups so far, in {@link UsageTotals#ORDER}. */
    public List<UsageTotals> totals() {
        List<UsageTotals> out = new ArrayList<>(groups.size());
        groups.forEach((k, s) -> out.add(new UsageTotals(k.model(), k.provider(), k.currency(), s.messages,
                s.inputTokens, s.outputTokens, s.cost)));
        out.sort(UsageTotals.ORDER);
        return out;
    }
}
