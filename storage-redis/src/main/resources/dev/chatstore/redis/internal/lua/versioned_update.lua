-- Compare-and-set of a versioned hash (user, persona).
-- KEYS[1] hash; ARGV[1] expected version; ARGV[2..] field/value pairs; returns the stored hash.
local v = redis.call('HGET', KEYS[1], 'version')
if not v then return err('NOTFOUND') end
if v ~= ARGV[1] then return err('CONFLICT', v) end
hset_pairs(KEYS[1], 2, (#ARGV - 1) / 2)
return ok(unpack(redis.call('HGETALL', KEYS[1])))
