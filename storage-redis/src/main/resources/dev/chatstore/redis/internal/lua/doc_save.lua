-- KEYS[1] session, [2] the session's document names, [3] document hash; ARGV[1] name, [2..] field/value pairs
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
redis.call('UNLINK', KEYS[3])
hset_pairs(KEYS[3], 2, (#ARGV - 1) / 2)
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return ok()
