package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.error.StorageCorruptionException;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import dev.chatstore.api.model.SituationalContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: nothing is lost silently. Damaged input is never read as "empty": a corrupt or truncated export, a
 * document whose bytes do not match its recorded size and hash, or a tampered credential raises a typed
 * exception that says where, and leaves no damaged record behind (CONTRACT §4 Nothing is lost silently).
 */
public abstract class NothingLostSilentlyContract extends TckSupport {

    private static final String USER = "nls-user";
    /** Larger than one export chunk (768 KiB), so the document spans two chunk lines. */
    private static final int TWO_CHUNKS = 1_000_000;

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + (i >> 9));
        }
        return b;
    }

    /** A session holding a two-chunk document, followed in the export by its current context. */
    private Session storeWithDocument() {
        Session s = userWithSession(USER);
        store.messages().append(USER, s.id(), NewMessage.user("before the document"));
        store.documents().save(USER, s.id(), "report.pdf", "application/pdf", bytes(TWO_CHUNKS));
        store.contexts().set(USER, s.id(), new SituationalContext("after the document", List.of(), Map.of(), 0.5,
                Instant.parse("2024-01-01T00:00:00Z")));
        return s;
    }

    private static List<String> exportLines(ChatStore s) {
        return ExportImportContract.lines(ExportImportContract.exportText(s));
    }

    /** Imports the lines into a fresh store, expecting a typed failure that names {@code line}. */
    private ChatStore importExpectingFailure(List<String> lines, int line) {
        ChatStore target = open(b -> { });
        assertThatThrownBy(() -> ExportImportContract.importText(target, ExportImportContract.unlines(lines)))
                .isInstanceOfAny(ValidationException.class, StorageCorruptionException.class)
                .hasMessageContaining("line " + line);
        return target;
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: an export missing a document chunk fails naming the line; no partial document is kept")
    void missingChunk() {
        Session s = storeWithDocument();
        List<String> lines = exportLines(store);
        int document = ExportImportContract.indexOfType(lines, "document");
        assertThat(JsonObject.parse(lines.get(document)).get("chunks")).contains(2L);
        lines.remove(document + 2);

        ChatStore target = importExpectingFailure(lines, document + 3);

        assertThat(target.documents().get(USER, s.id(), "report.pdf")).isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: an export that ends inside a document fails naming the line")
    void exportEndsInsideDocument() {
        Session s = storeWithDocument();
        List<String> lines = exportLines(store);
        int document = ExportImportContract.indexOfType(lines, "document");
        List<String> cut = lines.subList(0, document + 2);

        ChatStore target = importExpectingFailure(cut, document + 2);

        assertThat(target.documents().get(USER, s.id(), "report.pdf")).isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: a document whose recorded sha256 does not match its bytes is a StorageCorruptionException naming the line")
    void sha256Mismatch() {
        Session s = storeWithDocument();
        List<String> lines = exportLines(store);
        int document = ExportImportContract.indexOfType(lines, "document");
        lines.set(document, JsonObject.parse(lines.get(document)).with("sha256", "0".repeat(64)).toJson());
        ChatStore target = open(b -> { });

        assertThatThrownBy(() -> ExportImportContract.importText(target, ExportImportContract.unlines(lines)))
                .isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining("line " + (document + 1));

        assertThat(target.documents().get(USER, s.id(), "report.pdf")).isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: altered chunk bytes are a StorageCorruptionException; the damaged bytes are not kept")
    void alteredChunk() {
        Session s = storeWithDocument();
        List<String> lines = exportLines(store);
        int document = ExportImportContract.indexOfType(lines, "document");
        JsonObject chunk = JsonObject.parse(lines.get(document + 2));
        byte[] data = Base64.getDecoder().decode(chunk.getString("base64").orElseThrow());
        data[data.length / 2] ^= 0x40;
        lines.set(document + 2, chunk.with("base64", Base64.getEncoder().encodeToString(data)).toJson());
        ChatStore target = open(b -> { });

        assertThatThrownBy(() -> ExportImportContract.importText(target, ExportImportContract.unlines(lines)))
                .isInstanceOf(StorageCorruptionException.class)
                .hasMessageContaining("line " + (document + 1));

        assertThat(target.documents().get(USER, s.id(), "report.pdf")).isEmpty();
        assertThat(target.documents().read(USER, s.id(), "report.pdf")).isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: a document with a wrong recorded size or chunk count fails; nothing damaged is kept")
    void wrongSizeOrChunkCount() {
        Session s = storeWithDocument();
        List<String> lines = exportLines(store);
        int document = ExportImportContract.indexOfType(lines, "document");
        JsonObject record = JsonObject.parse(lines.get(document));

        List<String> biggerSize = new java.util.ArrayList<>(lines);
        biggerSize.set(document, record.with("size", TWO_CHUNKS + 1L).toJson());
        ChatStore a = importExpectingFailure(biggerSize, document + 1);
        assertThat(a.documents().get(USER, s.id(), "report.pdf")).isEmpty();

        List<String> smallerSize = new java.util.ArrayList<>(lines);
        smallerSize.set(document, record.with("size", TWO_CHUNKS - 1L).toJson());
        ChatStore b = importExpectingFailure(smallerSize, document + 1);
        assertThat(b.documents().get(USER, s.id(), "report.pdf")).isEmpty();

        List<String> fewerChunks = new java.util.ArrayList<>(lines);
        fewerChunks.set(document, record.with("chunks", 1L).toJson());
        ChatStore c = open(cfg -> { });
        assertThatThrownBy(() -> ExportImportContract.importText(c, ExportImportContract.unlines(fewerChunks)))
                .isInstanceOfAny(ValidationException.class, StorageCorruptionException.class)
                .hasMessageContaining("line ");
        assertThat(c.documents().get(USER, s.id(), "report.pdf")).isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: a chunk that is not base64 is a ValidationException naming the line")
    void garbageChunk() {
        Session s = storeWithDocument();
        List<String> lines = exportLines(store);
        int document = ExportImportContract.indexOfType(lines, "document");
        lines.set(document + 1, JsonObject.of("type", "document-chunk", "base64", "!!! not base64 !!!").toJson());

        ChatStore target = importExpectingFailure(lines, document + 2);

        assertThat(target.documents().get(USER, s.id(), "report.pdf")).isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: a truncated JSON line is a ValidationException naming the line, not an empty record")
    void truncatedLine() {
        Session s = userWithSession(USER);
        appendMany(s, 3);
        store.messages().append(USER, s.id(), NewMessage.assistant("the last words of the conversation"));
        List<String> lines = exportLines(store);
        int last = lines.size() - 1;
        lines.set(last, lines.get(last).substring(0, lines.get(last).length() / 2));

        importExpectingFailure(lines, last + 1);

        List<String> midFile = exportLines(store);
        int session = ExportImportContract.indexOfType(midFile, "session");
        midFile.set(session, midFile.get(session).substring(0, midFile.get(session).length() - 1));
        ChatStore target = importExpectingFailure(midFile, session + 1);
        assertThat(target.sessions().get(USER, s.id())).as("the damaged session is not imported as empty").isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: an export cut in the middle of a line fails instead of importing a partial store quietly")
    void exportCutMidLine() {
        Session s = userWithSession(USER);
        appendMany(s, 5);
        String export = ExportImportContract.exportText(store);
        int cutAt = export.indexOf("message 3") + 3;
        ChatStore target = open(b -> { });

        assertThatThrownBy(() -> ExportImportContract.importText(target, export.substring(0, cutAt)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("line ");
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: messages whose seqs leave a gap are refused, not imported with a hole")
    void seqGap() {
        Session s = userWithSession(USER);
        appendMany(s, 3);
        List<String> lines = exportLines(store);
        int message = ExportImportContract.indexOfType(lines, "message");
        lines.remove(message + 1);
        ChatStore target = open(b -> { });

        assertThatThrownBy(() -> ExportImportContract.importText(target, ExportImportContract.unlines(lines)))
                .isInstanceOfAny(ValidationException.class, StorageCorruptionException.class);

        assertThat(target.messages().get(USER, s.id(), 3)).as("no message stored past a gap").isEmpty();
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: a damaged credential is a StorageCorruptionException, never an empty answer")
    void damagedCredential() {
        user(USER);
        store.credentials().put(USER, "openai", "sk-precious");
        String export = ExportImportContract.exportText(store);
        List<String> damaged = List.of(
                CredentialContract.withCredentialChanged(export,
                        c -> c.with("ciphertext", CredentialContract.flipBit(c.getString("ciphertext").orElseThrow(), 5))),
                CredentialContract.withCredentialChanged(export, c -> c.with("ciphertext",
                        c.getString("ciphertext").orElseThrow().substring(0, 8))),
                CredentialContract.withCredentialChanged(export, c -> c.with("ciphertext", "%%% not base64 %%%")),
                CredentialContract.withCredentialChanged(export, c -> c.with("nonce", "")));

        for (String text : damaged) {
            ChatStore target = open(b -> { });
            ExportImportContract.importText(target, text);
            assertThat(target.credentials().providers(USER)).containsExactly("openai");
            assertThatThrownBy(() -> target.credentials().get(USER, "openai"))
                    .isInstanceOf(StorageCorruptionException.class)
                    .hasMessageContaining(USER);
        }
    }

    @Test
    @DisplayName("§4 Nothing is lost silently: rotating over a damaged credential fails rather than dropping it")
    void rotationOverDamagedCredential() {
        user(USER);
        store.credentials().put(USER, "openai", "sk-precious");
        String damaged = CredentialContract.withCredentialChanged(ExportImportContract.exportText(store),
                c -> c.with("ciphertext", CredentialContract.flipBit(c.getString("ciphertext").orElseThrow(), 1))
                        .with("keyId", "old-key"));
        ChatStore target = open(b -> b.encryptionKey("old-key", TEST_KEY).activeKeyId(TEST_KEY_ID));
        ExportImportContract.importText(target, damaged);

        assertThatThrownBy(() -> target.credentials().rotate()).isInstanceOf(StorageException.class);

        assertThat(target.credentials().providers(USER)).containsExactly("openai");
        assertThat(backendOf(target).credentials().find(USER, "openai").orElseThrow().keyId()).isEqualTo("old-key");
    }
}
