-- KEYS[1] session, [2] current context or snapshots; ARGV[1] 'current' or 'history' ([2] limit)
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND') end
if ARGV[1] == 'current' then return ok(redis.call('GET', KEYS[2])) end
local out = {'OK'}
for _, m in ipairs(redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)) do
  out[#out + 1] = string.sub(m, 21)
end
return out
