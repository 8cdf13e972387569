package dev.chatstore.migration;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

/** Generates legacy stores of the three formats, large or small, for the tests and the benchmark. */
final class LegacyStores {

    /** A Fernet key for generated Python-app stores. */
    static final String FERNET_KEY = Base64.getUrlEncoder().encodeToString(
            "generated-signing-key-16generated-aes-key16".substring(0, 32).getBytes(StandardCharsets.US_ASCII));

    private LegacyStores() {
    }

    /** JSON string literal. */
    static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static String ts(long i) {
        return java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i * 37).toString().replace("Z", ".000Z")
                .replace(".000.000Z", ".000Z");
    }

    static String text(Random r, int words) {
        String[] vocab = {"hello", "postgres", "migration", "naïve", "日本語", "emoji😀", "line\nbreak", "quote\"d",
                "tab\tsep", "token", "cost", "مرحبا"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(vocab[r.nextInt(vocab.length)]);
        }
        return sb.toString();
    }

    /** A clean chatStore.json: {@code chats} chats of {@code perChat} messages, one chat per line. */
    static Path chatSync(Path dir, int chats, int perChat) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("chatStore.json");
        Random r = new Random(42);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("[\n");
            for (int c = 0; c < chats; c++) {
                StringBuilder sb = new StringBuilder();
                sb.append("{\"id\":").append(q("chat-" + c)).append(",\"title\":").append(q(text(r, 3)))
                        .append(",\"messages\":[");
                for (int m = 0; m < perChat; m++) {
                    sb.append(m == 0 ? "" : ",").append("{\"id\":").append(q("msg-" + c + "-" + m))
                            .append(",\"role\":").append(q(m % 2 == 0 ? "user" : "assistant"))
                            .append(",\"content\":").append(q(text(r, 5 + r.nextInt(20))))
                            .append(",\"timestamp\":").append(q(ts((long) c * perChat + m))).append('}');
                }
                sb.append("],\"createdAt\":").append(q(ts(c))).append(",\"updatedAt\":").append(q(ts(c + 1)))
                        .append(",\"lastModified\":").append(q(ts(c + 2)))
                        .append(",\"model\":\"gpt-4\",\"provider\":\"openai\",\"isArchived\":").append(c % 5 == 0)
                        .append('}');
                w.write(sb.toString());
                w.write(c + 1 < chats ? ",\n" : "\n");
            }
            w.write("]\n");
        }
        return file;
    }

    /** A clean Python-app store: {@code users} users with {@code convs} conversations of {@code perConv} messages. */
    static Path pythonApp(Path dir, int users, int convs, int perConv) throws Exception {
        Files.createDirectories(dir.resolve("user_data"));
        Random r = new Random(7);
        StringBuilder us = new StringBuilder("{\n");
        for (int u = 0; u < users; u++) {
            us.append(q("u" + u)).append(": {\"email\": ").append(q("u" + u + "@example.com")).append(", \"name\": ")
                    .append(q("User " + u)).append(", \"password_hash\": \"pbkdf2$x\", \"auth_type\": \"password\", "
                            + "\"created_at\": ").append(q(ts(u))).append("}").append(u + 1 < users ? ",\n" : "\n");
            try (Writer w = Files.newBufferedWriter(dir.resolve("user_data/u" + u + ".json"), StandardCharsets.UTF_8)) {
                w.write("{\n\"api_keys\": {\"openai\": " + q(fernet(FERNET_KEY, "sk-u" + u)) + "},\n\"conversations\": {\n");
                for (int c = 0; c < convs; c++) {
                    StringBuilder sb = new StringBuilder();
                    sb.append(q("conv_" + u + "_" + c)).append(": {\"title\": ").append(q(text(r, 3)))
                            .append(", \"messages\": [");
                    for (int m = 0; m < perConv; m++) {
                        sb.append(m == 0 ? "" : ", ");
                        if (m % 2 == 0) {
                            sb.append("{\"role\": \"user\", \"content\": ").append(q(text(r, 8))).append('}');
                        } else {
                            sb.append("{\"role\": \"assistant\", \"content\": ").append(q(text(r, 12)))
                                    .append(", \"input_tokens\": ").append(100 + m).append(", \"output_tokens\": ")
                                    .append(200 + m).append(", \"cost\": 0.00").append(10 + m % 80).append('}');
                        }
                    }
                    sb.append("], \"provider\": \"openai\", \"model\": \"gpt-4o\", \"timestamp\": ").append(q(ts(c)))
                            .append('}');
                    w.write(sb.toString());
                    w.write(c + 1 < convs ? ",\n" : "\n");
                }
                w.write("}\n}\n");
            }
        }
        us.append("}\n");
        Files.writeString(dir.resolve("users.json"), us.toString());
        return dir;
    }

    /** A clean JsonStore data/ tree: {@code chats} chats of {@code perChat} messages, two personas, two characters. */
    static Path jsonStore(Path dir, int chats, int perChat) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("chats"));
        Files.createDirectories(data.resolve("personas"));
        Files.createDirectories(data.resolve("characters"));
        Random r = new Random(3);
        for (int p = 0; p < 2; p++) {
            Files.writeString(data.resolve("personas/persona-" + p + ".json"), "{\"id\": " + q("persona-" + p)
                    + ", \"name\": " + q("Persona " + p) + ", \"description\": " + q(text(r, 6)) + "}");
            Files.writeString(data.resolve("characters/char-" + p + ".json"), "{\"id\": " + q("char-" + p)
                    + ", \"userId\": \"user-1\", \"name\": " + q("Character " + p) + ", \"personality\": "
                    + q(text(r, 6)) + "}");
        }
        try (Writer idx = Files.newBufferedWriter(data.resolve("chats/index.jsonl"), StandardCharsets.UTF_8)) {
            for (int c = 0; c < chats; c++) {
                String id = String.format("c%05d", c);
                idx.write("{\"id\": " + q(id) + ", \"userId\": \"user-" + (c % 3) + "\", \"title\": " + q(text(r, 3))
                        + ", \"characterId\": \"char-" + (c % 2) + "\", \"createdAt\": " + q(ts(c)) + ", \"updatedAt\": "
                        + q(ts(c + 5)) + "}\n");
                try (Writer w = Files.newBufferedWriter(data.resolve("chats/" + id + ".jsonl"), StandardCharsets.UTF_8)) {
                    for (int m = 0; m < perChat; m++) {
                        w.write("{\"type\": \"message\", \"id\": " + q(id + "-m" + m) + ", \"role\": "
                                + q(m % 2 == 0 ? "user" : "assistant") + ", \"content\": " + q(text(r, 5 + r.nextInt(20)))
                                + ", \"createdAt\": " + q(ts((long) c * perChat + m)) + "}\n");
                    }
                }
            }
        }
        return data;
    }

    /** A Fernet token of {@code plaintext} (the Python cryptography package's format), for generated stores. */
    static String fernet(String key, String plaintext) throws Exception {
        byte[] k = Base64.getUrlDecoder().decode(key);
        byte[] iv = new byte[16];
        new Random(plaintext.hashCode()).nextBytes(iv);
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Arrays.copyOfRange(k, 16, 32), "AES"), new IvParameterSpec(iv));
        byte[] ct = aes.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 16 + ct.length + 32);
        b.put((byte) 0x80).putLong(1_700_000_000L).put(iv).put(ct);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Arrays.copyOfRange(k, 0, 16), "HmacSHA256"));
        mac.update(b.array(), 0, b.position());
        b.put(mac.doFinal());
        return Base64.getUrlEncoder().encodeToString(b.array());
    }
}
