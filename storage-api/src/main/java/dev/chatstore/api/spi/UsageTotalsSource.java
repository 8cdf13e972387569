package dev.chatstore.api.spi;

import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;

import java.util.List;

/**
 * A backend's native usage totals (a database groups with SQL). Optional: without one
 * ({@link StorageBackend#usage()} empty) the core scans the logs with {@link UsageAccumulator}.
 */
public interface UsageTotalsSource {

    /**
     * Totals of the query's session messages that carry usage and were created in {@code [from, to)}, grouped by
     * model, provider and currency, in {@link UsageTotals#ORDER}.
     */
    List<UsageTotals> usage(UsageQuery query);
}
