-- wrk script for bench/load.py: each connection loops over a weighted mix of requests read from
-- the file named by the environment variable RAQIB_LOAD_PATHS (one "METHOD<TAB>PATH[<TAB>BODY]"
-- per line). Every client carries the same CSRF token in its cookie and form (double submit).
local reqs = {}
local token = os.getenv("RAQIB_LOAD_TOKEN") or "loadtesttoken"

function init(args)
  local f = assert(io.open(os.getenv("RAQIB_LOAD_PATHS"), "r"))
  for line in f:lines() do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    if method then
      local headers = { ["Cookie"] = "raqib_csrf=" .. token }
      if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
      reqs[#reqs + 1] = wrk.format(method, path, headers, body ~= "" and body or nil)
    end
  end
  f:close()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  return reqs[math.random(#reqs)]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.2f p50=%.1f p95=%.1f p99=%.1f max=%.1f " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
