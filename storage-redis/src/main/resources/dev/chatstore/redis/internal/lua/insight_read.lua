-- KEYS[1] panel hash, [2] insights by createdAt, [3] insights; ARGV[1] limit. Newest first, then ID descending.
-- Returns id, JSON, id, JSON, ...
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
local out = {'OK'}
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[3], id)
end
return out
