-- Chatstore schema, version 2 (PostgreSQL): the search and usage access paths.

-- Full-text search: a GIN index over the lexemes the backend computes with the API's own tokenizer
-- (array_to_tsvector, no parser), so a tsquery of the query words finds exactly the messages holding
-- every word. Messages whose words could not fit a tsvector have search_words NULL and are always
-- candidates (see the partial index below).
CREATE INDEX messages_search ON messages USING gin (search_words);
CREATE INDEX messages_search_unindexed ON messages (session_sk) WHERE search_words IS NULL;

-- Usage totals of a session or of a user's sessions over a time range: only messages that carry usage.
CREATE INDEX messages_usage ON messages (session_sk, created_at)
    INCLUDE (model, provider, currency, input_tokens, output_tokens, cost)
    WHERE currency IS NOT NULL;
