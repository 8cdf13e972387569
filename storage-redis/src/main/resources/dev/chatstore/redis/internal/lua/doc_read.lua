-- KEYS[1] session, [2] the session's document names; ARGV[1] 'list', 'meta' (ARGV[2] name) or 'content' ([2] name)
-- ARGV[3] the session's key base ('<session>:doc:'). Metadata excludes the bytes.
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
local fields = {'name', 'mimeType', 'size', 'sha256', 'uploadedAt', 'analysis', 'metadata'}
local mode = ARGV[1]
if mode == 'content' then
  return ok(redis.call('HGET', ARGV[3] .. ARGV[2], 'content'))
end
local names
if mode == 'list' then names = redis.call('ZRANGE', KEYS[2], 0, -1) else names = { ARGV[2] } end
local out = {'OK'}
for _, name in ipairs(names) do
  local v = redis.call('HMGET', ARGV[3] .. name, unpack(fields))
  if v[1] then out[#out + 1] = v end
end
return out
