package dev.chatstore.migration.live;

import dev.chatstore.api.json.JsonCodec;
import dev.chatstore.api.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One difference verify found between a source and a target store: one line of the JSONL report.
 *
 * @param kind    what kind of difference
 * @param entity  the record type: user, credential, persona, session, message, document, context, context-history,
 *                panel, panel-message, insight
 * @param key     what {@code repair} re-copies to fix it
 * @param locator which record, e.g. {@code alice/chat_1#17} for message seq 17
 * @param fields  for {@link Kind#FIELD_MISMATCH}: the fields that differ
 * @param source  the source's value: its canonical JSON when values were asked for, else {@code sha256:...};
 *                for a count mismatch, the source's count
 * @param target  the target's value, likewise
 */
public record Finding(Kind kind, String entity, SyncKey key, String locator, List<String> fields,
                      Optional<String> source, Optional<String> target) {

    /** The kinds of difference. */
    public enum Kind {
        MISSING_IN_TARGET, MISSING_IN_SOURCE, FIELD_MISMATCH, COUNT_MISMATCH;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(locator, "locator");
        fields = List.copyOf(fields);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }

    /** The report line (without the newline). */
    public String toJsonLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.label());
        m.put("entity", entity);
        m.put("locator", locator);
        m.put("key", key.toJson());
        if (!fields.isEmpty()) {
            m.put("fields", fields);
        }
        source.ifPresent(v -> m.put("source", v));
        target.ifPresent(v -> m.put("target", v));
        return JsonCodec.write(JsonObject.from(m));
    }
}
