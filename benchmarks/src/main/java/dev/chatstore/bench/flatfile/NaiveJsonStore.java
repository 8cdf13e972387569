package dev.chatstore.bench.flatfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The seeds' pattern, written here only as a baseline: one JSON file per conversation holding every message,
 * read, extended and rewritten whole on each append (then fsynced, to compare like with like).
 */
final class NaiveJsonStore {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path file;

    NaiveJsonStore(Path file) throws IOException {
        this.file = file;
        Files.writeString(file, "{\"messages\":[]}");
    }

    void append(String role, String content) throws IOException {
        ObjectNode doc = (ObjectNode) MAPPER.readTree(file.toFile());
        ArrayNode messages = (ArrayNode) doc.get("messages");
        ObjectNode m = messages.addObject();
        m.put("seq", messages.size());
        m.put("role", role);
        m.put("content", content);
        m.put("createdAt", Instant.now().toString());
        byte[] bytes = MAPPER.writeValueAsBytes(doc);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(false);
        }
    }
}
