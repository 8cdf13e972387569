package dev.chatstore.api;

import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageReport;
import dev.chatstore.api.model.UsageTotals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Token and cost totals, grouped by model, provider and currency, over a time range. Obtained from
 * {@link ChatStore#usage()}.
 */
public final class UsageReports {

    private final StoreCore core;

    UsageReports(StoreCore core) {
        this.core = core;
    }

    /** All of the user's sessions, all time. */
    public UsageReport forUser(String userId) {
        return query(UsageQuery.forUser(userId));
    }

    /** One session, all time. */
    public UsageReport forSession(String userId, String sessionId) {
        return query(UsageQuery.forSession(userId, sessionId));
    }

    /**
     * Totals of the messages with usage that the query selects (createdAt in {@code [from, to)}).
     *
     * @throws dev.chatstore.api.error.NotFoundException if the query names a session the user does not have
     */
    public UsageReport query(UsageQuery query) {
        Validator.id("userId", query.userId());
        if (query.sessionId().isPresent()) {
            core.requireSession(query.userId(), query.sessionId().get());
        }
        Optional<Instant> from = query.from().map(t -> Validator.instant("from", t));
        Optional<Instant> to = query.to().map(t -> Validator.instant("to", t));
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new ValidationException("to", "must not be before from (" + from.get() + " > " + to.get() + ")");
        }
        UsageQuery normalised = new UsageQuery(query.userId(), query.sessionId(), from, to);
        List<UsageTotals> groups = core.backend.usage().map(u -> u.usage(normalised))
                .orElseGet(() -> dev.chatstore.api.spi.LogScan.usage(core.backend, normalised)).stream()
                .map(g -> new UsageTotals(g.model(), g.provider(), g.currency(), g.messages(), g.inputTokens(),
                        g.outputTokens(), normalisedSum(g.cost())))
                .sorted(UsageTotals.ORDER)
                .toList();
        return new UsageReport(normalised, groups);
    }

    /** A sum of costs with trailing zeros stripped and no exponent; unlike one cost, a sum may reach 1e18. */
    private static BigDecimal normalisedSum(BigDecimal sum) {
        if (sum.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = sum.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
