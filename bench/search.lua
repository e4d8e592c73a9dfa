-- wrk script for scripts/bench: GET /api/search?q=... cycling through the benchmark queries
-- (the file named after "--" on wrk's command line), each thread from its own offset.
-- At the end prints one line "BENCH_JSON {...}" with throughput, latency percentiles and errors,
-- and how many answers were 503 (the server shedding load, docs/deployment.md).

local queries = {}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function load(path)
  assert(path, "usage: wrk ... -s bench/search.lua URL -- QUERIES_FILE")
  for line in io.lines(path) do
    if #line > 0 then queries[#queries + 1] = "/api/search?q=" .. urlencode(line) end
  end
end

local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("offset", thread_id * 37)
  thread_id = thread_id + 1
  threads[#threads + 1] = thread
end

local i = 0
function init(args)
  load(args[1])
  i = offset or 0
end

function request()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1])
end

overloaded = 0
function response(status, headers, body)
  if status == 503 then overloaded = overloaded + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  local status_503 = 0
  for _, t in ipairs(threads) do status_503 = status_503 + (t:get("overloaded") or 0) end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_timeout": %d, "non_2xx_3xx": %d, ' ..
    '"status_503": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status,
    status_503))
end
