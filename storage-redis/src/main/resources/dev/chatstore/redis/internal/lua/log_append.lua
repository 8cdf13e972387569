-- Appends messages to a session's or panel's log, assigning seqs after the last one.
-- KEYS[1] owner hash (session or panel), [2] stream, [3] message id -> seq, [4] sessions by recency (session logs),
--   then the search index keys the words name (declared so that cluster routing sees them; all share the tag)
-- ARGV[1] 's' or 'p', [2] max messages, [3] n, [4] log id, [5] user key base ('' for panels), [6] n declared keys,
--   then per message: id, createdAtMs, createdAt, n pairs, pairs (field 'w' = the message's words, space-separated)
local owner, log, ids = KEYS[1], KEYS[2], KEYS[3]
local kind, max, n, sid, B = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
if redis.call('EXISTS', owner) == 0 then return err('NOTFOUND') end
local count = tonumber(redis.call('HGET', owner, 'messageCount') or '0')
if count + n > max then return err('LIMIT', ARGV[2], tostring(count + n)) end
local msgs, seen = {}, {}
local i = 7
for k = 1, n do
  local m = { id = ARGV[i], ms = tonumber(ARGV[i + 1]), iso = ARGV[i + 2], np = tonumber(ARGV[i + 3]), at = i + 4 }
  i = m.at + 2 * m.np
  if seen[m.id] or redis.call('HEXISTS', ids, m.id) == 1 then return err('DUP', m.id) end
  seen[m.id] = true
  msgs[k] = m
end
local seq = count
local newest, newestIso = nil, nil
for _, m in ipairs(msgs) do
  seq = seq + 1
  local args = { 'XADD', log, seq .. '-0' }
  local words = nil
  for j = m.at, m.at + 2 * m.np - 1, 2 do
    args[#args + 1] = ARGV[j]
    args[#args + 1] = ARGV[j + 1]
    if ARGV[j] == 'w' then words = ARGV[j + 1] end
  end
  redis.call(unpack(args))
  redis.call('HSET', ids, m.id, seq)
  if words and kind == 's' then index(B, sid, seq, m.ms, words) end
  if newest == nil or m.ms > newest then newest, newestIso = m.ms, m.iso end
end
redis.call('HSET', owner, 'messageCount', seq)
if kind == 's' then redis.call('HSET', owner, 'lastMessageAt', msgs[n].iso) end
if newest > tonumber(redis.call('HGET', owner, 'updatedAtMs')) then
  redis.call('HSET', owner, 'updatedAt', newestIso, 'updatedAtMs', newest)
  if kind == 's' then redis.call('ZADD', KEYS[4], -newest, sid) end
end
return ok(tostring(count + 1))
