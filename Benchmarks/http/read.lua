wrk.headers["Authorization"] = "Bearer " .. os.getenv("PMO_BENCH_TOKEN")
request = function()
  return wrk.format("GET", "/api/v1/projects/BENCH/issues/" .. math.random(1, tonumber(os.getenv("ISSUES") or "10000")))
end
