package dev.chatstore.flatfile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatstore.api.error.StorageException;
import dev.chatstore.api.error.StorageIOException;
import dev.chatstore.api.model.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * One user's session index, {@code users/<user>/sessions.idx}: every session of the user as listing shows it
 * (counters included), each with the identity, size and modification time of the {@code session.json} and
 * {@code messages.jsonl} it was derived from, so that listing newest-first reads one file and {@code stat}s the
 * primary files instead of parsing every {@code session.json} and opening every log.
 *
 * <p>It is derived and self-validating: an entry is used only while both files still have the recorded stamps
 * (appends change the log's size, updates replace {@code session.json}); a stale entry is re-derived from the
 * primary files. New and removed sessions are found through the {@code sessions/} directory's own stamp, which
 * changes when an entry is added or removed; because a directory's time stamp is coarse, a stamp within
 * {@link #RACY_MILLIS} of when the directory was last read is not trusted (the directory is read again), as git
 * does for its index. So writers never have to update it, it needs no lock (the file is replaced atomically, and
 * whichever process writes last writes a snapshot that validates itself), and deleting it is always safe. A file
 * whose checksum fails is ignored and rewritten.
 */
final class SessionIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SessionIndex.class);
    static final String FILE = "sessions.idx";
    static final long RACY_MILLIS = 2000;

    /** Re-derives one session from its directory; empty if it has no session.json. */
    interface Loader {
        Optional<Session> load(Path sessionDir);
    }

    private record Item(String stampJson, String stampLog, Session session) {
    }

    private final Path sessionsDir;
    private final Path file;
    private final FileIo io;
    /** Whether to write sessions.idx (a read-only store keeps the index in memory). */
    private final boolean persist;

    private Map<String, Item> items = new LinkedHashMap<>();
    private String dirStamp = "";
    private long dirReadAt;
    private String fileStamp = "";

    SessionIndex(Path userDir, FileIo io, boolean persist) {
        this.persist = persist;
        this.sessionsDir = userDir.resolve("sessions");
        this.file = userDir.resolve(FILE);
        this.io = io;
    }

    private static String stamp(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        // file identity, size and modification time in nanoseconds (cheap to build: no date formatting)
        return (a.fileKey() != null ? a.fileKey().toString() : Long.toString(a.creationTime().toMillis())) + "|"
                + a.size() + "|" + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static String stampOrEmpty(Path p) {
        try {
            return stamp(p);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", p, e);
        }
    }

    private static long mtimeMillis(Path p) throws IOException {
        return Files.getLastModifiedTime(p).toMillis();
    }

    /** Every session of the user, newest first (updatedAt descending, then ID). */
    synchronized List<Session> all(Loader loader) {
        long now = System.currentTimeMillis();
        adoptFile();
        String ds;
        long dirMtime;
        try {
            ds = stamp(sessionsDir);
            dirMtime = mtimeMillis(sessionsDir);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("read", sessionsDir, e);
        }
        boolean changed = false;
        Map<String, Item> next = new LinkedHashMap<>();
        Set<String> names;
        boolean reread = !ds.equals(dirStamp) || dirMtime >= dirReadAt - RACY_MILLIS;
        if (reread) {
            names = readDir();
            changed = !ds.equals(dirStamp) || !names.equals(items.keySet());
        } else {
            names = new HashSet<>(items.keySet());
        }
        for (String name : names) {
            Path dir = sessionsDir.resolve(name);
            Item it = items.get(name);
            String js = stampOrEmpty(dir.resolve("session.json"));
            if (js.isEmpty()) {
                changed |= it != null;
                continue;
            }
            String ls = stampOrEmpty(dir.resolve("messages.jsonl"));
            if (it != null && it.stampJson().equals(js) && it.stampLog().equals(ls)) {
                next.put(name, it);
                continue;
            }
            changed = true;
            Optional<Session> s = loader.load(dir); // damage raises here, before anything below is remembered
            s.ifPresent(session -> next.put(name, new Item(js, ls, session)));
        }
        // Only a listing whose every session was read is remembered: had the directory's stamp been taken before
        // a session failed to load, the next call would trust a listing without that session (issue 15).
        items = next;
        if (reread) {
            dirStamp = ds;
            dirReadAt = now;
        }
        if (changed) {
            persist();
        }
        List<Session> out = new ArrayList<>(items.size());
        for (Item it : items.values()) {
            out.add(it.session());
        }
        out.sort(dev.chatstore.api.spi.Orderings.SESSIONS_NEWEST_FIRST);
        return out;
    }

    /** Forgets everything (the user was deleted, or the file is being rebuilt). */
    synchronized void clear() {
        items = new LinkedHashMap<>();
        dirStamp = "";
        dirReadAt = 0;
        fileStamp = "";
    }

    private Set<String> readDir() {
        Set<String> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sessionsDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.contains("~")) {
                    out.add(n);
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw FlatfileExceptionTranslator.io("list", sessionsDir, e);
        }
        return out;
    }

    // ---- the file -----------------------------------------------------------------------------------------

    /** Reads sessions.idx if another process (or an earlier run) wrote a version this JVM has not seen. */
    private void adoptFile() {
        String fs = stampOrEmpty(file);
        if (fs.isEmpty() || fs.equals(fileStamp)) {
            return;
        }
        fileStamp = fs;
        try {
            byte[] b = Files.readAllBytes(file);
            int lastLine = b.length - 2;
            while (lastLine >= 0 && b[lastLine] != '\n') {
                lastLine--;
            }
            if (lastLine < 0 || b[b.length - 1] != '\n') {
                throw new IllegalArgumentException("no checksum line");
            }
            ObjectNode tail = Json.parseObject(b, lastLine + 1, b.length - lastLine - 2, file.toString(), lastLine + 1);
            CRC32C crc = new CRC32C();
            crc.update(b, 0, lastLine + 1);
            if (!String.format("%08x", (int) crc.getValue()).equals(tail.path("crc").asText())) {
                throw new IllegalArgumentException("checksum mismatch");
            }
            Map<String, Item> read = new LinkedHashMap<>();
            String readDirStamp = null;
            long readDirAt = 0;
            int p = 0;
            while (p <= lastLine) {
                int e = p;
                while (b[e] != '\n') {
                    e++;
                }
                ObjectNode n = Json.parseObject(b, p, e - p, file.toString(), p);
                if (readDirStamp == null) {
                    if (!"chatstore-sessions-index".equals(n.path("format").asText()) || n.path("version").asInt() != 1) {
                        throw new IllegalArgumentException("not a version 1 sessions index");
                    }
                    readDirStamp = n.path("dir").asText();
                    readDirAt = n.path("dirReadAt").asLong();
                } else {
                    Session s = Json.session(Json.req(n, "session"));
                    read.put(n.path("name").asText(), new Item(n.path("json").asText(), n.path("log").asText(), s));
                }
                p = e + 1;
            }
            items = read;
            dirStamp = readDirStamp == null ? "" : readDirStamp;
            dirReadAt = readDirAt;
        } catch (NoSuchFileException e) {
            fileStamp = "";
        } catch (IOException | StorageException | IllegalArgumentException e) {
            LOG.warn("{}: ignoring a damaged session index ({}); it is rebuilt from the session files", file,
                    e.getMessage());
            items = new LinkedHashMap<>();
            dirStamp = "";
        }
    }

    /** Replaces sessions.idx (temp file and rename; derived, so not fsynced). */
    private void persist() {
        if (!persist) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ObjectNode head = Json.object();
        head.put("format", "chatstore-sessions-index");
        head.put("version", 1);
        head.put("dir", dirStamp);
        head.put("dirReadAt", dirReadAt);
        head.put("sessions", items.size());
        out.writeBytes(Json.compact(head));
        out.write('\n');
        for (Map.Entry<String, Item> e : items.entrySet()) {
            ObjectNode n = Json.object();
            n.put("name", e.getKey());
            n.put("json", e.getValue().stampJson());
            n.put("log", e.getValue().stampLog());
            n.set("session", Json.session(e.getValue().session()));
            out.writeBytes(Json.compact(n));
            out.write('\n');
        }
        CRC32C crc = new CRC32C();
        byte[] body = out.toByteArray();
        crc.update(body);
        out.writeBytes(("{\"crc\":\"" + String.format("%08x", (int) crc.getValue()) + "\"}\n")
                .getBytes(StandardCharsets.US_ASCII));
        Path tmp = AtomicFiles.tempFor(file);
        try {
            try (FileChannel ch = io.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                io.write(ch, ByteBuffer.wrap(out.toByteArray()), 0);
            }
            io.move(tmp, file);
            fileStamp = stampOrEmpty(file);
        } catch (IOException | StorageException e) {
            AtomicFiles.deleteQuietly(tmp);
            LOG.warn("{}: cannot write the session index ({}); listing still works from the session files", file,
                    e.getMessage());
        }
    }

    /** Deletes sessions.idx (check --repair, before a rebuild). */
    static void delete(Path userDir) {
        AtomicFiles.deleteQuietly(userDir.resolve(FILE));
    }
}
