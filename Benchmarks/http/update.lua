-- PATCH one random issue's next action with a text no other request sends (thread id and request count), so that
-- every update really changes the issue: permission, validation, row lock, audit event and version bump each time.
-- Each wrk thread seeds its own random numbers.
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PMO_BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["If-Match"] = "*"
local n = 0
request = function()
  n = n + 1
  local body = '{"nextAction":"benchmark step ' .. id .. "-" .. n .. '"}'
  return wrk.format("PATCH", "/api/v1/projects/BENCH/issues/" .. math.random(1, tonumber(os.getenv("ISSUES") or "10000")), nil, body)
end
-- Counts answers that are not 200, so a run of refused updates cannot pass for a fast one.
local refused = 0
response = function(status, headers, body)
  if status ~= 200 then refused = refused + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("updates answered other than 200: %d\n", refused))
end
