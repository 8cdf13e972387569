-- KEYS[1] session, [2] the session's document names, [3] document hash; ARGV[1] name
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
redis.call('ZREM', KEYS[2], ARGV[1])
return ok(redis.call('UNLINK', KEYS[3]))
