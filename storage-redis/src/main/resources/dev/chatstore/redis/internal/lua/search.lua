-- Walks the smallest of the query words' index sets newest-first and keeps the references that every other
-- word's set also holds (ZMSCORE), until it has ARGV[1] hits and has passed the createdAt of the last one (so
-- that ties at the boundary are all returned; the caller orders them exactly and cuts to the limit).
-- Returns, per hit, its reference and its stream entry's fields (read here: one round trip for the whole page).
-- KEYS the words' sorted sets (members '<seq>:<sessionId>', scores createdAt in ms)
-- ARGV[1] limit, [2] session id to restrict to ('' for all), [3] batch size, [4] the user's key base
local limit, only, batch, B = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4]
local smallest, size = 1, nil
for k = 1, #KEYS do
  local c = redis.call('ZCARD', KEYS[k])
  if c == 0 then return ok() end
  if size == nil or c < size then smallest, size = k, c end
end
-- With several words, ZINTERCARD (C, Redis 7.0+) counts the matches up to the limit first: no match returns at
-- once, and fewer matches than the limit tell the walk when it has them all (words that are each common but
-- rarely together would otherwise cost a walk of the whole smaller set in Lua).
local total = nil
if #KEYS > 1 then
  local args = { 'ZINTERCARD', #KEYS }
  for k = 1, #KEYS do args[#args + 1] = KEYS[k] end
  args[#args + 1] = 'LIMIT'
  args[#args + 1] = limit
  total = redis.call(unpack(args))
  if total == 0 then return ok() end
  if total >= limit or only ~= '' then total = nil end
end
local others = {}
for k = 1, #KEYS do if k ~= smallest then others[#others + 1] = KEYS[k] end end
local out = {'OK'}
local hits, boundary = 0, nil
local offset = 0
while offset < size do
  local page = redis.call('ZREVRANGE', KEYS[smallest], offset, offset + batch - 1, 'WITHSCORES')
  offset = offset + batch
  local members, scores = {}, {}
  for j = 1, #page, 2 do
    local m = page[j]
    if only == '' or string.sub(m, string.find(m, ':', 1, true) + 1) == only then
      members[#members + 1] = m
      scores[#scores + 1] = page[j + 1]
    end
  end
  local keep = {}
  for j = 1, #members do keep[j] = true end
  if #members > 0 then
    for _, other in ipairs(others) do
      local found = redis.call('ZMSCORE', other, unpack(members))
      for j = 1, #members do if not found[j] then keep[j] = false end end
    end
  end
  for j = 1, #members do
    local score = tonumber(scores[j])
    if boundary ~= nil and score < boundary then return out end
    if keep[j] then
      local m = members[j]
      local colon = string.find(m, ':', 1, true)
      local seq = string.sub(m, 1, colon - 1)
      local entry = redis.call('XRANGE', B .. 's:' .. string.sub(m, colon + 1) .. ':log', seq .. '-0', seq .. '-0')
      out[#out + 1] = m
      out[#out + 1] = entry[1] and entry[1][2] or false
      hits = hits + 1
      if hits == limit then boundary = score end
      if total ~= nil and hits == total then return out end
    end
  end
end
return out
