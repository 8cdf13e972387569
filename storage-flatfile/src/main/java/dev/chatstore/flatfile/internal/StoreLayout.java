package dev.chatstore.flatfile.internal;

import dev.chatstore.api.model.PersonaScope;

import java.nio.file.Path;

/**
 * Where every file of a store lives: the layout of FORMAT.md, in one place. IDs become path segments only through
 * {@link FsNames#encode}, so no name can leave its directory or clash with the store's own files (which contain
 * {@code ~}).
 */
public final class StoreLayout {

    /** The manifest's {@code format}. */
    public static final String FORMAT = "chatstore-flatfile";
    /** The format version this code reads and writes ({@code formatVersion} in the manifest). */
    public static final int FORMAT_VERSION = 1;

    static final String MANIFEST = "chatstore.json";
    static final String LOCK_FILE = "store.lock";
    static final String USERS = "users";
    static final String PANELS = "panel_sessions";
    static final String GLOBAL_PERSONAS = "personas_global";
    static final String LOG = "messages.jsonl";
    static final String OFFSET_INDEX = "messages.idx";
    static final String SESSION_FILE = "session.json";
    static final String PANEL_FILE = "panel.json";
    static final String USER_FILE = "user.json";
    /** Prefix of a deleted user/session/panel directory moved aside before removal. */
    static final String TRASH_PREFIX = "~deleted-";
    /** Infix of bytes or files set aside by salvage: {@code <file>~damaged-<offset>}. */
    static final String DAMAGED_INFIX = "~damaged-";
    /** Infix of a torn tail that recovery cut off a log: {@code messages.jsonl~torn-<offset>}. */
    static final String TORN_INFIX = "~torn-";

    private final Path root;

    public StoreLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    Path manifest() {
        return root.resolve(MANIFEST);
    }

    Path lockFile() {
        return root.resolve(LOCK_FILE);
    }

    /** The directories every store has. */
    Path[] topDirectories() {
        return new Path[]{usersDir(), panelsDir(), globalPersonasDir()};
    }

    // ---- users ---------------------------------------------------------------------------------------------

    Path usersDir() {
        return root.resolve(USERS);
    }

    Path userDir(String userId) {
        return usersDir().resolve(FsNames.encode(userId));
    }

    Path userFile(String userId) {
        return userDir(userId).resolve(USER_FILE);
    }

    Path credentialsDir(String userId) {
        return userDir(userId).resolve("credentials");
    }

    Path credentialFile(String userId, String provider) {
        return credentialsDir(userId).resolve(FsNames.encode(provider) + ".json");
    }

    Path personasDir(PersonaScope scope) {
        return scope.isGlobal() ? globalPersonasDir() : userDir(scope.userId().orElseThrow()).resolve("personas");
    }

    Path personaFile(PersonaScope scope, String personaId) {
        return personasDir(scope).resolve(FsNames.encode(personaId) + ".json");
    }

    Path globalPersonasDir() {
        return root.resolve(GLOBAL_PERSONAS);
    }

    // ---- sessions ------------------------------------------------------------------------------------------

    Path sessionsDir(String userId) {
        return userDir(userId).resolve("sessions");
    }

    Path sessionDir(String userId, String sessionId) {
        return sessionsDir(userId).resolve(FsNames.encode(sessionId));
    }

    static Path sessionFile(Path sessionDir) {
        return sessionDir.resolve(SESSION_FILE);
    }

    static Path contextFile(Path sessionDir) {
        return sessionDir.resolve("situational_context.json");
    }

    static Path contextHistoryDir(Path sessionDir) {
        return sessionDir.resolve("context_history");
    }

    static Path documentsDir(Path sessionDir) {
        return sessionDir.resolve("documents");
    }

    static Path documentsMetadata(Path documentsDir) {
        return documentsDir.resolve("metadata.json");
    }

    static Path documentFilesDir(Path documentsDir) {
        return documentsDir.resolve("files");
    }

    // ---- panels --------------------------------------------------------------------------------------------

    Path panelsDir() {
        return root.resolve(PANELS);
    }

    Path panelDir(String panelId) {
        return panelsDir().resolve(FsNames.encode(panelId));
    }

    static Path panelFile(Path panelDir) {
        return panelDir.resolve(PANEL_FILE);
    }

    static Path insightsDir(Path panelDir) {
        return panelDir.resolve("insights");
    }

    static Path insightFile(Path panelDir, String insightId) {
        return insightsDir(panelDir).resolve(FsNames.encode(insightId) + ".json");
    }

    // ---- logs (of a session or panel directory) ------------------------------------------------------------

    static Path logFile(Path ownerDir) {
        return ownerDir.resolve(LOG);
    }

    static Path offsetIndexFile(Path ownerDir) {
        return ownerDir.resolve(OFFSET_INDEX);
    }

    /** Where salvage keeps the bytes of {@code file} it cut at {@code offset}. */
    static Path damagedCopy(Path file, long offset) {
        return file.resolveSibling(file.getFileName() + DAMAGED_INFIX + offset);
    }

    /** Where recovery keeps the torn tail of a log it cut at {@code offset}. */
    static Path tornCopy(Path logFile, long offset) {
        return logFile.resolveSibling(logFile.getFileName() + TORN_INFIX + offset);
    }

    /** Whether a log's owner directory is a panel's ({@code panel_sessions/<panel>}) rather than a session's. */
    boolean isPanelDir(Path ownerDir) {
        Path rel = root.relativize(ownerDir);
        return rel.getNameCount() == 2 && rel.getName(0).toString().equals(PANELS);
    }

    /** The file that owns the log in {@code ownerDir}: its {@code panel.json} or {@code session.json}. */
    Path ownerFile(Path ownerDir) {
        return isPanelDir(ownerDir) ? panelFile(ownerDir) : sessionFile(ownerDir);
    }

    /** A lock key for an owner directory: its path relative to the root (encoded names are 1:1 with IDs). */
    String lockKey(Path ownerDir) {
        return root.relativize(ownerDir).toString();
    }
}
