-- bench/run's wrk script. Arguments after "--": one session cookie value per thread (each thread's connections
-- send its own session, as different people would; with none, the -H headers apply). Counts the answers that are
-- not 2xx (wrk itself counts only 4xx/5xx) and prints one line of JSON at the end for bench/driver.py.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  local session = args[id]
  if session then
    wrk.headers["Cookie"] = "sessionid=" .. session
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "seconds": %.6f, "rps": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "socket_errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout + e.status, non2xx_total))
end
