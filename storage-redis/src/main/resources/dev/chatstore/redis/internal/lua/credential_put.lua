-- KEYS[1] user, [2] credentials hash; ARGV[1] provider, [2] JSON
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return ok()
