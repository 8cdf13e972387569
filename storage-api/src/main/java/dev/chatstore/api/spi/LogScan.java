package dev.chatstore.api.spi;

import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.UsageQuery;
import dev.chatstore.api.model.UsageTotals;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Search and usage totals by reading a user's session logs through the port: the core's fallback for a backend
 * without {@link MessageSearch} or {@link UsageTotalsSource}, and the reference the TCK compares native answers
 * with. Cost grows with the number of the user's messages; a backend with an index does better.
 */
public final class LogScan {

    private static final int PAGE = 1000;

    private LogScan() {
    }

    /** {@link MessageSearch#search} by reading every message of the user's sessions (or the request's one). */
    public static List<Message> search(StorageBackend backend, String userId, SearchRequest request) {
        // A bounded heap whose head is the worst hit kept: memory stays at limit messages whatever the log size.
        PriorityQueue<Message> best = new PriorityQueue<>(TextSearch.RESULT_ORDER.reversed());
        forEachMessage(backend, userId, request.sessionId().orElse(null), m -> {
            if (request.matches(m.content())) {
                best.add(m);
                if (best.size() > request.limit()) {
                    best.poll();
                }
            }
        });
        return TextSearch.newestFirst(new ArrayList<>(best), request.limit());
    }

    /** {@link UsageTotalsSource#usage} by reading every message of the query's sessions. */
    public static List<UsageTotals> usage(StorageBackend backend, UsageQuery query) {
        UsageAccumulator totals = new UsageAccumulator(query);
        forEachMessage(backend, query.userId(), query.sessionId().orElse(null), totals::add);
        return totals.totals();
    }

    /** Every message of one session, or of all the user's sessions when {@code sessionId} is null. */
    public static void forEachMessage(StorageBackend backend, String userId, String sessionId,
                                      Consumer<Message> action) {
        if (sessionId != null) {
            forEachMessage(backend, LogRef.session(userId, sessionId), action);
            return;
        }
        String after = "";
        while (true) {
            List<Session> sessions = backend.sessions().listById(userId, after, PAGE);
            for (Session s : sessions) {
                forEachMessage(backend, LogRef.session(userId, s.id()), action);
            }
            if (sessions.size() < PAGE) {
                return;
            }
            after = sessions.get(sessions.size() - 1).id();
        }
    }

    /** Every message of one log, ascending. A log deleted meanwhile ends the walk. */
    public static void forEachMessage(StorageBackend backend, LogRef log, Consumer<Message> action) {
        long after = 0;
        while (true) {
            List<Message> page;
            try {
                page = backend.logs().after(log, after, PAGE);
            } catch (dev.chatstore.api.error.NotFoundException deletedMeanwhile) {
                return;
            }
            page.forEach(action);
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).seq();
        }
    }
}
