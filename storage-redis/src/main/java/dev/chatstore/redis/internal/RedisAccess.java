package dev.chatstore.redis.internal;

import dev.chatstore.api.error.StorageIOException;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The client (standalone or cluster) with the error translation around every call. Repositories go through
 * {@link #run} for scripts and {@link #call} for single-key commands.
 */
final class RedisAccess implements AutoCloseable {

    private final UnifiedJedis jedis;
    private final RedisExceptionTranslator translator;

    RedisAccess(UnifiedJedis jedis, RedisExceptionTranslator translator) {
        this.jedis = jedis;
        this.translator = translator;
    }

    UnifiedJedis jedis() {
        return jedis;
    }

    /** Runs a single-key command (or a few), translating any failure. */
    <T> T call(String operation, Function<UnifiedJedis, T> command) {
        try {
            return command.apply(jedis);
        } catch (RuntimeException e) {
            throw translator.translate(e, operation);
        }
    }

    /**
     * Runs a script. Keys and arguments may be {@code String}s (sent as UTF-8), {@code byte[]} or numbers.
     *
     * @return the reply: {@code OK} and the script's values, or the error code and details it returned
     */
    Reply run(RedisScript script, List<String> keys, List<?> args) {
        List<byte[]> k = new ArrayList<>(keys.size());
        for (String key : keys) {
            k.add(key.getBytes(StandardCharsets.UTF_8));
        }
        List<byte[]> a = new ArrayList<>(args.size());
        for (Object arg : args) {
            a.add(bytes(arg));
        }
        Object raw;
        try {
            try {
                raw = jedis.evalsha(script.sha(), k, a);
            } catch (JedisNoScriptException notLoaded) {
                raw = jedis.eval(script.source(), k, a); // loads it into the node's script cache
            }
        } catch (RuntimeException e) {
            throw translator.translate(e, script.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new StorageIOException("script " + script + " returned " + raw, null);
        }
        String status = text(list.get(0));
        List<Object> values = new ArrayList<>(list.subList(1, list.size()));
        if ("OK".equals(status)) {
            return new Reply(Optional.empty(), values);
        }
        return new Reply(Optional.of(text(values.get(0))), values.subList(1, values.size()));
    }

    @Override
    public void close() {
        try {
            jedis.close();
        } catch (RuntimeException e) {
            throw translator.translate(e, "close");
        }
    }

    static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    /** A bulk string of a reply as text (null stays null). */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return String.valueOf(value);
    }

    /** A flat field/value list (as HGETALL returns it) as a map. */
    static Map<String, String> hash(List<?> flat) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(text(flat.get(i)), text(flat.get(i + 1)));
        }
        return map;
    }

    /** Hashes a script returned as {@code count, field, value, ..., count, field, value, ...}. */
    static List<Map<String, String>> countedHashes(List<Object> values) {
        List<Map<String, String>> out = new ArrayList<>();
        int i = 0;
        while (i < values.size()) {
            int n = Integer.parseInt(text(values.get(i)));
            Map<String, String> h = hash(values.subList(i + 1, i + 1 + n));
            if (!h.isEmpty()) {
                out.add(h);
            }
            i += 1 + n;
        }
        return out;
    }

    /**
     * What a script returned.
     *
     * @param error  the error code ({@code NOTFOUND}, {@code DUP}, {@code LIMIT}, {@code CONFLICT}), if it failed
     * @param values its values, or the error's details
     */
    record Reply(Optional<String> error, List<Object> values) {

        boolean failed(String code) {
            return error.isPresent() && error.get().equals(code);
        }

        /** The i-th value as text. */
        String text(int i) {
            return RedisAccess.text(values.get(i));
        }

        /** Fails loudly on an error code the caller did not handle: a bug, not a user error. */
        Reply orThrow(String what) {
            if (error.isPresent()) {
                throw new StorageIOException("unexpected reply " + error.get() + " " + values + " to " + what, null);
            }
            return this;
        }
    }
}
