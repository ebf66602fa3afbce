#!/usr/bin/env bash
# Load the API of a fresh `parcours dev` (embedded stores, demo data) with wrk
# on loopback and print requests/s and latency per endpoint. Bounded: each run
# lasts DURATION seconds (default 10) with CONNS connections (default 16).
#   scripts/load-api.sh            # needs wrk (apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
PORT=${PORT:-18181}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
go build -o "$dir/parcours" ./cmd/parcours
PARCOURS_ADDR=127.0.0.1:$PORT PARCOURS_DATA_DIR="$dir/data" PARCOURS_RATE_LIMIT=100000000 PARCOURS_LOG_LEVEL=error \
  "$dir/parcours" dev >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 300); do [ -s "$dir/data/demo-keys.json" ] && curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
key=$(sed -n 's/^ *"adviser": "\(prc_[^"]*\)".*/\1/p' "$dir/data/demo-keys.json")
ben=$(curl -sf -H "Authorization: Bearer $key" "127.0.0.1:$PORT/api/v1/beneficiaries?limit=1" | sed 's/.*"id":"\(ben_[^"]*\)".*/\1/')
for path in /healthz "/api/v1/opportunities?kind=job&limit=20" "/api/v1/beneficiaries/$ben" "/api/v1/beneficiaries/$ben/suggestions?kind=job"; do
  echo "== GET $path"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -H "Authorization: Bearer $key" "http://127.0.0.1:$PORT$path" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx'
done
