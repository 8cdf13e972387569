package dev.chatstore.migration.legacy;

import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.internal.Validator;
import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a legacy chat's own fields (everything but its messages) onto a session: title, model, provider, archived,
 * createdAt and updatedAt where the legacy names say so, everything else kept as it was in {@code metadata}.
 */
final class SessionFields {

    private SessionFields() {
    }

    /**
     * @param fields         the chat's fields (id, user and messages already taken out); consumed
     * @param createdField   the legacy name of the creation time
     * @param updatedFields  legacy names of the last-change time, in order of preference; the first present one
     *                       that parses is used and removed, except {@code lastModified}, which is always kept in
     *                       metadata as it was
     * @param archivedField  the legacy name of the archived flag, or null
     */
    static ChatImport.Fields of(ImportRun run, Map<String, Object> fields, String rawId, String sessionId,
                                ChatImport.Origin origin, String createdField, List<String> updatedFields,
                                String archivedField) {
        Map<String, Object> meta = new LinkedHashMap<>(fields);
        String title = "";
        if (meta.get("title") instanceof String t && JsonCodec.firstUnpairedSurrogate(t) < 0) {
            meta.remove("title");
            if (t.length() > Validator.MAX_LABEL) {
                title = t.substring(0, Character.isHighSurrogate(t.charAt(Validator.MAX_LABEL - 1))
                        ? Validator.MAX_LABEL - 1 : Validator.MAX_LABEL);
                meta.put("legacyTitle", t);
                note(run, origin, rawId, "title of " + t.length() + " characters cut to " + title.length()
                        + "; the whole title is kept as legacyTitle in metadata");
            } else {
                title = t;
            }
        }
        Optional<String> model = label(meta, "model");
        Optional<String> provider = label(meta, "provider");
        boolean archived = false;
        if (archivedField != null && meta.get(archivedField) instanceof Boolean b) {
            meta.remove(archivedField);
            archived = b;
        }
        Optional<Instant> updated = Optional.empty();
        for (String name : updatedFields) {
            Optional<Instant> t = LegacyValues.instant(meta.get(name));
            if (t.isPresent()) {
                updated = t;
                if (!name.equals("lastModified")) {
                    meta.remove(name);
                }
                break;
            }
        }
        Optional<Instant> created = LegacyValues.instant(meta.get(createdField));
        if (created.isPresent()) {
            meta.remove(createdField);
        } else {
            Instant fallback = updated.orElse(Instant.EPOCH);
            note(run, origin, rawId, (meta.containsKey(createdField) ? "bad timestamp: " + createdField + " is "
                    + LegacyValues.describe(meta.get(createdField)) : "missing " + createdField)
                    + "; createdAt set to " + fallback + (meta.containsKey(createdField)
                    ? ", the legacy value is kept in metadata" : ""));
            created = Optional.of(fallback);
        }
        Instant createdAt = created.get();
        Instant updatedAt = updated.orElse(createdAt);
        if (!sessionId.equals(rawId)) {
            meta.put("legacyId", rawId);
        }
        JsonObject metadata;
        try {
            metadata = Validator.json("session.metadata", JsonObject.from(meta), run.config.maxJsonBytes());
        } catch (StorageException e) {
            Map<String, Object> kept = new LinkedHashMap<>();
            if (meta.containsKey("legacyId")) {
                kept.put("legacyId", meta.get("legacyId"));
            }
            if (meta.get("lastModified") instanceof String lm) {
                kept.put("lastModified", lm);
            }
            metadata = JsonObject.from(kept);
            run.note(new Finding(origin.file(), origin.line(), origin.path(), ImportRun.SESSION,
                    LegacyValues.printable(rawId), Finding.FAILED, "the chat's unmapped fields " + meta.keySet()
                    + " cannot be stored as metadata (" + e.getMessage() + "); they are NOT imported"));
        }
        return new ChatImport.Fields(title, model, provider, archived, metadata, createdAt, updatedAt);
    }

    private static Optional<String> label(Map<String, Object> meta, String name) {
        if (meta.get(name) instanceof String s && !s.isEmpty() && s.length() <= Validator.MAX_LABEL
                && JsonCodec.firstUnpairedSurrogate(s) < 0) {
            meta.remove(name);
            return Optional.of(s);
        }
        return Optional.empty();
    }

    private static void note(ImportRun run, ChatImport.Origin origin, String rawId, String reason) {
        run.note(new Finding(origin.file(), origin.line(), origin.path(), ImportRun.SESSION,
                LegacyValues.printable(rawId), Finding.MAPPED, reason));
    }
}
