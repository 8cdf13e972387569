package dev.chatstore.tck;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.config.Setting;
import dev.chatstore.api.error.LimitExceededException;
import dev.chatstore.api.error.NotFoundException;
import dev.chatstore.api.error.ValidationException;
import dev.chatstore.api.json.JsonObject;
import dev.chatstore.api.model.Document;
import dev.chatstore.api.model.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCK group: documents. Bytes come back identical (binary and empty included), size and SHA-256 are computed by
 * the store, names are plain file names, large documents stream, and a failed save changes nothing.
 */
public abstract class DocumentContract extends TckSupport {

    private static final String USER = "doc-user";

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] allByteValues() {
        byte[] b = new byte[256 * 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** A deterministic stream of {@code size} pseudo-random bytes that hashes what it hands out. */
    private static final class GeneratedStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long produced;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedStream(long size) {
            this.size = size;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - produced);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            digest.update(b, off, n);
            produced += n;
            return n;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private static String sha256Of(InputStream in) {
        try (in) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                d.update(buffer, 0, n);
                total += n;
            }
            return total + ":" + HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("A saved document reads back identical, with its size, SHA-256, type and upload time")
    void saveAndReadBack() {
        Session s = userWithSession(USER);
        byte[] bytes = utf8("Hello, documents! Ünïcödé 📄\n");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        Document saved = store.documents().save(USER, s.id(), "hello.txt", "text/plain; charset=utf-8", bytes);

        assertThat(saved.sessionId()).isEqualTo(s.id());
        assertThat(saved.name()).isEqualTo("hello.txt");
        assertThat(saved.mimeType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(saved.size()).isEqualTo(bytes.length);
        assertThat(saved.sha256()).isEqualTo(sha256(bytes)).matches("[0-9a-f]{64}");
        assertThat(saved.uploadedAt()).isEqualTo(saved.uploadedAt().truncatedTo(ChronoUnit.MILLIS))
                .isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
        assertThat(saved.analysis()).isEqualTo(JsonObject.empty());
        assertThat(saved.metadata()).isEqualTo(JsonObject.empty());
        assertThat(store.documents().get(USER, s.id(), "hello.txt")).contains(saved);
        assertThat(store.documents().read(USER, s.id(), "hello.txt")).hasValue(bytes);
        assertThat(sha256Of(store.documents().open(USER, s.id(), "hello.txt").orElseThrow()))
                .isEqualTo(bytes.length + ":" + sha256(bytes));
    }

    @Test
    @DisplayName("Binary content with every byte value round-trips exactly")
    void binaryRoundTrips() {
        Session s = userWithSession(USER);
        byte[] bytes = allByteValues();

        Document saved = store.documents().save(USER, s.id(), "bytes.png", "image/png", bytes);

        assertThat(store.documents().read(USER, s.id(), "bytes.png")).hasValue(bytes);
        assertThat(saved.size()).isEqualTo(1024);
        assertThat(saved.sha256()).isEqualTo(sha256(bytes));
    }

    @Test
    @DisplayName("An empty document is stored with size 0 and the SHA-256 of nothing")
    void emptyDocument() {
        Session s = userWithSession(USER);

        Document saved = store.documents().save(USER, s.id(), "empty.txt", "text/plain", new byte[0]);

        assertThat(saved.size()).isZero();
        assertThat(saved.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(store.documents().read(USER, s.id(), "empty.txt")).hasValue(new byte[0]);
        assertThat(store.documents().list(USER, s.id())).containsExactly(saved);
    }

    @Test
    @DisplayName("A document saved from a stream with metadata reads back as a stream")
    void streamSaveWithMetadata() {
        Session s = userWithSession(USER);
        byte[] bytes = utf8("a,b,c\n1,2,3\n");
        JsonObject metadata = JsonObject.of("source", "upload", "rows", 2, "tags", List.of("csv"));

        Document saved = store.documents().save(USER, s.id(), "table.csv", "text/csv", new ByteArrayInputStream(bytes),
                metadata);

        assertThat(saved.metadata()).isEqualTo(metadata);
        assertThat(store.documents().get(USER, s.id(), "table.csv").orElseThrow().metadata()).isEqualTo(metadata);
        assertThat(sha256Of(store.documents().open(USER, s.id(), "table.csv").orElseThrow()))
                .isEqualTo(bytes.length + ":" + sha256(bytes));
    }

    @Test
    @DisplayName("A 5 MiB document streams in and out with the right size and SHA-256")
    void largeDocumentStreams() {
        Session s = userWithSession(USER);
        long size = 5L * 1024 * 1024 + 17;
        GeneratedStream in = new GeneratedStream(size);

        Document saved = store.documents().save(USER, s.id(), "large.pdf", "application/pdf", in, JsonObject.empty());

        String expected = in.sha256();
        assertThat(saved.size()).isEqualTo(size);
        assertThat(saved.sha256()).isEqualTo(expected);
        assertThat(sha256Of(store.documents().open(USER, s.id(), "large.pdf").orElseThrow()))
                .isEqualTo(size + ":" + expected);
        assertThat(store.documents().get(USER, s.id(), "large.pdf").orElseThrow().size()).isEqualTo(size);
    }

    @Test
    @DisplayName("Documents list by name ascending, with their metadata")
    void listByName() {
        Session s = userWithSession(USER);
        Session other = store.sessions().create(USER, "other");
        Document gamma = store.documents().save(USER, s.id(), "gamma.md", "text/markdown", utf8("g"));
        Document alpha = store.documents().save(USER, s.id(), "alpha.txt", "text/plain", utf8("a"));
        Document beta = store.documents().save(USER, s.id(), "beta.json", "application/json", utf8("{}"));
        store.documents().save(USER, other.id(), "delta.txt", "text/plain", utf8("d"));

        assertThat(store.documents().list(USER, s.id())).containsExactly(alpha, beta, gamma);
        assertThat(store.documents().list(USER, other.id())).extracting(Document::name).containsExactly("delta.txt");
        assertThat(store.documents().list(USER, store.sessions().create(USER, "empty").id())).isEmpty();
    }

    @Test
    @DisplayName("updateAnalysis replaces the analysis and leaves bytes, size and hash alone")
    void updateAnalysis() {
        Session s = userWithSession(USER);
        byte[] bytes = utf8("report body");
        Document saved = store.documents().save(USER, s.id(), "report.pdf", "application/pdf",
                new ByteArrayInputStream(bytes), JsonObject.of("origin", "mail"));
        JsonObject first = JsonObject.of("summary", "draft", "score", 0.5);
        JsonObject second = JsonObject.of("summary", "final", "entities", List.of("ACME"));

        store.documents().updateAnalysis(USER, s.id(), "report.pdf", first);
        Document updated = store.documents().updateAnalysis(USER, s.id(), "report.pdf", second);

        assertThat(updated).isEqualTo(saved.withAnalysis(second));
        assertThat(store.documents().get(USER, s.id(), "report.pdf")).contains(saved.withAnalysis(second));
        assertThat(store.documents().read(USER, s.id(), "report.pdf")).hasValue(bytes);
        assertThatThrownBy(() -> store.documents().updateAnalysis(USER, s.id(), "missing.pdf", first))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("delete removes the document and reports whether there was one")
    void delete() {
        Session s = userWithSession(USER);
        store.documents().save(USER, s.id(), "doomed.txt", "text/plain", utf8("bye"));
        store.documents().save(USER, s.id(), "kept.txt", "text/plain", utf8("stay"));

        assertThat(store.documents().delete(USER, s.id(), "doomed.txt")).isTrue();

        assertThat(store.documents().get(USER, s.id(), "doomed.txt")).isEmpty();
        assertThat(store.documents().read(USER, s.id(), "doomed.txt")).isEmpty();
        assertThat(store.documents().open(USER, s.id(), "doomed.txt")).isEmpty();
        assertThat(store.documents().list(USER, s.id())).extracting(Document::name).containsExactly("kept.txt");
        assertThat(store.documents().delete(USER, s.id(), "doomed.txt")).isFalse();
        assertThat(exportBody(store)).doesNotContain("doomed.txt");
    }

    @Test
    @DisplayName("Saving under an existing name replaces the document")
    void replaceSameName() {
        Session s = userWithSession(USER);
        store.documents().save(USER, s.id(), "notes.txt", "text/plain", utf8("first version, longer"));
        byte[] second = utf8("second");

        Document replaced = store.documents().save(USER, s.id(), "notes.txt", "text/markdown", second);

        assertThat(store.documents().list(USER, s.id())).containsExactly(replaced);
        assertThat(replaced.size()).isEqualTo(second.length);
        assertThat(replaced.sha256()).isEqualTo(sha256(second));
        assertThat(replaced.mimeType()).isEqualTo("text/markdown");
        assertThat(store.documents().read(USER, s.id(), "notes.txt")).hasValue(second);
    }

    @Test
    @DisplayName("A missing document is empty, not an error; an unknown or foreign session is a NotFoundException")
    void missingDocumentAndSession() {
        Session s = userWithSession(USER);
        Session foreign = store.sessions().create(user("doc-other"), "foreign");
        store.documents().save("doc-other", foreign.id(), "private.txt", "text/plain", utf8("mine"));

        assertThat(store.documents().get(USER, s.id(), "nothing.txt")).isEmpty();
        assertThat(store.documents().read(USER, s.id(), "nothing.txt")).isEmpty();
        assertThatThrownBy(() -> store.documents().save(USER, "no-session", "a.txt", "text/plain", utf8("x")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.documents().list(USER, foreign.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.documents().read(USER, foreign.id(), "private.txt"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.documents().save(USER, foreign.id(), "private.txt", "text/plain", utf8("stolen")))
                .isInstanceOf(NotFoundException.class);
        assertThat(store.documents().read("doc-other", foreign.id(), "private.txt")).hasValue(utf8("mine"));
    }

    @Test
    @DisplayName("Names that are not plain file names are a ValidationException for every call, before anything is stored")
    void hostileNamesAreRejected() {
        Session s = userWithSession(USER);
        List<String> hostile = List.of("", ".", "..", "../secret.txt", "a/b.txt", "/abs.txt", "a\\b.txt", "..\\up.txt",
                "nul\u0000.txt", "tab\t.txt", "new\nline.txt", "x".repeat(197) + ".txt", " leading.txt",
                "trailing.txt ", "bad\uD800.txt");

        for (String name : hostile) {
            String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
            assertThatThrownBy(() -> store.documents().save(USER, s.id(), name, "text/plain", utf8("x")))
                    .as("save %s", shown).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.documents().get(USER, s.id(), name)).as("get %s", shown)
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.documents().read(USER, s.id(), name)).as("read %s", shown)
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.documents().delete(USER, s.id(), name)).as("delete %s", shown)
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> store.documents().updateAnalysis(USER, s.id(), name, JsonObject.empty()))
                    .as("updateAnalysis %s", shown).isInstanceOf(ValidationException.class);
        }
        assertThat(store.documents().list(USER, s.id())).isEmpty();
    }

    @Test
    @DisplayName("Unusual but valid names (200 characters, Unicode, inner spaces, dots) round-trip")
    void unusualValidNames() {
        Session s = userWithSession(USER);
        List<String> names = List.of("x".repeat(196) + ".txt", "résumé 📄 final.txt", "a..b.txt", ".hidden.txt",
                "UPPER.TXT", "upper.txt", "with space.md", "日本語.md", "con.txt", "a:b.txt", "quote\"d.txt",
                "percent%20.txt", "star*.txt");

        for (String name : names) {
            byte[] bytes = utf8("content of " + name);
            store.documents().save(USER, s.id(), name, "text/plain", bytes);
            assertThat(store.documents().read(USER, s.id(), name)).as(name).hasValue(bytes);
        }
        assertThat(store.documents().list(USER, s.id())).extracting(Document::name)
                .containsExactlyInAnyOrderElementsOf(names);
        assertThat(store.documents().read(USER, s.id(), "upper.txt")).as("names are case-sensitive")
                .hasValue(utf8("content of upper.txt"));
    }

    @Test
    @DisplayName("§4 Limits: a document over limits.max-document-bytes fails mid-stream and leaves the previous one of that name unchanged")
    void failedSaveLeavesPreviousDocument() {
        ChatStore small = open(b -> b.set(Setting.MAX_DOCUMENT_BYTES, 1024));
        small.users().create(USER);
        Session s = small.sessions().create(USER, "limits");
        byte[] original = utf8("the original");
        Document before = small.documents().save(USER, s.id(), "report.txt", "text/plain", original);

        assertThatThrownBy(() -> small.documents().save(USER, s.id(), "report.txt", "text/plain",
                new GeneratedStream(4096), JsonObject.of("new", true)))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> small.documents().save(USER, s.id(), "fresh.txt", "text/plain",
                new GeneratedStream(1025), JsonObject.empty()))
                .isInstanceOf(LimitExceededException.class);

        assertThat(small.documents().get(USER, s.id(), "report.txt")).contains(before);
        assertThat(small.documents().read(USER, s.id(), "report.txt")).hasValue(original);
        assertThat(small.documents().get(USER, s.id(), "fresh.txt")).isEmpty();
        assertThat(small.documents().list(USER, s.id())).containsExactly(before);
        Document exactlyAtLimit = small.documents().save(USER, s.id(), "full.txt", "text/plain", new GeneratedStream(1024),
                JsonObject.empty());
        assertThat(exactlyAtLimit.size()).isEqualTo(1024);
    }

    @Test
    @DisplayName("§4 Limits: an extension outside limits.allowed-document-extensions is a LimitExceededException")
    void disallowedExtension() {
        Session s = userWithSession(USER);

        assertThatThrownBy(() -> store.documents().save(USER, s.id(), "virus.exe", "application/octet-stream", utf8("x")))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> store.documents().save(USER, s.id(), "no-extension", "text/plain", utf8("x")))
                .isInstanceOf(LimitExceededException.class);
        assertThat(store.documents().list(USER, s.id())).isEmpty();
        assertThat(store.documents().save(USER, s.id(), "SHOUT.PDF", "application/pdf", utf8("x")).name())
                .as("extensions compare case-insensitively").isEqualTo("SHOUT.PDF");

        ChatStore any = open(b -> b.set(Setting.ALLOWED_DOCUMENT_EXTENSIONS, "*"));
        any.users().create(USER);
        Session t = any.sessions().create(USER, "any");
        assertThat(any.documents().save(USER, t.id(), "tool.exe", "application/octet-stream", utf8("x")).size())
                .isEqualTo(1);
    }
}
