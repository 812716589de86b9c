#!/usr/bin/env bash
# Levels every PSPLIB instance (j30, j60, j90, j120: 2,040 networks) with the release binary's defaults (50,000
# schedules, 1,000 ms time limit), checks each schedule independently and prints the quality figures per set.
# Takes about 15 minutes on 2 cores. Optional: SCHEDULES=5000 (another budget), JOBS=1 (one instance at a time),
# SETS=j30,j120.
#   swift build -c release --product pmo && Benchmarks/levelling/psplib.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/release/pmo}
[ -x "$BIN" ] || { echo "build the release binary first: swift build -c release --product pmo" >&2; exit 1; }
ARGS=(--sets "${SETS:-j30,j60,j90,j120}" --every 1 --jobs "${JOBS:-2}")
[ -n "${SCHEDULES:-}" ] && ARGS+=(--schedules "$SCHEDULES" --time-limit-ms "${TIME_LIMIT_MS:-600000}")
python3 scripts/psplib_level_check.py "$BIN" "${ARGS[@]}"
