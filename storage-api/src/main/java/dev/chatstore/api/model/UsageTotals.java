package dev.chatstore.api.model;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * The totals of the messages carrying usage that share one model, provider and currency.
 *
 * @param model        the messages' model, or empty for messages that recorded none
 * @param provider     the messages' provider, or empty
 * @param currency     the currency of {@code cost}
 * @param messages     how many messages are counted
 * @param inputTokens  their input tokens
 * @param outputTokens their output tokens
 * @param cost         their summed cost, trailing zeros stripped
 */
public record UsageTotals(Optional<String> model, Optional<String> provider, String currency, long messages,
                          long inputTokens, long outputTokens, BigDecimal cost) {

    /** Groups order by model, then provider, then currency; an absent model or provider sorts first. */
    public static final Comparator<UsageTotals> ORDER = Comparator
            .comparing((UsageTotals t) -> t.model().orElse(""))
            .thenComparing(t -> t.model().isPresent())
            .thenComparing(t -> t.provider().orElse(""))
            .thenComparing(t -> t.provider().isPresent())
            .thenComparing(UsageTotals::currency);

    public UsageTotals {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(cost, "cost");
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
