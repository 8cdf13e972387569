-- Chatstore schema, version 1 (SQLite).
-- Timestamps are epoch milliseconds (INTEGER). Costs are exact decimal TEXT (SQLite has no decimal type;
-- the backend sums them with BigDecimal). JSON columns hold compact JSON text as the API serialised it.
-- IDs compare with the default BINARY collation, i.e. by code point for the API's ASCII IDs.

CREATE TABLE users (
    id            VARCHAR(128) NOT NULL PRIMARY KEY,
    display_name  TEXT    NOT NULL,
    profile       TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    version       BIGINT  NOT NULL
);

CREATE TABLE sessions (
    sk               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          VARCHAR(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id               VARCHAR(128) NOT NULL,
    title            TEXT    NOT NULL,
    model            TEXT,
    provider         TEXT,
    archived         BOOLEAN NOT NULL,
    metadata         TEXT    NOT NULL,
    message_count    BIGINT  NOT NULL,
    last_message_at  BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    version          BIGINT  NOT NULL,
    CONSTRAINT sessions_user_id_uk UNIQUE (user_id, id)
);
CREATE INDEX sessions_by_user_updated ON sessions (user_id, updated_at DESC, id);

CREATE TABLE messages (
    session_sk     BIGINT  NOT NULL REFERENCES sessions (sk) ON DELETE CASCADE,
    seq            BIGINT  NOT NULL,
    id             VARCHAR(128) NOT NULL,
    role           TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    attachments    TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    input_tokens   BIGINT,
    output_tokens  BIGINT,
    cost           TEXT,
    currency       VARCHAR(16),
    model          TEXT,
    provider       TEXT,
    CONSTRAINT messages_pk PRIMARY KEY (session_sk, seq),
    CONSTRAINT messages_id_uk UNIQUE (session_sk, id)
);

-- Full-text index. Each row holds a message's words as the API's TextSearch splits them (lowercase NFC),
-- one FTS5 token per word (plain ASCII words as themselves, others as 'x' + hex of their UTF-8), under the
-- message's rowid. The ASCII tokenizer can therefore never split or fold a word differently from the API,
-- and a query for every word finds a superset of the exact answer (the backend filters it).
CREATE VIRTUAL TABLE message_search USING fts5 (words, tokenize = 'ascii');
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.rowid;
END;

CREATE TABLE documents (
    sk           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_sk   BIGINT  NOT NULL REFERENCES sessions (sk) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    mime_type    TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    sha256       VARCHAR(64) NOT NULL,
    uploaded_at  BIGINT  NOT NULL,
    analysis     TEXT    NOT NULL,
    metadata     TEXT    NOT NULL,
    CONSTRAINT documents_name_uk UNIQUE (session_sk, name)
);

-- Document bytes in chunks of at most 1 MiB, so no document is ever held in memory whole.
CREATE TABLE document_chunks (
    document_sk  BIGINT  NOT NULL REFERENCES documents (sk) ON DELETE CASCADE,
    chunk_no     INTEGER NOT NULL,
    data         BLOB    NOT NULL,
    CONSTRAINT document_chunks_pk PRIMARY KEY (document_sk, chunk_no)
);

CREATE TABLE session_contexts (
    session_sk   BIGINT NOT NULL PRIMARY KEY REFERENCES sessions (sk) ON DELETE CASCADE,
    data         TEXT   NOT NULL
);

CREATE TABLE context_snapshots (
    sk           INTEGER PRIMARY KEY AUTOINCREMENT,
    session_sk   BIGINT NOT NULL REFERENCES sessions (sk) ON DELETE CASCADE,
    captured_at  BIGINT NOT NULL,
    data         TEXT   NOT NULL
);
CREATE INDEX context_snapshots_newest ON context_snapshots (session_sk, captured_at DESC, sk DESC);

CREATE TABLE panels (
    id             VARCHAR(128) NOT NULL PRIMARY KEY,
    type           TEXT   NOT NULL,
    personas       TEXT   NOT NULL,
    config         TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    message_count  BIGINT NOT NULL
);
CREATE INDEX panels_newest ON panels (created_at DESC, id);

CREATE TABLE panel_messages (
    panel_id       VARCHAR(128) NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    seq            BIGINT  NOT NULL,
    id             VARCHAR(128) NOT NULL,
    role           TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    attachments    TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    input_tokens   BIGINT,
    output_tokens  BIGINT,
    cost           TEXT,
    currency       VARCHAR(16),
    model          TEXT,
    provider       TEXT,
    CONSTRAINT panel_messages_pk PRIMARY KEY (panel_id, seq),
    CONSTRAINT panel_messages_id_uk UNIQUE (panel_id, id)
);

CREATE TABLE panel_insights (
    panel_id     VARCHAR(128) NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    id           VARCHAR(128) NOT NULL,
    created_at   BIGINT NOT NULL,
    content      TEXT   NOT NULL,
    CONSTRAINT panel_insights_pk PRIMARY KEY (panel_id, id)
);
CREATE INDEX panel_insights_newest ON panel_insights (panel_id, created_at DESC, id DESC);
CREATE INDEX panel_insights_by_age ON panel_insights (created_at);

CREATE TABLE personas (
    scope_user_id  VARCHAR(128) NOT NULL,
    id             VARCHAR(128) NOT NULL,
    data           TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL,
    CONSTRAINT personas_pk PRIMARY KEY (scope_user_id, id)
);

CREATE TABLE credentials (
    user_id     VARCHAR(128) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider    VARCHAR(128) NOT NULL,
    key_id      TEXT   NOT NULL,
    nonce       TEXT   NOT NULL,
    ciphertext  TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT credentials_pk PRIMARY KEY (user_id, provider)
);

CREATE TABLE health_probe (
    id      INTEGER NOT NULL PRIMARY KEY,
    probed  BIGINT  NOT NULL
);
INSERT INTO health_probe (id, probed) VALUES (1, 0);
