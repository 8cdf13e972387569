-- KEYS[1] panel hash, [2] insights by createdAt, [3] insights (id -> JSON)
-- ARGV[1] 'insert' or 'restore', [2] id, [3] createdAt ms, [4] JSON
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
if ARGV[1] == 'insert' and redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then return err('DUP') end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
return ok()
