package dev.chatstore.migration;

import dev.chatstore.migration.legacy.LegacyImports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Safe to re-run: idempotent on every backend, a dry run writes nothing, a checkpoint resumes. */
class RerunTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> formatsAndBackends() {
        List<Arguments> out = new ArrayList<>();
        for (LegacyFormat f : LegacyFormat.values()) {
            for (TestStore.Backend b : TestStore.Backend.values()) {
                out.add(Arguments.of(f, b));
            }
        }
        return out.stream();
    }

    /** A small generated store of the format with a few damaged records, so that the reports are not empty. */
    static Path source(LegacyFormat format, Path dir, int scale) throws Exception {
        switch (format) {
            case CHAT_SYNC: {
                Path f = LegacyStores.chatSync(dir, 3 * scale, 20);
                String s = Files.readString(f);
                // a duplicate chat (last wins) and a message without a role
                s = s.replaceFirst("\\[\n", "[\n{\"id\":\"chat-1\",\"title\":\"superseded\",\"messages\":[]},\n")
                        .replaceFirst("\"role\":\"user\",", "");
                Files.writeString(f, s);
                return dir;
            }
            case PYTHON_APP: {
                Path d = LegacyStores.pythonApp(dir, 2 + scale, 3, 20);
                Path one = d.resolve("user_data/u0.json");
                Files.writeString(one, Files.readString(one).replaceFirst("\"role\": \"user\", ", ""));
                return d;
            }
            default: {
                Path data = LegacyStores.jsonStore(dir, 3 * scale, 20);
                Files.writeString(data.resolve("chats/orphan.jsonl"), "{\"type\":\"message\"}\n");
                Files.writeString(data.resolve("chats/c00000.jsonl"), "{\"type\": \"message\", \"id\": \"x\", \"broken",
                        java.nio.file.StandardOpenOption.APPEND);
                return dir;
            }
        }
    }

    private static ImportOptions options(LegacyFormat format, Path report) {
        ImportOptions o = ImportOptions.defaults().withReport(report).withChunkSize(7);
        return format == LegacyFormat.PYTHON_APP ? o.withLegacyKey(LegacyStores.FERNET_KEY) : o;
    }

    @ParameterizedTest(name = "{0} into {1}")
    @MethodSource("formatsAndBackends")
    void importingTwiceLeavesTheSameStore(LegacyFormat format, TestStore.Backend backend) throws Exception {
        Path src = source(format, tmp.resolve("src"), 1);
        try (TestStore t = TestStore.open(backend, tmp)) {
            ImportSummary first = LegacyImports.run(format, t.store, src, options(format, tmp.resolve("r1.jsonl")));
            String once = t.exportWithoutCiphertexts();
            String credentialsOnce = t.export().lines().filter(l -> l.contains("\"credential\"")).toList().toString();
            t.reopen();
            ImportSummary second = LegacyImports.run(format, t.store, src, options(format, tmp.resolve("r2.jsonl")));

            assertThat(first.of("message").imported()).isGreaterThan(0);
            assertThat(first.exitCode()).isEqualTo(ImportSummary.EXIT_FINDINGS);
            assertThat(second.entities()).isEqualTo(first.entities());
            assertThat(Files.readString(tmp.resolve("r2.jsonl"))).isEqualTo(Files.readString(tmp.resolve("r1.jsonl")));
            assertThat(t.exportWithoutCiphertexts()).isEqualTo(once);
            // the API keys were not even re-encrypted: the same ciphertext, nonce and times
            assertThat(t.export().lines().filter(l -> l.contains("\"credential\"")).toList().toString())
                    .isEqualTo(credentialsOnce);
        }
    }

    @ParameterizedTest(name = "{0} into {1}")
    @MethodSource("formatsAndBackends")
    void dryRunReportsTheSameButWritesNothing(LegacyFormat format, TestStore.Backend backend) throws Exception {
        Path src = source(format, tmp.resolve("src"), 1);
        try (TestStore dry = TestStore.open(backend, tmp); TestStore real = TestStore.open(backend, tmp)) {
            String empty = dry.export();
            ImportSummary d = LegacyImports.run(format, dry.store, src,
                    options(format, tmp.resolve("dry.jsonl")).withDryRun(true).withCheckpoint(tmp.resolve("dry.ckpt")));
            ImportSummary r = LegacyImports.run(format, real.store, src, options(format, tmp.resolve("real.jsonl")));

            assertThat(dry.export()).isEqualTo(empty);
            assertThat(tmp.resolve("dry.ckpt")).doesNotExist();
            assertThat(d.dryRun()).isTrue();
            assertThat(d.entities()).isEqualTo(r.entities());
            assertThat(Files.readString(tmp.resolve("dry.jsonl"))).isEqualTo(Files.readString(tmp.resolve("real.jsonl")));
        }
    }

    @Test
    void aCompletedCheckpointIsNotResumedFrom() throws Exception {
        Path src = source(LegacyFormat.CHAT_SYNC, tmp.resolve("src"), 1);
        try (TestStore t = TestStore.open(TestStore.Backend.FILE, tmp)) {
            ImportOptions o = options(LegacyFormat.CHAT_SYNC, tmp.resolve("r.jsonl")).withCheckpoint(tmp.resolve("ckpt.json"));
            ImportSummary first = LegacyImports.run(LegacyFormat.CHAT_SYNC, t.store, src, o);
            ImportSummary second = LegacyImports.run(LegacyFormat.CHAT_SYNC, t.store, src, o);
            assertThat(second.resumed()).isFalse();
            assertThat(second.entities()).isEqualTo(first.entities());
            assertThat(Files.readString(tmp.resolve("ckpt.json"))).contains("\"complete\" : true");
        }
    }
}
