-- KEYS[1] sessions by id or by recency; ARGV[1] user key base, [2] 'id' or 'recent', [3] after id / offset, [4] limit
-- Returns one flat HGETALL per session, each preceded by its field count.
local ids
if ARGV[2] == 'id' then
  local from = ARGV[3] == '' and '-' or '(' .. ARGV[3]
  ids = redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', 0, tonumber(ARGV[4]))
else
  local off = tonumber(ARGV[3])
  ids = redis.call('ZRANGE', KEYS[1], off, off + tonumber(ARGV[4]) - 1)
end
local out = {'OK'}
for _, sid in ipairs(ids) do
  local h = redis.call('HGETALL', ARGV[1] .. 's:' .. sid)
  out[#out + 1] = #h
  for _, x in ipairs(h) do out[#out + 1] = x end
end
return out
