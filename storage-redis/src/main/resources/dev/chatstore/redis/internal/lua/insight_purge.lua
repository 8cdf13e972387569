-- KEYS[1] insights by createdAt, [2] insights; ARGV[1] cutoff ms (exclusive). Returns how many were removed.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
for _, id in ipairs(ids) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return ok(#ids)
