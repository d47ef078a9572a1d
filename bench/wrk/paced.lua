-- replay.lua with a pause of DELAY_MS ("lo-hi" milliseconds) between requests: scorers who think.
-- wrk runs from the repository's root (bench/pg_paths.py sees to it).
--
-- A connection's first request goes at once (args[5]: the thread's connections): a client connects when
-- it has something to send. wrk pauses before the first request too, and gunicorn's gthread worker holds
-- a thread for a new connection's first bytes (up to 5 s), so 16 silent connections held all 8 threads
-- and every board poll waited about a second (the "board light" p95 of 1 s, December 2026).
dofile("bench/wrk/replay.lua")

local unpaced = nil

function delay()
  if unpaced == nil then unpaced = tonumber(wrk_args_first or 0) end
  if unpaced > 0 then
    unpaced = unpaced - 1
    return 0
  end
  return math.random(delay_lo, delay_hi)
end
