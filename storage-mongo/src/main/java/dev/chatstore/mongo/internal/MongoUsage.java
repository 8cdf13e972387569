package dev.chatstore.mongo.internal;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;
import dev.chatstore.api.spi.UsageAccumulator;
import dev.chatstore.api.spi.UsageTotalsSource;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.chatstore.mongo.internal.BsonMapping.date;

/**
 * Usage totals by aggregation: {@code $match} the user's (or the session's) messages that carry usage in the time
 * range and lie at or below their session's commit pointer, then {@code $group} by model, provider and currency,
 * summing tokens and the {@code Decimal128} costs (exact decimal arithmetic on the server). A cost too precise for
 * Decimal128, kept as text ({@code usage.costText}), is added on the client.
 */
public final class MongoUsage implements UsageTotalsSource {

    private final MongoStore store;

    public MongoUsage(MongoStore store) {
        this.store = store;
    }

    @Override
    public List<UsageTotals> usage(UsageQuery query) {
        return store.call("total the usage of " + query.userId(), () -> {
            List<Bson> visible = new ArrayList<>();
            Bson sessions = query.sessionId().map(s -> Filters.eq("_id", BsonMapping.sessionKey(query.userId(), s)))
                    .orElse(Filters.eq("user", query.userId()));
            for (Document s : store.sessions.find(sessions).projection(Projections.include("sid", "lastSeq"))) {
                visible.add(Filters.and(Filters.eq("sid", s.getString("sid")),
                        Filters.lte("seq", BsonMapping.longValue(s, "lastSeq"))));
            }
            if (visible.isEmpty()) {
                return List.of();
            }
            List<Bson> match = new ArrayList<>(List.of(Filters.eq("user", query.userId()),
                    Filters.exists("usage"), Filters.or(visible)));
            query.from().ifPresent(from -> match.add(Filters.gte("createdAt", date(from))));
            query.to().ifPresent(to -> match.add(Filters.lt("createdAt", date(to))));

            Map<List<Object>, UsageTotals> groups = new HashMap<>();
            for (Document g : store.messages.aggregate(List.of(
                    Aggregates.match(Filters.and(Filters.and(match), Filters.exists("usage.costText", false))),
                    Aggregates.group(new Document("model", "$model").append("provider", "$provider")
                                    .append("currency", "$usage.currency"),
                            Accumulators.sum("messages", 1),
                            Accumulators.sum("in", "$usage.in"),
                            Accumulators.sum("out", "$usage.out"),
                            Accumulators.sum("cost", "$usage.cost"))))) {
                Document key = g.get("_id", Document.class);
                UsageTotals t = new UsageTotals(Optional.ofNullable(key.getString("model")),
                        Optional.ofNullable(key.getString("provider")), key.getString("currency"),
                        BsonMapping.longValue(g, "messages"), BsonMapping.longValue(g, "in"),
                        BsonMapping.longValue(g, "out"), BsonMapping.cost(g.get("cost")));
                groups.put(List.of(t.model(), t.provider(), t.currency()), t);
            }
            // Costs beyond Decimal128's 34 digits are text: totalled here, exactly, and merged in.
            UsageAccumulator textual = new UsageAccumulator(query);
            for (Document d : store.messages.find(Filters.and(Filters.and(match), Filters.eq("usage.costText", true)))) {
                textual.add(BsonMapping.message(d));
            }
            for (UsageTotals t : textual.totals()) {
                groups.merge(List.of(t.model(), t.provider(), t.currency()), t, (a, b) -> new UsageTotals(a.model(),
                        a.provider(), a.currency(), a.messages() + b.messages(), a.inputTokens() + b.inputTokens(),
                        a.outputTokens() + b.outputTokens(), a.cost().add(b.cost())));
            }
            List<UsageTotals> out = new ArrayList<>(groups.values());
            out.sort(UsageTotals.ORDER);
            return out;
        });
    }

}
