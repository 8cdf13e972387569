-- KEYS[1] session, [2] document hash; ARGV[1] analysis JSON. Returns the metadata.
if redis.call('EXISTS', KEYS[1]) == 0 then return err('NOTFOUND', 'session') end
if redis.call('EXISTS', KEYS[2]) == 0 then return err('NOTFOUND', 'document') end
redis.call('HSET', KEYS[2], 'analysis', ARGV[1])
return ok(redis.call('HMGET', KEYS[2], 'name', 'mimeType', 'size', 'sha256', 'uploadedAt', 'analysis', 'metadata'))
