package dev.chatstore.migration.legacy;

import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.model.Usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The value rules every legacy format shares: IDs (kept when valid, else mapped deterministically), timestamps
 * (ISO-8601 with or without offset, or epoch milliseconds), token usage and cost.
 */
final class LegacyValues {

    /** The prefix of IDs mapped from legacy IDs that Chatstore cannot store. */
    static final String MAPPED_ID_PREFIX = "legacy-";

    private LegacyValues() {
    }

    static boolean validId(String id) {
        return id != null && Validator.ID.matcher(id).matches();
    }

    /**
     * The Chatstore ID for a legacy ID: itself when valid, else {@code legacy-} and the first 32 hex digits of its
     * SHA-256, the same on every run (so a re-run writes the same record), never a path.
     */
    static String mapId(String legacyId) {
        if (validId(legacyId)) {
            return legacyId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(legacyId.getBytes(StandardCharsets.UTF_8));
            return MAPPED_ID_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A legacy timestamp as a storable instant (milliseconds), or empty if it is not one. */
    static Optional<Instant> instant(Object value) {
        Instant t = null;
        if (value instanceof String s) {
            t = parse(s.trim());
        } else if (value instanceof Long millis) {
            t = Instant.ofEpochMilli(millis);
        } else if (value instanceof BigDecimal seconds && seconds.abs().compareTo(BigDecimal.valueOf(1L << 40)) < 0) {
            // Python's time.time(): seconds with a fraction
            t = Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
        }
        if (t == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Validator.instant("timestamp", t));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Instant parse(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            // try the next form
        }
        try {
            // Python's datetime.isoformat() of a naive UTC time, e.g. 2026-02-09T12:00:00.123456
            return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A value for a report: strings as they are (cut to 200 characters), others as their JSON type. */
    static String describe(Object value) {
        if (value instanceof String s) {
            return "'" + Validator.printable(s.length() > 200 ? s.substring(0, 200) : s) + "'";
        }
        return JsonValues.typeOf(value) + (value instanceof Number || value instanceof Boolean ? " " + value : "");
    }

    /** Printable form of a legacy ID for the report ({@code ""} when absent). */
    static String printable(Object id) {
        if (id == null) {
            return "";
        }
        return id instanceof String s ? Validator.printable(s) : String.valueOf(id);
    }

    /** The names under which legacy records keep token counts and cost, and the usage object they may sit in. */
    static final List<String> INPUT_TOKENS = List.of("input_tokens", "inputTokens", "prompt_tokens", "promptTokens");
    static final List<String> OUTPUT_TOKENS = List.of("output_tokens", "outputTokens", "completion_tokens",
            "completionTokens");
    static final List<String> COST = List.of("cost");
    static final List<String> USAGE_OBJECTS = List.of("usage", "tokens");

    /**
     * Usage from the record's token and cost fields (removed from {@code fields} when used), or empty if it has none.
     *
     * @throws IllegalArgumentException naming the bad field (negative, fractional or non-numeric counts and cost)
     */
    static Optional<Usage> usage(Map<String, Object> fields) {
        Map<String, Object> source = fields;
        String container = null;
        for (String name : USAGE_OBJECTS) {
            if (fields.get(name) instanceof Map<?, ?> inner && hasAny(inner, INPUT_TOKENS, OUTPUT_TOKENS, COST)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) inner;
                source = typed;
                container = name;
                break;
            }
        }
        if (!hasAny(source, INPUT_TOKENS, OUTPUT_TOKENS, COST)) {
            return Optional.empty();
        }
        long in = count(source, INPUT_TOKENS);
        long out = count(source, OUTPUT_TOKENS);
        BigDecimal cost = BigDecimal.ZERO;
        String currency = Usage.DEFAULT_CURRENCY;
        Object c = source.get("cost");
        if (c != null) {
            if (!(c instanceof Number n)) {
                throw new IllegalArgumentException("cost is " + describe(c) + ", not a number");
            }
            cost = n instanceof BigDecimal bd ? bd : new BigDecimal(n.toString());
            if (cost.signum() < 0) {
                throw new IllegalArgumentException("cost " + cost.toPlainString() + " is negative");
            }
        }
        if (source.get("currency") instanceof String cur && !cur.isBlank()) {
            currency = cur;
        }
        cost = cost.signum() == 0 ? BigDecimal.ZERO : cost.stripTrailingZeros();
        if (container != null) {
            fields.remove(container);
        } else {
            INPUT_TOKENS.forEach(fields::remove);
            OUTPUT_TOKENS.forEach(fields::remove);
            fields.remove("cost");
            if (fields.get("currency") instanceof String) {
                fields.remove("currency");
            }
        }
        return Optional.of(new Usage(in, out, cost, currency));
    }

    @SafeVarargs
    private static boolean hasAny(Map<?, ?> m, List<String>... names) {
        for (List<String> list : names) {
            for (String n : list) {
                if (m.get(n) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long count(Map<String, Object> m, List<String> names) {
        for (String n : names) {
            Object v = m.get(n);
            if (v == null) {
                continue;
            }
            if (v instanceof Long l && l >= 0) {
                return l;
            }
            if (v instanceof BigDecimal d && d.signum() >= 0 && d.stripTrailingZeros().scale() <= 0) {
                return d.longValueExact();
            }
            if (v instanceof BigInteger) {
                throw new IllegalArgumentException(n + " " + v + " is out of range");
            }
            throw new IllegalArgumentException(n + " is " + describe(v) + ", not a token count (a whole number, never negative)");
        }
        return 0;
    }
}
