package dev.chatstore.api.spi;

import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Panel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Panels and their insights; a panel's messages live in {@link MessageLogs} under {@link LogRef.PanelLog}.
 * Methods naming a panel throw {@link dev.chatstore.api.error.NotFoundException} when it does not exist.
 */
public interface PanelRepository {

    /** @throws dev.chatstore.api.error.DuplicateKeyException if the ID exists */
    void insert(Panel panel);

    Optional<Panel> find(String panelId);

    /**
     * A keyset page of panels in ID order ({@link Orderings#CODE_POINTS}): those whose ID sorts after
     * {@code afterPanelId} ({@code ""} for the first page), at most {@code limit}.
     */
    List<Panel> listById(String afterPanelId, int limit);

    /**
     * Panels in {@link Orderings#PANELS_NEWEST_FIRST}, skipping {@code offset}, at most {@code limit}. The default
     * sorts the whole keyset walk; adapters with an index on createdAt override it.
     */
    default List<Panel> list(int offset, int limit) {
        List<Panel> all = new ArrayList<>();
        String after = "";
        while (true) {
            List<Panel> page = listById(after, 1000);
            all.addAll(page);
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        all.sort(Orderings.PANELS_NEWEST_FIRST);
        return offset >= all.size() ? List.of() : List.copyOf(all.subList(offset, Math.min(all.size(),
                (int) Math.min(Integer.MAX_VALUE, (long) offset + limit))));
    }

    /** Deletes the panel with its messages and insights. */
    boolean delete(String panelId);

    /** @throws dev.chatstore.api.error.DuplicateKeyException if the panel already has an insight with that ID */
    void saveInsight(Insight insight);

    /** The panel's insights in {@link Orderings#INSIGHTS_NEWEST_FIRST}, at most {@code limit}. */
    List<Insight> insights(String panelId, int limit);

    /** Removes every insight (of every panel) created before {@code cutoff}; returns how many. */
    long purgeInsightsBefore(Instant cutoff);

    /** Writes the panel exactly as given (import, backfill, repair). */
    void restore(Panel panel);

    /** Writes an insight exactly as given, replacing one with the same ID. */
    void restoreInsight(Insight insight);
}
