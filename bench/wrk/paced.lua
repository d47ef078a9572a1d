-- replay.lua with a pause of DELAY_MS ("lo-hi" milliseconds) before each request: scorers who think.
-- wrk runs from the repository's root (bench/pg_paths.py sees to it).
dofile("bench/wrk/replay.lua")

function delay()
  return math.random(delay_lo, delay_hi)
end
