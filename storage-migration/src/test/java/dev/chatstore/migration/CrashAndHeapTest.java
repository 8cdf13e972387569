package dev.chatstore.migration;

import dev.chatstore.migration.legacy.LegacyImports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real processes: an importer JVM killed with SIGKILL mid-import and then run again ends exactly where an
 * uninterrupted import ends (store, report and counts); a 100,000-message chatStore.json larger than the
 * importer's whole heap imports in a JVM started with {@code -Xmx64m}.
 */
class CrashAndHeapTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(LegacyFormat.class)
    void killDashNineMidImportThenRerunEqualsAnUninterruptedImport(LegacyFormat format) throws Exception {
        Path src = RerunTest.source(format, tmp.resolve("src"), 300);
        String key = format == LegacyFormat.PYTHON_APP ? LegacyStores.FERNET_KEY : null;
        try (TestStore reference = TestStore.open(TestStore.Backend.FILE, tmp);
             TestStore crashed = TestStore.open(TestStore.Backend.FILE, tmp)) {
            Path refReport = tmp.resolve("ref.jsonl");
            ImportOptions o = ImportOptions.defaults().withReport(refReport);
            ImportSummary expected = LegacyImports.run(format, reference.store, src, key == null ? o : o.withLegacyKey(key));
            long total = expected.of("message").imported();
            assertThat(total).isGreaterThan(2000);
            crashed.store.close(); // the child owns the store while it runs

            Path checkpoint = tmp.resolve("import.ckpt");
            Path report = tmp.resolve("crash.jsonl");
            List<String> args = new ArrayList<>(List.of(format.cliName(), crashed.url, src.toString(),
                    checkpoint.toString(), report.toString()));
            if (key != null) {
                args.add(key);
            }
            long killedAt;
            try (ChildImport child = new ChildImport(List.of("-Xmx256m"), args.toArray(String[]::new))) {
                child.killAfter(total / 3, 120);
                killedAt = child.messages.get();
                assertThat(child.done.get()).as("killed before it finished").isNull();
            }
            assertThat(checkpoint).exists();
            assertThat(killedAt).isLessThan(total);

            try (ChildImport rerun = new ChildImport(List.of("-Xmx256m"), args.toArray(String[]::new))) {
                assertThat(rerun.await(300)).as(rerun.stderr()).isZero();
                assertThat(rerun.done.get()).startsWith(expected.exitCode() + " " + expected.entities());
            }
            crashed.reopen();
            assertThat(crashed.exportWithoutCiphertexts()).isEqualTo(reference.exportWithoutCiphertexts());
            assertThat(Files.readString(report)).isEqualTo(Files.readString(refReport));
        }
    }

    @Test
    void aChatStoreJsonLargerThanTheHeapImportsWithXmx64m() throws Exception {
        // 100 chats x 1,000 messages of ~700 characters: a file of about 80 MB, in a JVM with 64 MB of heap
        Path dir = tmp.resolve("big");
        Path file = LegacyStores.chatSync(dir, 100, 1000);
        String json = Files.readString(file);
        Files.writeString(file, json.replace("\"content\":\"", "\"content\":\"" + "padding ".repeat(80)));
        json = null;
        assertThat(Files.size(file)).isGreaterThan(64L * 1024 * 1024);
        try (TestStore target = TestStore.open(TestStore.Backend.FILE, tmp)) {
            target.store.close();
            try (ChildImport child = new ChildImport(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                    "chat-sync", target.url, dir.toString(), tmp.resolve("big.ckpt").toString(),
                    tmp.resolve("big.jsonl").toString())) {
                assertThat(child.await(600)).as(child.stderr()).isZero();
                assertThat(child.done.get()).startsWith("0 ");
            }
            target.reopen();
            assertThat(target.sessionCount()).isEqualTo(100);
            assertThat(target.store.messages().count(ImportOptions.DEFAULT_USER_ID, "chat-99")).isEqualTo(1000);
            assertThat(target.store.messages().get(ImportOptions.DEFAULT_USER_ID, "chat-42", 1000).orElseThrow().id())
                    .isEqualTo("msg-42-999");
            long all = 0;
            for (int c = 0; c < 100; c++) {
                all += target.store.messages().count(ImportOptions.DEFAULT_USER_ID, "chat-" + c);
            }
            assertThat(all).isEqualTo(100_000);
        }
    }
}
