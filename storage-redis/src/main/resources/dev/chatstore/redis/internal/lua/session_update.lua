-- KEYS[1] session, [2] sessions by recency
-- ARGV[1] session id, [2] expected version, [3] updatedAtMs, [4] updatedAt, [5] n pairs, pairs..., fields to remove...
local S = KEYS[1]
local v = redis.call('HGET', S, 'version')
if not v then return err('NOTFOUND') end
if v ~= ARGV[2] then return err('CONFLICT', v) end
local n = tonumber(ARGV[5])
hset_pairs(S, 6, n)
for j = 6 + 2 * n, #ARGV do redis.call('HDEL', S, ARGV[j]) end
local ms = tonumber(ARGV[3])
if ms > tonumber(redis.call('HGET', S, 'updatedAtMs')) then
  redis.call('HSET', S, 'updatedAt', ARGV[4], 'updatedAtMs', ARGV[3])
  redis.call('ZADD', KEYS[2], -ms, ARGV[1])
end
return ok(unpack(redis.call('HGETALL', S)))
