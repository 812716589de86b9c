-- GET one random issue. Each wrk thread seeds its own random numbers (setup gives every thread an id), so the two
-- threads do not send the same requests in the same order.
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PMO_BENCH_TOKEN")
request = function()
  return wrk.format("GET", "/api/v1/projects/BENCH/issues/" .. math.random(1, tonumber(os.getenv("ISSUES") or "10000")))
end
