package dev.chatstore.api.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Token usage and cost of one model call, carried by the message it produced.
 *
 * @param inputTokens  prompt tokens, never negative
 * @param outputTokens completion tokens, never negative
 * @param cost         the cost, never negative; stored with trailing zeros stripped ({@code 0.0100} is {@code 0.01})
 * @param currency     an ISO-4217-style code such as {@code USD}
 */
public record Usage(long inputTokens, long outputTokens, BigDecimal cost, String currency) {

    public static final String DEFAULT_CURRENCY = "USD";

    public Usage {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(currency, "currency");
    }

    /** Usage priced in {@value #DEFAULT_CURRENCY}. */
    public static Usage of(long inputTokens, long outputTokens, BigDecimal cost) {
        return new Usage(inputTokens, outputTokens, cost, DEFAULT_CURRENCY);
    }

    /** Usage priced in {@value #DEFAULT_CURRENCY}, cost given as decimal text such as {@code "0.0042"}. */
    public static Usage of(long inputTokens, long outputTokens, String cost) {
        return of(inputTokens, outputTokens, new BigDecimal(cost));
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
