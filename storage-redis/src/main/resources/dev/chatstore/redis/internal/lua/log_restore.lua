-- Writes messages at the seqs they carry (the core checked contiguity and that occupied seqs keep their IDs).
-- A stream cannot rewrite an entry, so the entries from the first restored seq on are removed, the stream's
-- last ID is set back, and the restored messages and the kept tail are added again.
-- KEYS[1] owner hash, [2] stream, [3] message id -> seq, then declared index keys
-- ARGV[1] 's' or 'p', [2] log id, [3] user key base, [4] n, [5] n declared keys,
--   then per message: seq, id, createdAtMs, createdAt, n pairs, pairs
local owner, log, ids = KEYS[1], KEYS[2], KEYS[3]
local kind, sid, B, n = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
if redis.call('EXISTS', owner) == 0 then return err('NOTFOUND') end
local msgs = {}
local i = 6
for k = 1, n do
  local m = { seq = tonumber(ARGV[i]), id = ARGV[i + 1], ms = tonumber(ARGV[i + 2]), iso = ARGV[i + 3],
              np = tonumber(ARGV[i + 4]), at = i + 5 }
  i = m.at + 2 * m.np
  local at = redis.call('HGET', ids, m.id)
  if at and tonumber(at) ~= m.seq then return err('DUP', m.id) end
  msgs[k] = m
end
local count = tonumber(redis.call('HGET', owner, 'messageCount') or '0')
local first, lastNew = msgs[1].seq, msgs[n].seq
local tail = {}
if first <= count then
  tail = redis.call('XRANGE', log, '(' .. lastNew .. '-0', '+')
  local old = redis.call('XRANGE', log, first .. '-0', lastNew .. '-0')
  for _, e in ipairs(old) do
    local seq = string.match(e[1], '^(%d+)')
    if kind == 's' then unindex(B, sid, seq, e[2]) end
    redis.call('HDEL', ids, field(e[2], 'id'))
  end
  local gone = redis.call('XRANGE', log, first .. '-0', '+')
  for _, e in ipairs(gone) do redis.call('XDEL', log, e[1]) end
  redis.call('XSETID', log, (first - 1) .. '-0')
end
for _, m in ipairs(msgs) do
  local args = { 'XADD', log, m.seq .. '-0' }
  local words = nil
  for j = m.at, m.at + 2 * m.np - 1, 2 do
    args[#args + 1] = ARGV[j]
    args[#args + 1] = ARGV[j + 1]
    if ARGV[j] == 'w' then words = ARGV[j + 1] end
  end
  redis.call(unpack(args))
  redis.call('HSET', ids, m.id, m.seq)
  if words and kind == 's' then index(B, sid, m.seq, m.ms, words) end
end
local lastIso = msgs[n].iso
for _, e in ipairs(tail) do
  redis.call('XADD', log, e[1], unpack(e[2]))
  lastIso = field(e[2], 'createdAt')
end
local newCount = math.max(count, lastNew)
redis.call('HSET', owner, 'messageCount', newCount)
if kind == 's' then redis.call('HSET', owner, 'lastMessageAt', lastIso) end
return ok()
