-- KEYS[1] user, [2] session, [3] sessions by id, [4] sessions by recency
-- ARGV[1] session id, [2] -updatedAtMs, [3..] field/value pairs (without messageCount and lastMessageAt)
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND', 'user') end
local S = KEYS[2]
local count = redis.call('HGET', S, 'messageCount') or '0'
local lastAt = redis.call('HGET', S, 'lastMessageAt')
local snaps = redis.call('HGET', S, 'snapshots')
redis.call('UNLINK', S)
hset_pairs(S, 3, (#ARGV - 2) / 2)
redis.call('HSET', S, 'messageCount', count)
if lastAt then redis.call('HSET', S, 'lastMessageAt', lastAt) end
if snaps then redis.call('HSET', S, 'snapshots', snaps) end
redis.call('ZADD', KEYS[3], 0, ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
return ok()
