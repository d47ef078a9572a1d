-- Replays prepared requests, round robin, for `wrk` (bench/pg_paths.py writes the file and runs wrk).
--
--   wrk -t2 -c32 -d20s -s bench/wrk/replay.lua http://127.0.0.1:PORT -- REQUESTS EXPECT [MATCH] [DELAY_MS]
--
-- REQUESTS: a file, one request a line: METHOD \t PATH \t HEADERS \t BODY, where HEADERS is
--   "Name: value" pairs joined by \x01 and BODY is sent as is (may be empty).
-- EXPECT: the status every response must have (others count as "bad"); MATCH: a text the body must hold
--   ("-" for none); DELAY_MS: "lo-hi", a pause before each request (a scorer who thinks), "0" for none;
--   FIRST: how many requests a thread sends before its first pause (paced.lua: one per connection).
-- Each thread starts at its own place in the list, so the connections spread over the users.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

local function split(text, sep)
  local out, start = {}, 1
  while true do
    local i = string.find(text, sep, start, true)
    if not i then table.insert(out, string.sub(text, start)); return out end
    table.insert(out, string.sub(text, start, i - 1))
    start = i + #sep
  end
end

function init(args)
  requests, expect, match = {}, tonumber(args[2]), args[3]
  wrk_args_first = args[5]  -- paced.lua: how many first requests go without a pause
  if match == nil or match == "-" then match = nil end
  delay_lo, delay_hi = 0, 0
  if args[4] and args[4] ~= "0" then
    local range = split(args[4], "-")
    delay_lo, delay_hi = tonumber(range[1]), tonumber(range[2] or range[1])
  end
  for line in io.lines(args[1]) do
    local f = split(line, "\t")
    local headers = {}
    if f[3] ~= nil and f[3] ~= "" then
      for _, pair in ipairs(split(f[3], "\1")) do
        local colon = string.find(pair, ":", 1, true)
        headers[string.sub(pair, 1, colon - 1)] = string.sub(pair, colon + 2)
      end
    end
    local body = f[4]
    if body == "" then body = nil end
    table.insert(requests, wrk.format(f[1], f[2], headers, body))
  end
  position = ((index or 1) * 7919) % #requests
  bad, checked = 0, 0
  math.randomseed(index or 1)
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= expect or (match and not string.find(body, match, 1, true)) then
    bad = bad + 1
    if first_bad == nil then first_bad = status .. " " .. string.sub(body or "", 1, 160) end
  end
end

function done(summary, latency, requests_)
  local bad_total, checked_total = 0, 0
  for _, thread in ipairs(threads) do
    local first = thread:get("first_bad")
    if first then io.write("FIRSTBAD " .. string.gsub(first, "\n", " ") .. "\n") end
    bad_total = bad_total + (thread:get("bad") or 0)
    checked_total = checked_total + (thread:get("checked") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bad":%d,"checked":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"timeout":%d,"status":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, bad_total, checked_total, e.connect, e.read, e.write, e.timeout,
    e.status, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
