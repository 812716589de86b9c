wrk.headers["Authorization"] = "Bearer " .. os.getenv("PMO_BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["If-Match"] = "*"
local n = 0
request = function()
  n = n + 1
  local body = '{"nextAction":"benchmark step ' .. n .. '"}'
  return wrk.format("PATCH", "/api/v1/projects/BENCH/issues/" .. math.random(1, tonumber(os.getenv("ISSUES") or "10000")), nil, body)
end
