# Sourced by the HTTP benchmarks: builds the release binary (unless SKIP_BUILD=1), makes a fresh SQLite database
# with an admin and an API token, starts the server on $PORT and stops it on exit.
# Sets ROOT, BIN, WORK, DB, TOKEN and SERVER. BIN=path/to/pmo measures another build (SKIP_BUILD is then implied).
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
if [ -z "${BIN:-}" ]; then
  [ -n "${SKIP_BUILD:-}" ] || swift build -c release --product pmo --scratch-path "$ROOT/.build-release"
  BIN="$ROOT/.build-release/release/pmo"
fi
WORK=$(mktemp -d)
DB="$WORK/bench.sqlite"
echo "long enough bench password" | "$BIN" user create --admin --email bench@example.com --name Bench --password-stdin --database "$DB" >/dev/null
TOKEN=$("$BIN" token create --email bench@example.com --name bench --database "$DB")
"$BIN" serve --port "$PORT" --database "$DB" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
