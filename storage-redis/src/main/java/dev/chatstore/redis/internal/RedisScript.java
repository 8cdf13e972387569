package dev.chatstore.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts, each read from {@code lua/<name>.lua} with {@code lua/prelude.lua} in front. Run by SHA-1
 * ({@code EVALSHA}), loaded on first use per node.
 */
enum RedisScript {
    USER_INSERT, USER_RESTORE, USER_DELETE, VERSIONED_UPDATE,
    SESSION_INSERT, SESSION_UPDATE, SESSION_RESTORE, SESSION_DELETE, SESSION_LIST,
    LOG_APPEND, LOG_RESTORE, LOG_READ, SEARCH,
    DOC_SAVE, DOC_READ, DOC_UPDATE, DOC_DELETE,
    CTX_WRITE, CTX_READ,
    PERSONA_WRITE, PERSONA_DELETE, PERSONA_LIST,
    CREDENTIAL_PUT,
    PANEL_WRITE, PANEL_DELETE, INSIGHT_WRITE, INSIGHT_READ, INSIGHT_PURGE;

    private final byte[] source;
    private final byte[] sha;

    RedisScript() {
        String text = read("prelude") + "\n" + read(name().toLowerCase(java.util.Locale.ROOT));
        this.source = text.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    byte[] source() {
        return source;
    }

    byte[] sha() {
        return sha;
    }

    private static String read(String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = RedisScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
