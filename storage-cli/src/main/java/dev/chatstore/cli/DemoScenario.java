package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Insight;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.Usage;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The sample the {@code demo} command writes: three users with profiles, four conversations with token usage,
 * a document with its analysis, a situational context with history, global and personal personas, a panel
 * discussion with an insight, and an encrypted credential.
 *
 * <p>It can run any number of times against the same store and leaves it as one run does: users, sessions and the
 * panel have fixed IDs and are created (and filled) only if missing ({@code getOrCreate}), personas are saved over
 * the earlier ones, and the credential is stored only if absent, so one stored by an earlier run (perhaps under
 * another key) is never replaced.
 */
final class DemoScenario {

    /** The word the demo searches for; it occurs in several of alice's messages. */
    static final String SEARCH_WORD = "csv";
    static final String SEARCH_USER = "alice";
    static final String DOCUMENT_NAME = "import_notes.md";
    static final String CREDENTIAL_PROVIDER = "openai";
    static final String PANEL_ID = "demo-panel";

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String NOTES = """
            # Nightly sales import

            - Source: `sales_2024.csv`, about 2 GB, one row per order line.
            - Columns: date, region, product, quantity, unit_price.
            - Sorted by date; regions are EMEA, AMER and APAC.
            - The current script loads the whole file and runs out of memory on the 8 GB worker.

            Goal: totals per region and month, without loading the file at once.
            """;

    private final ChatStore store;
    private final List<String> users = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    private int usersCreated;
    private int sessionsCreated;

    private DemoScenario(ChatStore store) {
        this.store = store;
    }

    /** Writes the sample into the store and says what it wrote. */
    static Result writeTo(ChatStore store) {
        return new DemoScenario(store).write();
    }

    /**
     * What a run wrote.
     *
     * @param users          the demo's users (existing ones reused)
     * @param usersCreated   how many of them this run created
     * @param sessions       the demo's sessions, with their current state
     * @param sessionsCreated how many of them this run created
     * @param document       the uploaded document, with its analysis
     * @param snapshots      context snapshots saved this run
     * @param globalPersonas the global personas saved
     * @param userPersonas   the personal personas saved
     * @param panel          the panel created
     * @param panelMessages  its messages
     * @param insight        its insight
     * @param credentialUser the user whose credential is stored for {@link #CREDENTIAL_PROVIDER}
     * @param credentialKept whether that credential was already there (kept, not replaced)
     */
    record Result(List<String> users, int usersCreated, List<Session> sessions, int sessionsCreated,
                  Document document, int snapshots, List<Persona> globalPersonas, List<Persona> userPersonas,
                  Panel panel, List<Message> panelMessages, Insight insight, String credentialUser,
                  boolean credentialKept) {
    }

    private Result write() {
        user("alice", "Alice Martin", JsonObject.of("locale", "en-GB", "timezone", "Europe/London", "plan", "pro",
                "preferences", Map.of("theme", "dark", "codeFont", "JetBrains Mono")));
        user("bob", "Bob Chen", JsonObject.of("locale", "en-US", "timezone", "America/Chicago", "plan", "team",
                "team", "platform"));
        user("carol", "Carol Diaz", JsonObject.of("locale", "es-ES", "timezone", "Europe/Madrid", "plan", "free"));

        Session csv = session("alice", NewSession.titled("Reading a large CSV file in Python").withId("demo-large-csv")
                .withModel("gpt-4o").withProvider("openai")
                .withMetadata(JsonObject.of("temperature", 0.2, "tags", List.of("python", "data"))));
        int snapshots = 0;
        if (csv.messageCount() == 0) {
            store.messages().appendAll("alice", csv.id(), List.of(
                    NewMessage.system("You are a concise programming assistant."),
                    NewMessage.user("I have a 2 GB CSV file of sales data. How do I read it in Python without running"
                            + " out of memory?"),
                    reply("Stream it instead of loading it whole: pandas.read_csv(path, chunksize=100_000) yields"
                            + " DataFrames of 100,000 rows, and the csv module reads one row at a time. Aggregate each"
                            + " chunk and keep only the running totals.", "gpt-4o", "openai",
                            Usage.of(38, 164, "0.00174"))));
            store.documents().save("alice", csv.id(), DOCUMENT_NAME, "text/markdown",
                    NOTES.getBytes(StandardCharsets.UTF_8));
            store.documents().updateAnalysis("alice", csv.id(), DOCUMENT_NAME, JsonObject.of(
                    "summary", "Notes on a nightly import of a 2 GB sales CSV that runs out of memory.",
                    "topics", List.of("csv", "pandas", "memory", "etl"),
                    "wordCount", NOTES.split("\\s+").length,
                    "language", "en",
                    "sentiment", 0.1));
            store.messages().append("alice", csv.id(), NewMessage.user("Here are my notes on the import job."
                    + " Can I filter the CSV rows by region while streaming?").withAttachments(List.of(DOCUMENT_NAME)));
            store.messages().append("alice", csv.id(), reply("Yes: filter each chunk with"
                    + " chunk[chunk.region == 'EMEA'] before aggregating. Your notes say the file is sorted by date, so"
                    + " you can also stop reading once you pass the last month you need.", "gpt-4o", "openai",
                    Usage.of(512, 203, "0.00331")));
            snapshots = context(csv);
        }
        Document notes = store.documents().get("alice", csv.id(), DOCUMENT_NAME).orElseThrow();
        sessions.add(csv);

        Session lisbon = session("alice", NewSession.titled("Weekend in Lisbon").withId("demo-lisbon")
                .withModel("claude-3-5-sonnet").withProvider("anthropic"));
        if (lisbon.messageCount() == 0) {
            store.messages().appendAll("alice", lisbon.id(), List.of(
                    NewMessage.user("Plan a relaxed weekend in Lisbon for two, with good food and not too much"
                            + " walking."),
                    reply("Saturday: tram 28 through Alfama, lunch at a tasca, sunset at the Miradouro da Senhora do"
                            + " Monte. Sunday: tram 15 to Belem for pasteis de nata, then along the river to LX"
                            + " Factory.",
                            "claude-3-5-sonnet", "anthropic", Usage.of(29, 388, "0.00591")),
                    NewMessage.user("Where can we eat fresh fish near the river?"),
                    reply("Try the grilled fish at the Time Out Market in Cais do Sodre, or a simple marisqueira in"
                            + " Belem; ask for the catch of the day.", "claude-3-5-sonnet", "anthropic",
                            Usage.of(431, 142, "0.00342"))));
        }
        sessions.add(lisbon);

        Session postgres = session("bob", NewSession.titled("PostgreSQL full-text search").withId("demo-postgres")
                .withModel("gpt-4o-mini").withProvider("openai"));
        if (postgres.messageCount() == 0) {
            store.messages().appendAll("bob", postgres.id(), List.of(
                    NewMessage.user("Our message search in PostgreSQL is slow. What index should we use?"),
                    reply("Add a tsvector column with a GIN index and query it with the @@ operator. For substring"
                            + " search, a trigram index (pg_trgm) is the better fit.", "gpt-4o-mini", "openai",
                            Usage.of(24, 215, "0.000133")),
                    NewMessage.user("Do we need to rebuild the index after a bulk import of messages, or a CSV load?"),
                    reply("No, a GIN index is maintained on every insert; run VACUUM ANALYZE afterwards so the planner"
                            + " has fresh statistics.", "gpt-4o-mini", "openai", Usage.of(262, 96, "0.0000969"))));
        }
        sessions.add(postgres);

        Session poem = session("carol", NewSession.titled("Birthday poem for Dad").withId("demo-poem")
                .withModel("mistral-large").withProvider("mistral"));
        if (poem.messageCount() == 0) {
            store.messages().appendAll("carol", poem.id(), List.of(
                    NewMessage.user("Write a four-line birthday poem for my dad, who loves sailing and terrible puns."),
                    reply("Another year has sailed on by, / you're still the captain, knot too shy; / may winds be kind"
                            + " and seas be calm, / and every pun land like a psalm.", "mistral-large", "mistral",
                            Usage.of(31, 58, "0.000356"))));
        }
        sessions.add(poem);

        // Global personas first: the panel refers to them by ID. Alice's own skeptic shadows the global one.
        List<Persona> global = List.of(
                store.personas().save(PersonaScope.global(), "analyst", JsonObject.of("name", "The Analyst",
                        "prompt", "You weigh evidence and numbers before opinions.", "temperature", 0.3)),
                store.personas().save(PersonaScope.global(), "optimist", JsonObject.of("name", "The Optimist",
                        "prompt", "You look for what could go right and how to get there.", "temperature", 0.8)),
                store.personas().save(PersonaScope.global(), "skeptic", JsonObject.of("name", "The Skeptic",
                        "prompt", "You look for risks, hidden costs and missing evidence.", "temperature", 0.5)));
        List<Persona> personal = List.of(store.personas().save(PersonaScope.user("alice"), "skeptic",
                JsonObject.of("name", "Friendly skeptic", "prompt", "You question plans kindly and briefly.",
                        "temperature", 0.4)));

        Panel panel = store.panels().get(PANEL_ID).orElse(null);
        if (panel == null) {
            panel = store.panels().create(NewPanel.of("multi_persona", List.of("analyst", "skeptic", "optimist"))
                    .withId(PANEL_ID)
                    .withConfig(JsonObject.of("topic", "Moving chat storage from JSON files to PostgreSQL",
                            "rounds", 1, "moderator", "user")));
            store.panels().appendAll(panel.id(), List.of(
                    NewMessage.user("Should we move our chat storage from JSON files to PostgreSQL this quarter?"),
                    NewMessage.of("analyst", "Appends rewrite the whole conversation file today, so cost grows with"
                                    + " length; a table with an index makes each append constant.")
                            .withModel("gpt-4o").withProvider("openai").withUsage(Usage.of(120, 48, "0.00078")),
                    NewMessage.of("skeptic", "The migration itself is the risk: run both stores side by side and"
                                    + " compare them before switching.")
                            .withModel("gpt-4o").withProvider("openai").withUsage(Usage.of(168, 37, "0.00079")),
                    NewMessage.of("optimist", "With dual writes and a verified backfill we can switch in one release"
                                    + " and roll back if needed.")
                            .withModel("gpt-4o").withProvider("openai").withUsage(Usage.of(205, 35, "0.00086"))));
            store.panels().saveInsight(panel.id(), JsonObject.of(
                    "summary", "Migrate, but behind dual writes and a verification step.",
                    "votes", Map.of("analyst", "migrate", "skeptic", "wait", "optimist", "migrate"),
                    "agreement", 0.67));
        }
        List<Message> panelMessages = store.panels().messages(panel.id());
        Insight insight = store.panels().insights(panel.id(), 1).get(0);

        // Replacing a credential stored by an earlier run would change the secret an application may rely on, and
        // one encrypted under another key could no longer be read back: store it only if there is none.
        boolean credentialKept = store.credentials().providers("alice").contains(CREDENTIAL_PROVIDER);
        if (!credentialKept) {
            store.credentials().put("alice", CREDENTIAL_PROVIDER,
                    "sk-demo-" + HexFormat.of().formatHex(randomBytes(16)));
        }

        return new Result(List.copyOf(users), usersCreated, refreshed(), sessionsCreated, notes, snapshots, global,
                personal, panel, panelMessages, insight, "alice", credentialKept);
    }

    private void user(String id, String displayName, JsonObject profile) {
        if (store.users().get(id).isEmpty()) {
            usersCreated++;
        }
        store.users().getOrCreate(id, displayName, profile);
        users.add(id);
    }

    /** The demo's session, created if missing; the caller fills a session that holds no message yet. */
    private Session session(String userId, NewSession request) {
        boolean existed = store.sessions().get(userId, request.id().orElseThrow()).isPresent();
        Session session = store.sessions().getOrCreate(userId, request);
        if (!existed) {
            sessionsCreated++;
        }
        return session;
    }

    /** A current context for the session, and the two snapshots that led to it. */
    private int context(Session session) {
        Instant now = Instant.now();
        SituationalContext first = new SituationalContext("Alice wants to read a large CSV file in Python.",
                List.of("the file is about 2 GB", "memory is limited"), Map.of("language", List.of("Python")), 0.6,
                now.minus(Duration.ofMinutes(4)));
        SituationalContext second = new SituationalContext(
                "Alice streams a 2 GB sales CSV with pandas chunks and filters it by region.",
                List.of("the file is about 2 GB", "the file is sorted by date", "only EMEA rows are needed"),
                Map.of("language", List.of("Python"), "libraries", List.of("pandas", "csv"),
                        "regions", List.of("EMEA")), 0.85, now.minus(Duration.ofMinutes(1)));
        store.contexts().saveSnapshot("alice", session.id(), first);
        store.contexts().saveSnapshot("alice", session.id(), second);
        store.contexts().set("alice", session.id(), second.withCapturedAt(now));
        return 2;
    }

    /** The sessions as stored now, with their message counts. */
    private List<Session> refreshed() {
        return sessions.stream()
                .map(s -> store.sessions().get(s.userId(), s.id()).orElse(s))
                .toList();
    }

    private static NewMessage reply(String text, String model, String provider, Usage usage) {
        return NewMessage.assistant(text).withModel(model).withProvider(provider).withUsage(usage);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
