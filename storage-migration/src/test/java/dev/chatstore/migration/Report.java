package dev.chatstore.migration;

import dev.chatstore.api.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSONL report of a run, read back for assertions. */
record Report(List<JsonObject> lines) {

    static Report read(Path file) throws IOException {
        return new Report(Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(JsonObject::parse).toList());
    }

    /** The single finding whose reason contains {@code reasonPart} (fails if none or several). */
    JsonObject one(String reasonPart) {
        List<JsonObject> hits = lines.stream()
                .filter(l -> l.getString("reason").orElse("").contains(reasonPart)).toList();
        assertThat(hits).as("findings with reason containing '%s' in %s", reasonPart, lines).hasSize(1);
        return hits.get(0);
    }

    /** The single finding about {@code file} whose reason contains {@code reasonPart}. */
    JsonObject one(String file, String reasonPart) {
        List<JsonObject> hits = all(reasonPart).stream().filter(l -> l.getString("file").orElse("").equals(file)).toList();
        assertThat(hits).as("findings in %s with reason containing '%s' in %s", file, reasonPart, lines).hasSize(1);
        return hits.get(0);
    }

    List<JsonObject> all(String reasonPart) {
        return lines.stream().filter(l -> l.getString("reason").orElse("").contains(reasonPart)).toList();
    }

    /** Asserts the finding's place and outcome. */
    static void at(JsonObject f, String file, long line, String path, String entity, String outcome) {
        assertThat(f.getString("file")).as("file of %s", f).contains(file);
        if (line > 0) {
            assertThat(((Number) f.members().get("line")).longValue()).as("line of %s", f).isEqualTo(line);
        }
        if (path != null) {
            assertThat(f.getString("path")).as("path of %s", f).contains(path);
        }
        assertThat(f.getString("entity")).as("entity of %s", f).contains(entity);
        assertThat(f.getString("outcome")).as("outcome of %s", f).contains(outcome);
    }
}
