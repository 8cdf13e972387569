package dev.chatstore.migration;

import dev.chatstore.api.error.ValidationException;

import java.util.Arrays;

/** The ad-hoc JSON stores of the seeds that {@link LegacyImporter}s read (CONTRACT §7, step 1). */
public enum LegacyFormat {

    /** Seed 000: one {@code chatStore.json} array of chats with embedded messages; no users. */
    CHAT_SYNC("chat-sync"),
    /** Seeds 001/002: {@code users.json} plus {@code user_data/<user>.json} with Fernet-encrypted API keys. */
    PYTHON_APP("python-app"),
    /** Seed 003: the TypeScript JsonStore {@code data/} tree: chats/index.jsonl, per-chat logs, personas, characters. */
    JSON_STORE("json-store");

    private final String cliName;

    LegacyFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name a user types, e.g. {@code chat-sync}. */
    public String cliName() {
        return cliName;
    }

    /** The format named {@code name} ({@code chat-sync}, {@code python-app} or {@code json-store}). */
    public static LegacyFormat fromName(String name) {
        return Arrays.stream(values()).filter(f -> f.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new ValidationException("format", "'" + name + "' is not a legacy format; expected one of "
                        + Arrays.stream(values()).map(LegacyFormat::cliName).toList()));
    }
}
