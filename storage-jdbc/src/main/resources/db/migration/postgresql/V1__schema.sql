-- Chatstore schema, version 1 (PostgreSQL).
-- Timestamps are epoch milliseconds (bigint): the API's timestamps are millisecond Instants, so this stores
-- exactly what it is given and compares and indexes as plain integers. IDs use the "C" collation so that
-- they sort by code point, as the API promises. Free text columns may hold the escape form of U+0000 (see
-- NulEscaping), because PostgreSQL text cannot hold NUL. JSON columns hold compact JSON text exactly as
-- the API serialised it.

CREATE TABLE users (
    id            varchar(128) COLLATE "C" PRIMARY KEY,
    display_name  text    NOT NULL,
    profile       text    NOT NULL,
    created_at    bigint  NOT NULL,
    updated_at    bigint  NOT NULL,
    version       bigint  NOT NULL
);

CREATE TABLE sessions (
    sk               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          varchar(128) COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id               varchar(128) COLLATE "C" NOT NULL,
    title            text    NOT NULL,
    model            text,
    provider         text,
    archived         boolean NOT NULL,
    metadata         text    NOT NULL,
    message_count    bigint  NOT NULL,
    last_message_at  bigint,
    created_at       bigint  NOT NULL,
    updated_at       bigint  NOT NULL,
    version          bigint  NOT NULL,
    CONSTRAINT sessions_user_id_uk UNIQUE (user_id, id)
);
-- listing a user's sessions newest first (SPEC 3: sessions by user, updatedAt desc, then id)
CREATE INDEX sessions_by_user_updated ON sessions (user_id, updated_at DESC, id);

CREATE TABLE messages (
    session_sk     bigint  NOT NULL REFERENCES sessions (sk) ON DELETE CASCADE,
    seq            bigint  NOT NULL,
    id             varchar(128) COLLATE "C" NOT NULL,
    role           text    NOT NULL,
    content        text    NOT NULL,
    created_at     bigint  NOT NULL,
    attachments    text    NOT NULL,
    metadata       text    NOT NULL,
    input_tokens   bigint,
    output_tokens  bigint,
    cost           numeric,
    currency       varchar(16),
    model          text,
    provider       text,
    -- the message's words as the API's TextSearch splits them (lowercase NFC), as lexemes; see V2's index
    search_words   tsvector,
    -- PRIMARY KEY (session_sk, seq) is the (session, seq) access path: by seq, after a seq, the last N
    CONSTRAINT messages_pk PRIMARY KEY (session_sk, seq),
    CONSTRAINT messages_id_uk UNIQUE (session_sk, id)
);

CREATE TABLE documents (
    sk           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_sk   bigint  NOT NULL REFERENCES sessions (sk) ON DELETE CASCADE,
    name         text    NOT NULL,
    mime_type    text    NOT NULL,
    size         bigint  NOT NULL,
    sha256       varchar(64) NOT NULL,
    uploaded_at  bigint  NOT NULL,
    analysis     text    NOT NULL,
    metadata     text    NOT NULL,
    CONSTRAINT documents_name_uk UNIQUE (session_sk, name)
);

-- Document bytes in chunks of at most 1 MiB: bytea values are materialised whole by the driver, so a
-- 100 MiB document is written and read one chunk at a time instead.
CREATE TABLE document_chunks (
    document_sk  bigint  NOT NULL REFERENCES documents (sk) ON DELETE CASCADE,
    chunk_no     integer NOT NULL,
    data         bytea   NOT NULL,
    CONSTRAINT document_chunks_pk PRIMARY KEY (document_sk, chunk_no)
);

CREATE TABLE session_contexts (
    session_sk   bigint PRIMARY KEY REFERENCES sessions (sk) ON DELETE CASCADE,
    data         text   NOT NULL
);

CREATE TABLE context_snapshots (
    sk           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_sk   bigint NOT NULL REFERENCES sessions (sk) ON DELETE CASCADE,
    captured_at  bigint NOT NULL,
    data         text   NOT NULL
);
CREATE INDEX context_snapshots_newest ON context_snapshots (session_sk, captured_at DESC, sk DESC);

CREATE TABLE panels (
    id             varchar(128) COLLATE "C" PRIMARY KEY,
    type           text   NOT NULL,
    personas       text   NOT NULL,
    config         text   NOT NULL,
    created_at     bigint NOT NULL,
    updated_at     bigint NOT NULL,
    message_count  bigint NOT NULL
);
CREATE INDEX panels_newest ON panels (created_at DESC, id);

CREATE TABLE panel_messages (
    panel_id       varchar(128) COLLATE "C" NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    seq            bigint  NOT NULL,
    id             varchar(128) COLLATE "C" NOT NULL,
    role           text    NOT NULL,
    content        text    NOT NULL,
    created_at     bigint  NOT NULL,
    attachments    text    NOT NULL,
    metadata       text    NOT NULL,
    input_tokens   bigint,
    output_tokens  bigint,
    cost           numeric,
    currency       varchar(16),
    model          text,
    provider       text,
    CONSTRAINT panel_messages_pk PRIMARY KEY (panel_id, seq),
    CONSTRAINT panel_messages_id_uk UNIQUE (panel_id, id)
);

CREATE TABLE panel_insights (
    panel_id     varchar(128) COLLATE "C" NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    id           varchar(128) COLLATE "C" NOT NULL,
    created_at   bigint NOT NULL,
    content      text   NOT NULL,
    CONSTRAINT panel_insights_pk PRIMARY KEY (panel_id, id)
);
CREATE INDEX panel_insights_newest ON panel_insights (panel_id, created_at DESC, id DESC);
CREATE INDEX panel_insights_by_age ON panel_insights (created_at);

-- scope_user_id is '' for global personas (a real user ID is never empty); user personas are removed with
-- their user by the backend, as there is no user row to reference for the global scope.
CREATE TABLE personas (
    scope_user_id  varchar(128) COLLATE "C" NOT NULL,
    id             varchar(128) COLLATE "C" NOT NULL,
    data           text   NOT NULL,
    created_at     bigint NOT NULL,
    updated_at     bigint NOT NULL,
    version        bigint NOT NULL,
    CONSTRAINT personas_pk PRIMARY KEY (scope_user_id, id)
);

CREATE TABLE credentials (
    user_id     varchar(128) COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider    varchar(128) COLLATE "C" NOT NULL,
    key_id      text   NOT NULL,
    nonce       text   NOT NULL,
    ciphertext  text   NOT NULL,
    created_at  bigint NOT NULL,
    updated_at  bigint NOT NULL,
    CONSTRAINT credentials_pk PRIMARY KEY (user_id, provider)
);

-- a row that health() updates inside a transaction it rolls back, to prove writability
CREATE TABLE health_probe (
    id      integer PRIMARY KEY,
    probed  bigint NOT NULL
);
INSERT INTO health_probe (id, probed) VALUES (1, 0);
