package dev.chatstore.api.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Token and cost totals over a time range, grouped by model, provider and currency (see {@link UsageTotals#ORDER}).
 *
 * @param query  what was totalled
 * @param groups one entry per (model, provider, currency) that has at least one message
 */
public record UsageReport(UsageQuery query, List<UsageTotals> groups) {

    public UsageReport {
        groups = List.copyOf(groups);
    }

    public long messages() {
        return groups.stream().mapToLong(UsageTotals::messages).sum();
    }

    public long inputTokens() {
        return groups.stream().mapToLong(UsageTotals::inputTokens).sum();
    }

    public long outputTokens() {
        return groups.stream().mapToLong(UsageTotals::outputTokens).sum();
    }

    public long totalTokens() {
        return inputTokens() + outputTokens();
    }

    /** The summed cost per currency (costs in different currencies are never added together). */
    public Map<String, BigDecimal> costByCurrency() {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (UsageTotals g : groups) {
            out.merge(g.currency(), g.cost(), BigDecimal::add);
        }
        // trailing zeros stripped like every cost, but never an exponent: 100, not 1E+2
        out.replaceAll((k, v) -> v.signum() == 0 ? BigDecimal.ZERO
                : v.stripTrailingZeros().scale() < 0 ? v.setScale(0) : v.stripTrailingZeros());
        return out;
    }
}
