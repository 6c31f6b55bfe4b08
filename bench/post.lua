-- wrk script: POSTs one JSON body read from $BENCH_BODY_FILE to every connection.
-- With $BENCH_RATE (requests/s over all connections) it paces requests so the run offers that rate
-- instead of the maximum (closed loop: a late response delays its connection's next request, so
-- latency under pacing is a lower bound, like any wrk-1 style measurement).
-- done() prints one machine-readable line that bench/run.sh parses.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local body_file = os.getenv("BENCH_BODY_FILE")
local f = assert(io.open(body_file, "rb"), "cannot read BENCH_BODY_FILE")
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

-- delay() is defined only when pacing: wrk takes a slower timer path for every request once it exists
local rate = tonumber(os.getenv("BENCH_RATE") or "")
if rate and rate > 0 then
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local interval_ms = 1000 * threads / rate -- per wrk thread
  local next_due = nil
  function delay()
    local t = now_ms()
    if not next_due or next_due < t - 100 then next_due = t end -- do not bank more than 100 ms of slack
    next_due = next_due + interval_ms
    local wait = next_due - t
    if wait <= 0 then return 0 end
    -- wrk's timer has whole milliseconds: round stochastically so the mean wait is right
    local whole = math.floor(wait)
    if math.random() < wait - whole then whole = whole + 1 end
    return whole
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
