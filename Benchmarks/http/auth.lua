wrk.headers["Authorization"] = "Bearer " .. os.getenv("PMO_BENCH_TOKEN")
