package dev.chatstore.jdbc.internal;

import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;
import dev.chatstore.api.spi.UsageTotalsSource;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Native usage totals of session messages: PostgreSQL groups and sums in SQL (exact {@code numeric} costs); SQLite
 * streams the covering index {@code messages_usage} and adds costs as {@link BigDecimal}, as it has no exact
 * decimal sum.
 */
final class JdbcUsageTotals implements UsageTotalsSource {

    private final Database db;
    private final Dialect dialect;
    private final Codec codec;

    JdbcUsageTotals(Database db, Codec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
    }

    @Override
    public List<UsageTotals> usage(UsageQuery query) {
        return db.read("totalling the usage of user " + query.userId(), c -> {
            StringBuilder sql = new StringBuilder();
            boolean sumInSql = dialect == Dialect.POSTGRESQL;
            if (sumInSql) {
                sql.append("SELECT m.model, m.provider, m.currency, count(*) AS n, sum(m.input_tokens) AS input,"
                        + " sum(m.output_tokens) AS output, sum(m.cost) AS cost");
            } else {
                // SQLite has no exact decimal sum: stream the (covering-index) rows and add costs as BigDecimal
                sql.append("SELECT m.model, m.provider, m.currency, 1 AS n, m.input_tokens AS input,"
                        + " m.output_tokens AS output, m.cost AS cost");
            }
            sql.append(" FROM messages m JOIN sessions s ON s.sk = m.session_sk"
                    + " WHERE s.user_id = ? AND m.currency IS NOT NULL");
            if (query.sessionId().isPresent()) {
                sql.append(" AND s.id = ?");
            }
            if (query.from().isPresent()) {
                sql.append(" AND m.created_at >= ?");
            }
            if (query.to().isPresent()) {
                sql.append(" AND m.created_at < ?");
            }
            if (sumInSql) {
                sql.append(" GROUP BY m.model, m.provider, m.currency");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, query.userId());
                if (query.sessionId().isPresent()) {
                    ps.setString(i++, query.sessionId().get());
                }
                if (query.from().isPresent()) {
                    ps.setLong(i++, Codec.millis(query.from().get()));
                }
                if (query.to().isPresent()) {
                    ps.setLong(i, Codec.millis(query.to().get()));
                }
                record Key(Optional<String> model, Optional<String> provider, String currency) {
                }
                Map<Key, long[]> counts = new HashMap<>();
                Map<Key, BigDecimal> costs = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Key k = new Key(Codec.nullableText(rs, "model"), Codec.nullableText(rs, "provider"),
                                rs.getString("currency"));
                        long[] t = counts.computeIfAbsent(k, x -> new long[3]);
                        t[0] += rs.getLong("n");
                        t[1] += rs.getLong("input");
                        t[2] += rs.getLong("output");
                        costs.merge(k, codec.cost(rs, "cost", "messages", "usage of " + query.userId()), BigDecimal::add);
                    }
                }
                List<UsageTotals> out = new ArrayList<>();
                counts.forEach((k, t) -> out.add(new UsageTotals(k.model(), k.provider(), k.currency(), t[0], t[1], t[2],
                        Codec.normaliseCost(costs.get(k)))));
                out.sort(UsageTotals.ORDER);
                return out;
            }
        });
    }
}
