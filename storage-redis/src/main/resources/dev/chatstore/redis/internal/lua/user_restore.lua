-- KEYS[1] user hash; ARGV field/value pairs. Replaces the user's own fields, keeps everything under it.
redis.call('UNLINK', KEYS[1])
hset_pairs(KEYS[1], 1, #ARGV / 2)
return ok()
