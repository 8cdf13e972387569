-- KEYS[1] session; ARGV[1] the user's key base, [2] session id
return ok(drop_session(ARGV[1], ARGV[2], true))
