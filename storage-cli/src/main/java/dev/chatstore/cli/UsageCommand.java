package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageReport;
import dev.chatstore.api.model.UsageTotals;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import static dev.chatstore.cli.Records.Column.number;
import static dev.chatstore.cli.Records.Column.text;

/**
 * {@code chatstore usage USER [--session S] [--from T] [--to T]}: tokens and cost of a user's messages, per model,
 * provider and currency, over {@code [from, to)}. Costs in different currencies are never added together.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"Show a user's token usage and cost per model, provider and currency (read-only).",
                "--from and --to take a date (2026-12-01, midnight UTC) or an instant (2026-12-01T09:30:00Z);",
                "--from is inclusive, --to exclusive."})
final class UsageCommand extends ReadCommand {

    @Parameters(index = "0", paramLabel = "USER", description = "The user's ID.")
    String userId;

    @Option(names = "--session", paramLabel = "SESSION", description = "Only this session of the user.")
    String sessionId;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Only messages created at or after TIME.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
            description = "Only messages created before TIME.")
    Instant to;

    @Override
    int read(ChatStore store) {
        requireUser(store, userId);
        UsageReport report = store.usage().query(new UsageQuery(userId, Optional.ofNullable(sessionId),
                Optional.ofNullable(from), Optional.ofNullable(to)));
        try (Records out = records("(no messages with usage)", text("MODEL"), text("PROVIDER"), number("MESSAGES"),
                number("INPUT"), number("OUTPUT"), number("COST"), text("CURRENCY"))) {
            for (UsageTotals g : report.groups()) {
                out.add(Records.fields("userId", userId, "sessionId", Optional.ofNullable(sessionId),
                                "model", g.model(), "provider", g.provider(), "currency", g.currency(),
                                "messages", g.messages(), "inputTokens", g.inputTokens(),
                                "outputTokens", g.outputTokens(), "cost", g.cost()),
                        g.model().orElse("-"), g.provider().orElse("-"), g.messages(), g.inputTokens(),
                        g.outputTokens(), plain(g.cost()), g.currency());
            }
            boolean first = true;
            for (Map.Entry<String, BigDecimal> cost : report.costByCurrency().entrySet()) {
                // One total line per currency, under the table only: JSON readers sum what they need.
                out.addTableOnly(first ? "total" : "", "", first ? report.messages() : "",
                        first ? report.inputTokens() : "", first ? report.outputTokens() : "",
                        plain(cost.getValue()), cost.getKey());
                first = false;
            }
        }
        return ChatStoreCommand.EXIT_OK;
    }

    static String plain(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    /** A date (midnight UTC) or an ISO-8601 instant. */
    static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return value.contains("T") ? Instant.parse(value)
                        : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a date (2026-12-01) or an instant"
                        + " (2026-12-01T09:30:00Z)");
            }
        }
    }
}
