package dev.chatstore.migration;

import dev.chatstore.migration.legacy.LegacyImports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Import rates (messages per second) of large generated legacy stores into {@code file:} (durability sync, the
 * default, and none) and, when reachable, PostgreSQL. Prints one line per run; not a test.
 *
 * <p>{@code java -cp <test class path> dev.chatstore.migration.ImportBenchmark [messagesPerFormat] [targets]}
 * where targets is a comma-separated subset of {@code file-sync,file-none,postgres,sqlite}.
 */
public final class ImportBenchmark {

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<String> targets = List.of((args.length > 1 ? args[1] : "file-sync,file-none,postgres").split(","));
        Path tmp = Files.createTempDirectory("chatstore-import-bench");
        try {
            for (LegacyFormat format : LegacyFormat.values()) {
                Path src = tmp.resolve("src-" + format.cliName());
                int perChat = 100;
                int chats = messages / perChat;
                Path source = switch (format) {
                    case CHAT_SYNC -> LegacyStores.chatSync(src, chats, perChat).getParent();
                    case PYTHON_APP -> LegacyStores.pythonApp(src, chats / 10, 10, perChat);
                    case JSON_STORE -> LegacyStores.jsonStore(src, chats, perChat).getParent();
                };
                long bytes;
                try (var walk = Files.walk(source)) {
                    bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                }
                for (String target : targets) {
                    run(format, source, bytes, target, tmp);
                }
            }
        } finally {
            TestStore.deleteTree(tmp);
        }
    }

    private static void run(LegacyFormat format, Path source, long bytes, String target, Path tmp) throws Exception {
        TestStore.Backend backend = target.startsWith("file") ? TestStore.Backend.FILE
                : target.equals("sqlite") ? TestStore.Backend.SQLITE : TestStore.Backend.POSTGRES;
        try (TestStore t = TestStore.open(backend, tmp)) {
            if (target.equals("file-sync")) {
                t.store.close();
                t.store = dev.chatstore.api.ChatStore.open(TestStore.config(t.url).toBuilder()
                        .durability(dev.chatstore.api.config.Durability.SYNC).build());
            }
            ImportOptions o = ImportOptions.defaults();
            if (format == LegacyFormat.PYTHON_APP) {
                o = o.withLegacyKey(LegacyStores.FERNET_KEY);
            }
            long start = System.nanoTime();
            ImportSummary s = LegacyImports.run(format, t.store, source, o);
            double secs = (System.nanoTime() - start) / 1e9;
            long n = s.of("message").imported();
            System.out.printf("%-10s -> %-9s %,9d messages %,6d sessions %6.1f MB in %6.2f s = %,8.0f messages/s (exit %d)%n",
                    format.cliName(), target, n, s.of("session").imported(), bytes / 1e6, secs, n / secs, s.exitCode());
        }
    }
}
