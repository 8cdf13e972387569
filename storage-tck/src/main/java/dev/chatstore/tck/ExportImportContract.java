package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Message;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.NewPanel;
import dev.chatstore.api.model.NewSession;
import dev.chatstore.api.model.Panel;
import dev.chatstore.api.model.PersonaScope;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import dev.chatstore.api.model.TransferReport;
import dev.chatstore.api.model.Usage;
import dev.chatstore.api.model.User;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: export and import in the portable NDJSON format. An export imported into an empty store gives an
 * equal store (the same export, the same reads); importing is idempotent; a malformed input fails with a
 * {@link ValidationException} naming its line.
 */
public abstract class ExportImportContract extends TckSupport {

    /** The whole export of a store, header line included. */
    static String exportText(ChatStore s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Imports NDJSON text into a store. */
    static TransferReport importText(ChatStore s, String text) {
        return s.importFrom(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The lines of an export (without the final empty string after the last newline). */
    static List<String> lines(String text) {
        return new ArrayList<>(Arrays.asList(text.split("\n")));
    }

    /** Joins lines back into NDJSON text. */
    static String unlines(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    /** Index (0-based) of the first line whose record has the given type. */
    static int indexOfType(List<String> lines, String type) {
        for (int i = 0; i < lines.size(); i++) {
            if (type.equals(JsonObject.parse(lines.get(i)).getString("type").orElse(null))) {
                return i;
            }
        }
        throw new AssertionError("the export has no " + type + " record");
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + i / 256);
        }
        return b;
    }

    /** Fills a store with one of everything, the awkward cases included. */
    static void buildRichStore(ChatStore s) {
        s.users().create("alice", "Alice Ælfgifu", JsonObject.of("theme", "dark", "fontSize", 14, "ratio", 1.25));
        s.users().create("bob", "Bob", JsonObject.empty());
        s.users().create("carol");
        s.users().update("bob", u -> u.withDisplayName("Bob B."));

        s.sessions().create("alice", NewSession.titled("Python help").withId("s1").withModel("gpt-4o")
                .withProvider("openai").withMetadata(JsonObject.of("temperature", 0.7, "tags", List.of("py", "io"))));
        s.messages().append("alice", "s1", NewMessage.system("You are helpful."));
        s.messages().append("alice", "s1", NewMessage.user("héllo 👋 مرحبا שלום e\u0301 \u0000 nul\nnew line")
                .withAttachments(List.of("notes.txt")).withCreatedAt(Instant.parse("2024-03-01T12:00:00.123Z")));
        s.messages().append("alice", "s1", NewMessage.assistant("An answer").withUsage(Usage.of(12, 40, "0.0008"))
                .withModel("gpt-4o").withProvider("openai").withMetadata(JsonObject.of("finish", "stop")));
        s.messages().append("alice", "s1", NewMessage.tool("{\"result\":42}").withId("tool-call-1"));
        s.sessions().create("alice", NewSession.titled("Second").withId("s2"));
        s.messages().appendAll("alice", "s2", List.of(NewMessage.user("one"), NewMessage.assistant("two")
                .withUsage(new Usage(5, 6, new java.math.BigDecimal("0.10"), "EUR"))));
        s.sessions().update("alice", "s2", x -> x.withArchived(true).withTitle("Second (archived)"));

        s.documents().save("alice", "s1", "notes.txt", "text/plain", "notes about files".getBytes(StandardCharsets.UTF_8));
        s.documents().save("alice", "s1", "binary.png", "image/png", pattern(4096));
        s.documents().save("alice", "s1", "empty.txt", "text/plain", new byte[0]);
        s.documents().save("alice", "s1", "big.pdf", "application/pdf",
                new ByteArrayInputStream(pattern(1_700_000)), JsonObject.of("pages", 12));
        s.documents().updateAnalysis("alice", "s1", "notes.txt", JsonObject.of("summary", "short", "score", 0.5));

        s.contexts().set("alice", "s1", new SituationalContext("Reading files", List.of("open()", "with"),
                Map.of("language", List.of("Python")), 0.75, Instant.parse("2024-03-01T12:00:01.5Z")));
        for (int i = 1; i <= 3; i++) {
            s.contexts().saveSnapshot("alice", "s1", new SituationalContext("snapshot " + i, List.of("p" + i),
                    Map.of("n", List.of(String.valueOf(i))), i / 4.0, Instant.parse("2024-03-01T12:00:0" + i + "Z")));
        }
        s.contexts().saveSnapshot("alice", "s1", new SituationalContext("same time as 3", List.of(), Map.of(), 1.0,
                Instant.parse("2024-03-01T12:00:03Z")));

        s.sessions().create("bob", NewSession.titled("Bob's chat").withId("s1"));
        s.messages().append("bob", "s1", NewMessage.user("bob's message"));

        s.personas().save(PersonaScope.global(), "analyst", JsonObject.of("prompt", "Analyse."));
        s.personas().save(PersonaScope.global(), "critic", JsonObject.of("prompt", "Criticise."));
        s.personas().save(PersonaScope.user("alice"), "analyst", JsonObject.of("prompt", "Alice's analyst v1"));
        s.personas().save(PersonaScope.user("alice"), "analyst", JsonObject.of("prompt", "Alice's analyst v2"));

        s.credentials().put("alice", "openai", "sk-alice-openai");
        s.credentials().put("alice", "anthropic", "sk-ant-alice-ключ");
        s.credentials().put("bob", "openai", "sk-bob-openai");

        Panel panel = s.panels().create(NewPanel.of("multi_persona", List.of("analyst", "critic")).withId("panel-1")
                .withConfig(JsonObject.of("rounds", 3)));
        s.panels().append(panel.id(), NewMessage.user("Discuss."));
        s.panels().appendAll(panel.id(), List.of(NewMessage.of("analyst", "I think so.")
                .withUsage(Usage.of(1, 2, "0.001")), NewMessage.of("critic", "I doubt it.")));
        s.panels().saveInsight(panel.id(), JsonObject.of("conclusion", "undecided"));
        s.panels().saveInsight(panel.id(), JsonObject.of("conclusion", "decided", "votes", List.of(1, 2)));
        s.panels().create(NewPanel.of("focus_group", List.of()).withId("panel-2"));
    }

    /** Asserts that two stores answer the same through the API. */
    private static void assertSameReads(ChatStore expected, ChatStore actual) {
        assertThat(actual.users().list()).isEqualTo(expected.users().list());
        for (User u : expected.users().list()) {
            assertThat(actual.sessions().list(u.id())).isEqualTo(expected.sessions().list(u.id()));
            for (Session s : expected.sessions().list(u.id())) {
                assertThat(actual.sessions().get(u.id(), s.id())).contains(s);
                assertThat(actual.messages().page(u.id(), s.id())).isEqualTo(expected.messages().page(u.id(), s.id()));
                for (Message m : expected.messages().page(u.id(), s.id())) {
                    assertThat(actual.messages().getById(u.id(), s.id(), m.id())).contains(m);
                }
                assertThat(actual.documents().list(u.id(), s.id())).isEqualTo(expected.documents().list(u.id(), s.id()));
                for (Document d : expected.documents().list(u.id(), s.id())) {
                    assertThat(actual.documents().read(u.id(), s.id(), d.name()))
                            .hasValue(expected.documents().read(u.id(), s.id(), d.name()).orElseThrow());
                }
                assertThat(actual.contexts().current(u.id(), s.id())).isEqualTo(expected.contexts().current(u.id(), s.id()));
                assertThat(actual.contexts().history(u.id(), s.id())).isEqualTo(expected.contexts().history(u.id(), s.id()));
                assertThat(actual.usage().forSession(u.id(), s.id())).isEqualTo(expected.usage().forSession(u.id(), s.id()));
            }
            assertThat(actual.personas().list(PersonaScope.user(u.id())))
                    .isEqualTo(expected.personas().list(PersonaScope.user(u.id())));
            assertThat(actual.credentials().providers(u.id())).isEqualTo(expected.credentials().providers(u.id()));
            for (String provider : expected.credentials().providers(u.id())) {
                assertThat(actual.credentials().get(u.id(), provider)).isEqualTo(expected.credentials().get(u.id(), provider));
            }
        }
        assertThat(actual.personas().list(PersonaScope.global())).isEqualTo(expected.personas().list(PersonaScope.global()));
        assertThat(actual.panels().list(0, 100)).isEqualTo(expected.panels().list(0, 100));
        for (Panel p : expected.panels().list(0, 100)) {
            assertThat(actual.panels().get(p.id())).contains(p);
            assertThat(actual.panels().messages(p.id())).isEqualTo(expected.panels().messages(p.id()));
            assertThat(actual.panels().insights(p.id())).isEqualTo(expected.panels().insights(p.id()));
        }
    }

    @Test
    @DisplayName("§3 Export/import: export then import into an empty store gives an equal store")
    void exportThenImportGivesEqualStore() {
        buildRichStore(store);
        String export = exportText(store);
        ChatStore target = open(b -> { });

        importText(target, export);

        assertThat(exportBody(target)).isEqualTo(exportBody(store));
        assertSameReads(store, target);
        Session s1 = target.sessions().get("alice", "s1").orElseThrow();
        assertThat(s1.messageCount()).isEqualTo(4);
        assertThat(s1).isEqualTo(store.sessions().get("alice", "s1").orElseThrow());
        Session s2 = target.sessions().get("alice", "s2").orElseThrow();
        assertThat(s2.version()).isEqualTo(2);
        assertThat(s2.archived()).isTrue();
        assertThat(target.documents().read("alice", "s1", "big.pdf")).hasValue(pattern(1_700_000));
        assertThat(target.documents().read("alice", "s1", "empty.txt")).hasValue(new byte[0]);
        assertThat(target.personas().resolve("alice", "analyst").orElseThrow().version()).isEqualTo(2);
        assertThat(target.credentials().get("alice", "anthropic")).contains("sk-ant-alice-ключ");
    }

    @Test
    @DisplayName("The import report counts the same records the export report counts, and both match the lines")
    void reportsCountTheRecords() {
        buildRichStore(store);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferReport exported = store.exportTo(out);
        String export = out.toString(StandardCharsets.UTF_8);

        TransferReport imported = importText(open(b -> { }), export);

        Map<String, Long> byLine = new TreeMap<>();
        for (String line : lines(export).subList(1, lines(export).size())) {
            byLine.merge(JsonObject.parse(line).getString("type").orElseThrow(), 1L, Long::sum);
        }
        assertThat(exported.counts()).isEqualTo(byLine);
        assertThat(imported.counts()).isEqualTo(exported.counts());
        assertThat(exported.count("user")).isEqualTo(3);
        assertThat(exported.count("session")).isEqualTo(3);
        assertThat(exported.count("message")).isEqualTo(7);
        assertThat(exported.count("document")).isEqualTo(4);
        assertThat(exported.count("document-chunk")).isGreaterThanOrEqualTo(5);
        assertThat(exported.count("context")).isEqualTo(1);
        assertThat(exported.count("context-snapshot")).isEqualTo(4);
        assertThat(exported.count("persona")).isEqualTo(3);
        assertThat(exported.count("credential")).isEqualTo(3);
        assertThat(exported.count("panel")).isEqualTo(2);
        assertThat(exported.count("panel-message")).isEqualTo(3);
        assertThat(exported.count("insight")).isEqualTo(2);
        assertThat(exported.counts()).doesNotContainKey("header");
    }

    @Test
    @DisplayName("Importing the same export twice is idempotent")
    void importingTwiceIsIdempotent() {
        buildRichStore(store);
        String export = exportText(store);
        ChatStore target = open(b -> { });

        importText(target, export);
        importText(target, export);

        assertThat(exportBody(target)).isEqualTo(exportBody(store));
        assertSameReads(store, target);
    }

    @Test
    @DisplayName("Importing a store's own export into it changes nothing")
    void importingOwnExportChangesNothing() {
        buildRichStore(store);
        String before = exportBody(store);

        importText(store, exportText(store));

        assertThat(exportBody(store)).isEqualTo(before);
    }

    @Test
    @DisplayName("After an import, appends continue after the imported seqs in sessions and panels")
    void appendsContinueAfterImport() {
        buildRichStore(store);
        ChatStore target = open(b -> { });
        importText(target, exportText(store));

        Message next = target.messages().append("alice", "s1", NewMessage.user("after import"));
        Message panelNext = target.panels().append("panel-1", NewMessage.of("critic", "after import"));

        assertThat(next.seq()).isEqualTo(5);
        assertThat(target.messages().count("alice", "s1")).isEqualTo(5);
        assertThat(panelNext.seq()).isEqualTo(4);
        assertThat(target.messages().page("alice", "s1")).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(target.panels().messages("panel-1")).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    @DisplayName("The export starts with a header line naming the format and version; every line is one JSON object")
    void exportHasHeaderAndOneObjectPerLine() {
        buildRichStore(store);
        String export = exportText(store);

        assertThat(export).endsWith("\n");
        List<String> lines = lines(export);
        JsonObject header = JsonObject.parse(lines.get(0));
        assertThat(header.getString("type")).contains("header");
        assertThat(header.getString("format")).contains("chatstore-export");
        assertThat(header.get("version")).contains(1L);
        assertThat(Instant.parse(header.getString("exportedAt").orElseThrow())).isNotNull();
        for (String line : lines) {
            assertThat(JsonObject.parse(line).getString("type")).as(line.length() > 100 ? line.substring(0, 100) : line)
                    .isPresent();
        }
    }

    @Test
    @DisplayName("An empty store exports only the header, and importing that gives an empty store")
    void emptyStoreExportsOnlyHeader() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TransferReport report = store.exportTo(out);
        String export = out.toString(StandardCharsets.UTF_8);

        assertThat(report.total()).isZero();
        assertThat(lines(export)).hasSize(1);
        assertThat(exportBody(store)).isEmpty();

        ChatStore target = open(b -> { });
        assertThat(importText(target, export).total()).isZero();
        assertThat(exportBody(target)).isEmpty();
        assertThat(target.users().count()).isZero();
    }

    @Test
    @DisplayName("Export does not close the caller's stream")
    void exportDoesNotCloseStream() {
        userWithSession("alice");
        boolean[] closed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FilterOutputStream out = new FilterOutputStream(bytes) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };

        store.exportTo(out);

        assertThat(closed[0]).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\"alice\"");
    }

    @Test
    @DisplayName("A failed import says exactly what it committed, and a re-run of the fixed input completes it")
    void failedImportReportsWhatItCommitted() {
        user("alice");
        Session s = store.sessions().create("alice", "chat");
        for (int i = 1; i <= 30; i++) {
            store.messages().append("alice", s.id(), NewMessage.user("message " + i));
        }
        String good = exportText(store);
        List<String> lines = lines(good);
        int firstMessage = indexOfType(lines, "message");
        int bad = firstMessage + 20;                       // the 21st message
        String original = lines.get(bad);
        lines.set(bad, original.replaceFirst("\"userId\":\"alice\"", "\"userId\":42"));
        ChatStore target = open(b -> { });

        assertThatThrownBy(() -> importText(target, unlines(lines)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("line " + (bad + 1))
                .hasMessageContaining("committed, from lines 1-" + bad)
                .hasMessageContaining("none after line " + bad);
        assertThat(target.messages().count("alice", s.id()))
                .as("the 20 valid messages before the bad line are committed, and the counters say so").isEqualTo(20);
        assertThat(target.messages().after("alice", s.id(), 0, 100)).hasSize(20);

        importText(target, good);
        assertThat(exportBody(target)).isEqualTo(exportBody(store));
    }

    @Test
    @DisplayName("A malformed line is a ValidationException naming its line number; earlier records stay imported")
    void malformedLineNamesItsNumber() {
        buildRichStore(store);
        List<String> lines = lines(exportText(store));
        int userLine = indexOfType(lines, "user");
        lines.set(userLine + 1, "{this is not json");
        ChatStore target = open(b -> { });

        assertThatThrownBy(() -> importText(target, unlines(lines)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("line " + (userLine + 2));

        assertThat(target.users().get("alice")).as("the record before the bad line").isPresent();
    }

    @Test
    @DisplayName("A record of an unknown type, or missing a required field, is a ValidationException naming its line")
    void badRecordsNameTheirLine() {
        userWithSession("alice");
        List<String> lines = lines(exportText(store));

        List<String> unknownType = new ArrayList<>(lines);
        unknownType.add(JsonObject.of("type", "mystery", "id", "x").toJson());
        assertThatThrownBy(() -> importText(open(b -> { }), unlines(unknownType)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("line " + unknownType.size());

        List<String> missingField = new ArrayList<>(lines);
        int sessionLine = indexOfType(missingField, "session");
        missingField.set(sessionLine, JsonObject.parse(missingField.get(sessionLine)).without("createdAt").toJson());
        assertThatThrownBy(() -> importText(open(b -> { }), unlines(missingField)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("line " + (sessionLine + 1));

        List<String> badId = new ArrayList<>(lines);
        int userLine = indexOfType(badId, "user");
        badId.set(userLine, JsonObject.parse(badId.get(userLine)).with("id", "../escape").toJson());
        assertThatThrownBy(() -> importText(open(b -> { }), unlines(badId)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("line " + (userLine + 1));
    }

    @Test
    @DisplayName("A wrong or missing header, an unsupported version or an empty input is a ValidationException; nothing is imported")
    void wrongHeaderIsRejected() {
        userWithSession("alice");
        List<String> lines = lines(exportText(store));
        String body = unlines(lines.subList(1, lines.size()));
        List<String> inputs = List.of(
                "{\"type\":\"header\",\"format\":\"something-else\",\"version\":1}\n" + body,
                "{\"type\":\"header\",\"format\":\"chatstore-export\",\"version\":2}\n" + body,
                "{\"type\":\"header\",\"format\":\"chatstore-export\"}\n" + body,
                "[\"not\",\"an\",\"object\"]\n" + body,
                body,
                "");
        for (String input : inputs) {
            ChatStore target = open(b -> { });
            assertThatThrownBy(() -> importText(target, input)).as(input.length() > 80 ? input.substring(0, 80) : input)
                    .isInstanceOf(ValidationException.class);
            assertThat(target.users().count()).isZero();
        }
    }
}
