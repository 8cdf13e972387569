-- KEYS[1] owner hash, [2] stream, [3] message id -> seq
-- ARGV[1] 'after' (ARGV[2] seq, [3] limit), 'last' ([2] n), 'seq' ([2] seq) or 'id' ([2] message id)
-- Returns the entries as {streamId, fields} pairs, ascending.
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
local mode, log = ARGV[1], KEYS[2]
local entries
if mode == 'after' then
  entries = redis.call('XRANGE', log, '(' .. ARGV[2] .. '-0', '+', 'COUNT', tonumber(ARGV[3]))
elseif mode == 'last' then
  local rev = redis.call('XREVRANGE', log, '+', '-', 'COUNT', tonumber(ARGV[2]))
  entries = {}
  for k = #rev, 1, -1 do entries[#entries + 1] = rev[k] end
elseif mode == 'seq' then
  entries = redis.call('XRANGE', log, ARGV[2] .. '-0', ARGV[2] .. '-0')
else
  local seq = redis.call('HGET', KEYS[3], ARGV[2])
  if not seq then return ok() end
  entries = redis.call('XRANGE', log, seq .. '-0', seq .. '-0')
end
local out = {'OK'}
for _, e in ipairs(entries) do
  out[#out + 1] = e[1]
  out[#out + 1] = e[2]
end
return out
