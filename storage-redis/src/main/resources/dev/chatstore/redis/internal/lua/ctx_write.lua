-- KEYS[1] session, [2] current context or snapshots
-- ARGV[1] 'current' ([2] JSON) or 'snapshot' ([2] JSON, [3] capturedAt ms, [4] keep)
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
if ARGV[1] == 'current' then
  redis.call('SET', KEYS[2], ARGV[2])
  return ok()
end
-- Member: a 20-digit insertion number, then the JSON: equal capturedAt scores order by insertion.
local n = redis.call('HINCRBY', KEYS[1], 'snapshots', 1)
redis.call('ZADD', KEYS[2], ARGV[3], string.format('%020d', n) .. ARGV[2])
local keep = tonumber(ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(keep + 1))
return ok()
