-- Shared by every wrk run: method, path, body and headers come from the environment.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.path = os.getenv("BENCH_PATH") or "/"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.headers["Content-Type"] = "application/json"
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then
  -- Each connection waits this long between requests: a paced load instead of a flat-out one.
  delay = function()
    return pause
  end
end
local consistency = os.getenv("BENCH_CONSISTENCY")
if consistency then
  wrk.headers["Aevon-Consistency"] = consistency
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH %d %.3f %.3f %.3f %d %.3f\n",
    summary.requests,
    summary.duration / 1e6,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    latency.max / 1000
  ))
end
