-- KEYS[1] the scope's owner (user hash; the persona list for the global scope), [2] persona ids, [3] persona hash
-- ARGV[1] 'insert' or 'restore', [2] persona id, [3..] field/value pairs
if redis.call('EXISTS', KEYS[1]) == 0 and KEYS[1] ~= KEYS[2] then return err('NOTFOUND', 'user') end
if ARGV[1] == 'insert' and redis.call('EXISTS', KEYS[3]) == 1 then return err('DUP') end
redis.call('UNLINK', KEYS[3])
hset_pairs(KEYS[3], 3, (#ARGV - 2) / 2)
redis.call('ZADD', KEYS[2], 0, ARGV[2])
return ok()
