-- KEYS[1] user, [2] session, [3] sessions by id, [4] sessions by recency
-- ARGV[1] session id, [2] max sessions per user, [3] -updatedAtMs, [4..] field/value pairs
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND', 'user') end
if redis.call('EXISTS', KEYS[2]) == 1 then return err('DUP') end
local n = redis.call('ZCARD', KEYS[3])
if n >= tonumber(ARGV[2]) then return err('LIMIT', ARGV[2], tostring(n + 1)) end
hset_pairs(KEYS[2], 4, (#ARGV - 3) / 2)
redis.call('ZADD', KEYS[3], 0, ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
return ok()
