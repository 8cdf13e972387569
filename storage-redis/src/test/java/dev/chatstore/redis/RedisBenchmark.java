package dev.chatstore.redis;

import dev.chatstore.api.ChatStore;
import dev.chatstore.api.model.NewMessage;
import dev.chatstore.api.model.Session;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.XAddParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Redis scenarios of BENCHMARKS.md, run by hand (not a test): append against one raw XADD of the same
 * payload, the append at #100,000 against #10, the last 50 of a large log against a small one, search over the
 * large log, and memory per message and per index entry. Everything is written under a fresh key prefix and
 * deleted at the end.
 *
 * <p>Usage: {@code java -cp <test classpath> dev.chatstore.redis.RedisBenchmark [url] [large-log-size]}
 */
public final class RedisBenchmark {

    private static final String[] WORDS = ("the quick brown fox jumps over lazy dog alpha beta gamma delta "
            + "python csv file read stream chunk memory index search redis cluster message session token").split(" ");

    private RedisBenchmark() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : RedisTestServers.STANDALONE_URL;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String prefix = RedisTestServers.newPrefix("bench");
        Map<String, String> results = new LinkedHashMap<>() {
            @Override
            public String put(String scenario, String figure) {
                System.out.println(scenario + ": " + figure); // as measured, so a late failure loses nothing
                System.out.flush();
                return super.put(scenario, figure);
            }
        };
        try (ChatStore store = RedisStores.open(url, prefix, b -> b.set("limits.max-messages-per-session", 10_000_000));
             UnifiedJedis raw = RedisTestServers.client(url)) {
            store.users().create("bench");
            Session small = store.sessions().create("bench", "small");
            Session big = store.sessions().create("bench", "big");
            String text = sentence(0);

            // 1. append vs raw XADD of the same payload (warm-up first)
            for (int i = 0; i < 500; i++) {
                store.messages().append("bench", small.id(), NewMessage.user(sentence(i)));
            }
            String rawKey = prefix + ":raw";
            for (int i = 0; i < 500; i++) {
                raw.xadd(rawKey, XAddParams.xAddParams(), Map.of("content", text));
            }
            Session appendTarget = store.sessions().create("bench", "append");
            results.put("append (ChatStore, 1 message, indexed), median µs",
                    micros(time(2000, i -> store.messages().append("bench", appendTarget.id(),
                            NewMessage.user(sentence(i))))));
            results.put("raw XADD of the same content, median µs", micros(time(2000, i -> raw.xadd(rawKey,
                    XAddParams.xAddParams(), Map.of("content", sentence(i), "role", "user")))));

            // 2. append #N vs #10: fill the big log with batches of 1000
            long fillStart = System.nanoTime();
            for (int done = 0; done < large; done += 1000) {
                List<NewMessage> batch = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    batch.add(NewMessage.user(sentence(done + i)));
                }
                store.messages().appendAll("bench", big.id(), batch);
            }
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            results.put("fill " + large + " messages in batches of 1000, messages/s",
                    String.format(Locale.ROOT, "%.0f", large / fillSeconds));
            Session ten = store.sessions().create("bench", "ten");
            for (int i = 0; i < 9; i++) {
                store.messages().append("bench", ten.id(), NewMessage.user(sentence(i)));
            }
            results.put("append #10, median µs", micros(time(1, i -> store.messages().append("bench", ten.id(),
                    NewMessage.user(sentence(i))))));
            results.put("append #" + (large + 1) + "..#" + (large + 500) + ", median µs", micros(time(500,
                    i -> store.messages().append("bench", big.id(), NewMessage.user(sentence(i))))));
            Session hundred = store.sessions().create("bench", "hundred");
            for (int i = 0; i < 100; i++) {
                store.messages().append("bench", hundred.id(), NewMessage.user(sentence(i)));
            }
            results.put("append #11..#510 (small log), median µs", micros(time(500,
                    i -> store.messages().append("bench", small.id(), NewMessage.user(sentence(i))))));

            // 3. last 50 of the big log vs of 100
            results.put("last 50 of " + large + ", median µs", micros(time(1000,
                    i -> store.messages().last("bench", big.id(), 50))));
            results.put("last 50 of 100, median µs", micros(time(1000,
                    i -> store.messages().last("bench", hundred.id(), 50))));

            // 4. search over the user's messages (big log dominates)
            long total = large + 500 + 2000 + 510 + 10 + 100 + 500;
            results.put("search 'python csv' (2 common words) over ~" + total + " messages, limit 50, median µs",
                    micros(time(200, i -> store.messages().search("bench", "python csv"))));
            results.put("search 'fox' (1 common word), limit 50, median µs",
                    micros(time(200, i -> store.messages().search("bench", "fox"))));
            results.put("search 'w" + (large / 2) + "' (1 rare word), median µs",
                    micros(time(200, i -> store.messages().search("bench", "w" + (large / 2)))));
            results.put("search 'python w" + (large / 2) + "' (common + rare), median µs",
                    micros(time(200, i -> store.messages().search("bench", "python w" + (large / 2)))));
            results.put("search 'kiwi mango' (two 5% words never together: walks the smaller set), median µs",
                    micros(time(20, i -> store.messages().search("bench", "kiwi mango"))));
            results.put("search 'zzzz python' (no hit), median µs",
                    micros(time(200, i -> store.messages().search("bench", "zzzz python"))));

            // 5. memory
            String logKey = prefix + ":{u:bench}:s:" + big.id() + ":log";
            String idsKey = prefix + ":{u:bench}:s:" + big.id() + ":ids";
            long logBytes = raw.memoryUsage(logKey, 0);
            long idsBytes = raw.memoryUsage(idsKey, 0);
            long count = raw.xlen(logKey);
            results.put("stream bytes per message (MEMORY USAGE, " + count + " entries, ~" + text.length()
                    + " chars of content)", String.format(Locale.ROOT, "%.0f", (double) logBytes / count));
            results.put("id->seq hash bytes per message",
                    String.format(Locale.ROOT, "%.0f", (double) idsBytes / count));
            long indexBytes = 0;
            long entries = 0;
            for (String w : raw.smembers(prefix + ":{u:bench}:words")) {
                String k = prefix + ":{u:bench}:w:" + w;
                Long b = raw.memoryUsage(k, 0);
                indexBytes += b == null ? 0 : b;
                entries += raw.zcard(k);
            }
            results.put("index bytes per entry (" + entries + " entries)",
                    String.format(Locale.ROOT, "%.0f", (double) indexBytes / entries));
            results.put("index entries per message", String.format(Locale.ROOT, "%.1f",
                    (double) entries / total));
            results.put("used_memory per message (INFO memory / all messages)", String.format(Locale.ROOT, "%.0f",
                    (double) usedMemory(raw) / total));
        } finally {
            RedisTestServers.deleteKeys(url, prefix + ":*");
        }
    }

    /**
     * Twelve or thirteen words: eleven distinct ones of a 26-word vocabulary (each in about 42% of the messages),
     * one unique per message ("w<i>"), and in one message of 20 "kiwi", in another "mango" (never together).
     */
    private static String sentence(int i) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 11; k++) {
            sb.append(WORDS[(i * 7 + k * 3) % WORDS.length]).append(' ');
        }
        sb.append('w').append(i);
        if (i % 20 == 0) {
            sb.append(" kiwi");
        } else if (i % 20 == 10) {
            sb.append(" mango");
        }
        return sb.toString();
    }

    private static long usedMemory(UnifiedJedis raw) {
        for (String line : raw.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).strip());
            }
        }
        return -1;
    }

    private interface Op {
        void run(int i);
    }

    private static long[] time(int n, Op op) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            op.run(i);
            nanos[i] = System.nanoTime() - t;
        }
        return nanos;
    }

    private static String micros(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%.0f (p90 %.0f)", sorted[sorted.length / 2] / 1e3,
                sorted[(int) (sorted.length * 0.9)] / 1e3);
    }
}
