package dev.chatstore.cli;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.ChatStoreConfig;
import dev.chatstore.api.error.StorageConfigurationException;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.Persona;
import dev.chatstore.api.model.SearchQuery;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.UsageTotals;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code chatstore demo}: writes {@link DemoScenario}'s sample into the store, then shows what the store holds, a
 * search and the token usage by model and provider. Safe to run again on the same store.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Fill the store with a sample, then show a summary, a search and token usage.",
                "The sample: users with profiles, sessions with token usage and cost, a document with its analysis,",
                "a situational context with history, personas, a panel discussion with an insight, a credential.",
                "Safe to run again on the same store."})
final class DemoCommand extends StoreCommand {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int AES_256_KEY_BYTES = 32;
    private static final int SNIPPET_LENGTH = 72;

    @Override
    int run() {
        ChatStoreCommand.ResolvedConfig resolved = root().resolveConfig();
        ChatStoreConfig config = resolved.config();
        boolean runKey = config.encryptionKeys().isEmpty();
        if (runKey) {
            config = withRunKey(config);
        }
        try (ChatStore store = root().open(config)) {
            PrintWriter out = out();
            out.println("Chatstore demo on " + ChatStoreCommand.displayUrl(config.url()) + " (backend "
                    + store.backendName() + ", url from " + resolved.urlOrigin() + ")");
            DemoScenario.Result result = DemoScenario.writeTo(store);
            if (runKey && !result.credentialKept()) {
                err().println("note: no credential encryption key is configured (encryption.keys,"
                        + " CHATSTORE_ENCRYPTION_KEYS); the demo encrypted its credential with a random key ("
                        + config.activeKeyId().orElseThrow() + ") made for this run only, so that credential cannot"
                        + " be decrypted afterwards");
            }
            printWritten(out, store, result);
            printSummary(out, store);
            printSearch(out, store, result);
            printUsage(out, store, result);
            if (isTransient(store)) {
                err().println("note: " + ChatStoreCommand.displayUrl(config.url()) + " keeps data only while this"
                        + " command runs; pass --url to fill a lasting store");
            }
            return ChatStoreCommand.EXIT_OK;
        }
    }

    /**
     * The configuration with a random AES-256 key for this run only, because credentials are stored only encrypted
     * and no key is configured. The key is never printed nor kept.
     */
    private static ChatStoreConfig withRunKey(ChatStoreConfig config) {
        byte[] key = new byte[AES_256_KEY_BYTES];
        RANDOM.nextBytes(key);
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String keyId = "demo-" + HexFormat.of().formatHex(suffix);
        return config.toBuilder().encryptionKey(keyId, key).activeKeyId(keyId).build();
    }

    private void printWritten(PrintWriter out, ChatStore store, DemoScenario.Result result) {
        out.println();
        out.println(result.usersCreated() + result.sessionsCreated() == 0
                ? "Already there (a second run adds nothing)" : "Wrote");
        TextTable written = new TextTable(false, false);
        written.row("users", String.join(", ", result.users()) + " (" + result.usersCreated() + " new)");
        for (Session s : result.sessions()) {
            written.row(s == result.sessions().get(0) ? "sessions" : "",
                    s.id() + "  " + s.userId() + "  \"" + s.title() + "\"  " + s.messageCount() + " messages, "
                            + s.model().orElse("?") + "/" + s.provider().orElse("?"));
        }
        written.row("", "(" + result.sessionsCreated() + " new)");
        written.row("document", result.document().name() + " (" + result.document().size() + " bytes, sha256 "
                + result.document().sha256().substring(0, 12) + "..., analysis: "
                + String.join(", ", result.document().analysis().members().keySet()) + ")");
        written.row("context", (result.snapshots() == 0 ? "kept from an earlier run" : "current + "
                + result.snapshots() + " snapshots") + " for \"" + result.sessions().get(0).title() + "\"");
        written.row("personas", result.globalPersonas().size() + " global ("
                + ids(result.globalPersonas()) + "), " + result.userPersonas().size() + " of alice's ("
                + ids(result.userPersonas()) + ", shadowing the global one)");
        written.row("panel", result.panel().id() + "  " + result.panel().type() + " with "
                + String.join(", ", result.panel().personas()) + ": " + result.panelMessages().size()
                + " messages, insight " + result.insight().id());
        written.row("credential", result.credentialUser() + "/" + DemoScenario.CREDENTIAL_PROVIDER + " "
                + (result.credentialKept() ? "kept from an earlier run" : "stored") + " encrypted (AES-256-GCM), "
                + decrypts(store, result));
        written.print(out, "  ");
    }

    /** Whether the credential decrypts with the keys configured now: one kept from an earlier run may not. */
    private static String decrypts(ChatStore store, DemoScenario.Result result) {
        try {
            boolean decrypts = store.credentials().get(result.credentialUser(), DemoScenario.CREDENTIAL_PROVIDER)
                    .filter(secret -> secret.startsWith("sk-demo-")).isPresent();
            return "decrypts: " + (decrypts ? "yes" : "NO");
        } catch (StorageConfigurationException e) {
            return "decrypts: not with the keys configured now (" + e.getMessage() + ")";
        }
    }

    private static void printSummary(PrintWriter out, ChatStore store) {
        out.println();
        out.println("Summary (the whole store)");
        StoreCounts.of(store).table().print(out, "  ");
    }

    private static void printSearch(PrintWriter out, ChatStore store, DemoScenario.Result result) {
        Map<String, String> titles = result.sessions().stream()
                .collect(Collectors.toMap(Session::id, Session::title, (a, b) -> a));
        List<Message> hits = store.messages().search(DemoScenario.SEARCH_USER, SearchQuery.of(DemoScenario.SEARCH_WORD)
                .limit(10));
        out.println();
        out.println("Search \"" + DemoScenario.SEARCH_WORD + "\" in " + DemoScenario.SEARCH_USER + "'s messages: "
                + hits.size() + (hits.size() == 1 ? " hit" : " hits") + " (newest first)");
        TextTable table = new TextTable(false, true, false, false);
        for (Message hit : hits) {
            String title = titles.getOrDefault(hit.sessionId(), hit.sessionId());
            table.row(title, "#" + hit.seq(), hit.role(), snippet(hit.content()));
        }
        table.print(out, "  ");
    }

    /** Usage of the demo's users, summed per model, provider and currency. */
    private static void printUsage(PrintWriter out, ChatStore store, DemoScenario.Result result) {
        Map<String, UsageTotals> byGroup = new TreeMap<>();
        for (String user : result.users()) {
            for (UsageTotals g : store.usage().forUser(user).groups()) {
                String key = g.model().orElse("") + '\u0000' + g.provider().orElse("") + '\u0000' + g.currency();
                byGroup.merge(key, g, (x, y) -> new UsageTotals(x.model(), x.provider(), x.currency(),
                        x.messages() + y.messages(), x.inputTokens() + y.inputTokens(),
                        x.outputTokens() + y.outputTokens(), x.cost().add(y.cost())));
            }
        }
        out.println();
        out.println("Usage by model and provider (" + String.join(", ", result.users()) + ", all their sessions)");
        TextTable table = new TextTable(false, false, true, true, true, true, false);
        table.row("MODEL", "PROVIDER", "MESSAGES", "INPUT", "OUTPUT", "COST", "");
        long messages = 0;
        long input = 0;
        long output = 0;
        Map<String, BigDecimal> costs = new TreeMap<>();
        for (UsageTotals g : byGroup.values()) {
            table.row(g.model().orElse("-"), g.provider().orElse("-"), g.messages(), g.inputTokens(),
                    g.outputTokens(), plain(g.cost()), g.currency());
            messages += g.messages();
            input += g.inputTokens();
            output += g.outputTokens();
            costs.merge(g.currency(), g.cost(), BigDecimal::add);
        }
        boolean first = true;
        for (Map.Entry<String, BigDecimal> cost : costs.entrySet()) {
            // Costs in different currencies are never added up: one total line per currency.
            table.row(first ? "total" : "", "", first ? messages : "", first ? input : "", first ? output : "",
                    plain(cost.getValue()), cost.getKey());
            first = false;
        }
        table.print(out, "  ");
    }

    private static String ids(List<Persona> personas) {
        return personas.stream().map(Persona::id).collect(Collectors.joining(", "));
    }

    private static String plain(BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    private static String snippet(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= SNIPPET_LENGTH ? flat : flat.substring(0, SNIPPET_LENGTH - 3) + "...";
    }
}
