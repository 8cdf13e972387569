-- KEYS[1] panel hash; ARGV[1] 'insert' or 'restore', [2..] field/value pairs. A restore keeps the log's counter.
local exists = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[1] == 'insert' and exists then return err('DUP') end
local count = redis.call('HGET', KEYS[1], 'messageCount') or '0'
redis.call('UNLINK', KEYS[1])
hset_pairs(KEYS[1], 2, (#ARGV - 1) / 2)
redis.call('HSET', KEYS[1], 'messageCount', count)
return ok()
