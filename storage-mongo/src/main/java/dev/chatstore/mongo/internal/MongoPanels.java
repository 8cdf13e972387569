package dev.chatstore.mongo.internal;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.chatstore.api.error.DuplicateKeyException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.spi.LogRef;
import dev.chatstore.api.spi.PanelRepository;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.chatstore.mongo.internal.BsonMapping.date;

/**
 * Panels in {@code panels} ({@code _id} = panel ID, also the commit pointer of the panel's log) and their insights
 * in {@code insights} (unique (panel, iid); (panel, createdAt desc, iid desc) for the newest-first list).
 */
public final class MongoPanels implements PanelRepository {

    private final MongoStore store;

    public MongoPanels(MongoStore store) {
        this.store = store;
    }

    @Override
    public void insert(Panel panel) {
        store.run("create panel " + panel.id(), () -> {
            try {
                store.panels.insertOne(BsonMapping.panelFields(panel).append("_id", panel.id()).append("lastSeq", 0L));
            } catch (RuntimeException e) {
                if (MongoExceptionTranslator.isDuplicateKey(e)) {
                    throw new DuplicateKeyException("panel", panel.id(), e);
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<Panel> find(String panelId) {
        return store.call("read panel " + panelId, () -> Optional.ofNullable(store.panels.find(Filters.eq("_id", panelId))
                .projection(Projections.exclude("pending")).first()).map(BsonMapping::panel));
    }

    @Override
    public List<Panel> listById(String afterPanelId, int limit) {
        return store.call("list panels", () -> {
            List<Panel> out = new ArrayList<>();
            for (Document d : store.panels.find(Filters.gt("_id", afterPanelId)).sort(Sorts.ascending("_id"))
                    .limit(limit)) {
                out.add(BsonMapping.panel(d));
            }
            return out;
        });
    }

    @Override
    public List<Panel> list(int offset, int limit) {
        return store.call("list panels", () -> {
            List<Panel> out = new ArrayList<>();
            for (Document d : store.panels.find().sort(Sorts.orderBy(Sorts.descending("createdAt"),
                    Sorts.ascending("_id"))).skip(offset).limit(limit)) {
                out.add(BsonMapping.panel(d));
            }
            return out;
        });
    }

    @Override
    public boolean delete(String panelId) {
        return store.call("delete panel " + panelId, () -> {
            boolean deleted = store.panels.deleteOne(Filters.eq("_id", panelId)).getDeletedCount() > 0;
            store.messages.deleteMany(Filters.eq("log", BsonMapping.logKey(LogRef.panel(panelId))));
            store.insights.deleteMany(Filters.eq("panel", panelId));
            return deleted;
        });
    }

    private void requirePanel(String panelId) {
        if (store.panels.countDocuments(Filters.eq("_id", panelId)) == 0) {
            throw new NotFoundException("panel", panelId);
        }
    }

    @Override
    public void saveInsight(Insight insight) {
        store.run("save insight " + insight.panelId() + "/" + insight.id(), () -> {
            requirePanel(insight.panelId());
            try {
                store.insights.insertOne(BsonMapping.insight(insight));
            } catch (RuntimeException e) {
                if (MongoExceptionTranslator.isDuplicateKey(e)) {
                    throw new DuplicateKeyException("insight", insight.panelId() + "/" + insight.id(), e);
                }
                throw e;
            }
        });
    }

    @Override
    public List<Insight> insights(String panelId, int limit) {
        return store.call("list insights of " + panelId, () -> {
            requirePanel(panelId);
            List<Insight> out = new ArrayList<>();
            for (Document d : store.insights.find(Filters.eq("panel", panelId))
                    .sort(Sorts.descending("createdAt", "iid")).limit(limit)) {
                out.add(BsonMapping.insight(d));
            }
            return out;
        });
    }

    @Override
    public long purgeInsightsBefore(Instant cutoff) {
        return store.call("purge insights", () -> store.insights.deleteMany(Filters.lt("createdAt", date(cutoff)))
                .getDeletedCount());
    }

    @Override
    public void restore(Panel panel) {
        store.run("restore panel " + panel.id(), () -> store.panels.updateOne(Filters.eq("_id", panel.id()),
                Updates.combine(new Document("$set", BsonMapping.panelFields(panel)), Updates.setOnInsert("lastSeq", 0L)),
                new UpdateOptions().upsert(true)));
    }

    @Override
    public void restoreInsight(Insight insight) {
        store.run("restore insight " + insight.panelId() + "/" + insight.id(), () -> {
            requirePanel(insight.panelId());
            store.insights.replaceOne(Filters.eq("_id", insight.panelId() + "/" + insight.id()),
                    BsonMapping.insight(insight), new ReplaceOptions().upsert(true));
        });
    }
}
