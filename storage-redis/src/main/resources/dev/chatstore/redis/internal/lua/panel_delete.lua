-- KEYS[1] panel hash, [2] stream, [3] message ids, [4] insights by time, [5] insights
return ok(redis.call('UNLINK', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]) > 0 and 1 or 0)
