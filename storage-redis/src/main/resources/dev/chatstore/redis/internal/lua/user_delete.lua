-- KEYS[1] user hash; ARGV[1] the user's key base. Deletes the user and every key under its hash tag.
local B = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 0 then return ok(0) end
local sessions = redis.call('ZRANGE', B .. 'sessions', 0, -1)
for _, sid in ipairs(sessions) do drop_session(B, sid, false) end
for _, w in ipairs(redis.call('SMEMBERS', B .. 'words')) do redis.call('UNLINK', B .. 'w:' .. w) end
for _, id in ipairs(redis.call('ZRANGE', B .. 'personas', 0, -1)) do redis.call('UNLINK', B .. 'persona:' .. id) end
redis.call('UNLINK', KEYS[1], B .. 'sessions', B .. 'recent', B .. 'words', B .. 'personas', B .. 'creds')
return ok(1)
