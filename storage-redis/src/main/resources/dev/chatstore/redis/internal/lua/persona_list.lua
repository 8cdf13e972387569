-- KEYS[1] persona ids; ARGV[1] persona hash prefix. One HGETALL per persona, preceded by its field count.
local out = {'OK'}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local h = redis.call('HGETALL', ARGV[1] .. id)
  out[#out + 1] = #h
  for _, x in ipairs(h) do out[#out + 1] = x end
end
return out
