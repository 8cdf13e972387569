package dev.chatstore.redis.internal;

import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.spi.PanelRepository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Panels: every key of a panel carries the tag {@code {p:<panelId>}} (hash, log, insights); the global ID listing
 * {@code {idx}:panels} is kept around the panel's own writes like the users' listing (see {@link RedisUsers}).
 * Insights: a sorted set by createdAt (ms; equal times order by ID bytes, which {@code ZREVRANGE} gives as the
 * contract's ID descending) and a hash ID to JSON.
 */
final class RedisPanels implements PanelRepository {

    private final RedisAccess redis;
    private final Keys keys;

    RedisPanels(RedisAccess redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void insert(Panel panel) {
        write("insert", panel);
    }

    @Override
    public Optional<Panel> find(String panelId) {
        Map<String, String> h = redis.call("find panel", j -> j.hgetAll(keys.panel(panelId)));
        return h.isEmpty() ? Optional.empty() : Optional.of(RedisRecords.panel(h));
    }

    @Override
    public List<Panel> listById(String afterPanelId, int limit) {
        List<Panel> out = new ArrayList<>(Math.min(limit, 1000));
        String after = afterPanelId;
        while (out.size() < limit) {
            int want = Math.min(1000, limit - out.size());
            String from = after.isEmpty() ? "-" : "(" + after;
            List<String> ids = redis.call("list panels", j -> j.zrangeByLex(keys.panelsIndex(), from, "+", 0, want));
            for (String id : ids) {
                find(id).ifPresent(out::add);
            }
            if (ids.size() < want) {
                break;
            }
            after = ids.get(ids.size() - 1);
        }
        return out;
    }

    @Override
    public boolean delete(String panelId) {
        String base = keys.panelBase(panelId);
        RedisAccess.Reply r = redis.run(RedisScript.PANEL_DELETE, List.of(keys.panel(panelId), base + "log",
                base + "ids", keys.insightsByTime(panelId), keys.insights(panelId)), List.of());
        boolean deleted = "1".equals(r.orThrow("panel delete").text(0));
        redis.call("unlist panel", j -> j.zrem(keys.panelsIndex(), panelId));
        if (redis.call("check panel", j -> j.exists(keys.panel(panelId)))) {
            index(panelId);
        }
        return deleted;
    }

    @Override
    public void saveInsight(Insight insight) {
        writeInsight("insert", insight);
    }

    @Override
    public List<Insight> insights(String panelId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        RedisAccess.Reply r = redis.run(RedisScript.INSIGHT_READ, List.of(keys.panel(panelId),
                keys.insightsByTime(panelId), keys.insights(panelId)), List.of(Integer.toString(limit)));
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("panel", panelId);
        }
        List<Insight> out = new ArrayList<>();
        List<Object> values = r.orThrow("insights").values();
        for (int i = 0; i + 1 < values.size(); i += 2) {
            out.add(RedisRecords.insight(panelId, RedisAccess.text(values.get(i)),
                    RedisAccess.text(values.get(i + 1))));
        }
        return out;
    }

    @Override
    public long purgeInsightsBefore(Instant cutoff) {
        long removed = 0;
        String after = "";
        while (true) {
            String from = after.isEmpty() ? "-" : "(" + after;
            List<String> ids = redis.call("list panels", j -> j.zrangeByLex(keys.panelsIndex(), from, "+", 0, 1000));
            for (String id : ids) {
                RedisAccess.Reply r = redis.run(RedisScript.INSIGHT_PURGE, List.of(keys.insightsByTime(id),
                        keys.insights(id)), List.of(Long.toString(cutoff.toEpochMilli())));
                removed += Long.parseLong(r.orThrow("purge insights").text(0));
            }
            if (ids.size() < 1000) {
                return removed;
            }
            after = ids.get(ids.size() - 1);
        }
    }

    @Override
    public void restore(Panel panel) {
        write("restore", panel);
    }

    @Override
    public void restoreInsight(Insight insight) {
        writeInsight("restore", insight);
    }

    private void write(String mode, Panel panel) {
        index(panel.id());
        List<Object> args = new ArrayList<>();
        args.add(mode);
        args.addAll(RedisRecords.panel(panel));
        RedisAccess.Reply r = redis.run(RedisScript.PANEL_WRITE, List.of(keys.panel(panel.id())), args);
        if (r.failed("DUP")) {
            throw new DuplicateKeyException("panel", panel.id());
        }
        r.orThrow("panel " + mode);
        index(panel.id());
    }

    private void writeInsight(String mode, Insight insight) {
        String p = insight.panelId();
        RedisAccess.Reply r = redis.run(RedisScript.INSIGHT_WRITE, List.of(keys.panel(p), keys.insightsByTime(p),
                keys.insights(p)), List.of(mode, insight.id(), Long.toString(insight.createdAt().toEpochMilli()),
                RedisRecords.insight(insight)));
        if (r.failed("NOTFOUND")) {
            throw new NotFoundException("panel", p);
        }
        if (r.failed("DUP")) {
            throw new DuplicateKeyException("insight", p + "/" + insight.id());
        }
        r.orThrow("insight " + mode);
    }

    private void index(String panelId) {
        redis.call("list panel", j -> j.zadd(keys.panelsIndex(), 0, panelId));
    }
}
