#!/usr/bin/env bash
# Measure the console's main pages on a fresh `parcours dev` (embedded
# stores, demo data): p50/p95 time for the whole page on loopback, and the
# compressed bytes of a first visit (page + CSS + JS). N requests per page
# (default 50), one at a time.
#   scripts/page-speed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
EXTRA=${EXTRA:-0}   # people added through the API before measuring
PORT=${PORT:-18182}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
go build -o "$dir/parcours" ./cmd/parcours
go build -o "$dir/pagespeed" ./cmd/pagespeed
PARCOURS_ADDR=127.0.0.1:$PORT PARCOURS_PUBLIC_URL=http://127.0.0.1:$PORT PARCOURS_DATA_DIR="$dir/data" \
  PARCOURS_LOG_LEVEL=error PARCOURS_RATE_LIMIT=100000000 "$dir/parcours" dev >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 300); do [ -s "$dir/data/demo-keys.json" ] && curl -sf "127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
for persona in ${PERSONAS:-adviser coordinator mentor}; do
  echo "== $persona"
  "$dir/pagespeed" -keys "$dir/data/demo-keys.json" -n "$N" -extra "$EXTRA" -persona "$persona"
  EXTRA=0
done
