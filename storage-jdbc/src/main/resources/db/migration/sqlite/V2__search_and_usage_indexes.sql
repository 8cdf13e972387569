-- Chatstore schema, version 2 (SQLite): the usage access path and the by-user search path.
-- (Search's word index, message_search, is an FTS5 table the backend writes from version 1 on.)

-- Usage totals of a session or a user's sessions over a time range: a covering partial index, so totals
-- read only the index entries of messages that carry usage.
CREATE INDEX messages_usage ON messages
    (session_sk, created_at, model, provider, currency, input_tokens, output_tokens, cost)
    WHERE currency IS NOT NULL;
