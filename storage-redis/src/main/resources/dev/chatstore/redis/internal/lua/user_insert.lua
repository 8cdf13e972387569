-- KEYS[1] user hash; ARGV field/value pairs
if redis.call('EXISTS', KEYS[1]) == 1 then return err('DUP') end
hset_pairs(KEYS[1], 1, #ARGV / 2)
return ok()
