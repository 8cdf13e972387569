-- Shared by every script (prepended by RedisScripts). Conventions:
--  * a script returns {'OK', ...} or {'ERR', code, detail...}; it checks everything before its first write,
--    because Redis does not roll back the writes a failing script already made;
--  * keys a script derives (a session's documents, a user's sessions) share the hash tag of its declared keys,
--    so every script touches one slot, standalone or on Redis Cluster.
local function ok(...) return {'OK', ...} end
local function err(...) return {'ERR', ...} end

-- Pairs ARGV[from .. from+2n-1] into HSET arguments for key.
local function hset_pairs(key, from, n)
  if n == 0 then return end
  local args = {}
  for j = from, from + 2 * n - 1 do args[#args + 1] = ARGV[j] end
  redis.call('HSET', key, unpack(args))
end

-- Removes a message's search index entries (its words are kept in the entry's field 'w').
local function unindex(B, sid, seq, fields)
  for i = 1, #fields, 2 do
    if fields[i] == 'w' then
      for w in string.gmatch(fields[i + 1], '%S+') do
        local wk = B .. 'w:' .. w
        redis.call('ZREM', wk, seq .. ':' .. sid)
        if redis.call('EXISTS', wk) == 0 then redis.call('SREM', B .. 'words', w) end
      end
    end
  end
end

local function index(B, sid, seq, ms, words)
  local all = {}
  for w in string.gmatch(words, '%S+') do
    redis.call('ZADD', B .. 'w:' .. w, ms, seq .. ':' .. sid)
    all[#all + 1] = w
  end
  if #all > 0 then redis.call('SADD', B .. 'words', unpack(all)) end
end

local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
  return nil
end

-- Deletes one session and everything under it; with unindex_words, also its search index entries (a user
-- delete drops the whole index instead).
local function drop_session(B, sid, unindex_words)
  local S = B .. 's:' .. sid
  if redis.call('EXISTS', S) == 0 then return 0 end
  if unindex_words then
    local from = '-'
    while true do
      local batch = redis.call('XRANGE', S .. ':log', from, '+', 'COUNT', 500)
      if #batch == 0 then break end
      for _, e in ipairs(batch) do
        unindex(B, sid, string.match(e[1], '^(%d+)'), e[2])
      end
      from = '(' .. batch[#batch][1]
    end
  end
  local docs = redis.call('ZRANGE', S .. ':docs', 0, -1)
  for _, name in ipairs(docs) do redis.call('UNLINK', S .. ':doc:' .. name) end
  redis.call('UNLINK', S, S .. ':log', S .. ':ids', S .. ':docs', S .. ':ctx', S .. ':snaps')
  redis.call('ZREM', B .. 'sessions', sid)
  redis.call('ZREM', B .. 'recent', sid)
  return 1
end

