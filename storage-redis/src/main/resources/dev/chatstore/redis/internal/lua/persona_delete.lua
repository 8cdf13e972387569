-- KEYS[1] persona ids, [2] persona hash; ARGV[1] persona id
redis.call('ZREM', KEYS[1], ARGV[1])
return ok(redis.call('UNLINK', KEYS[2]))
