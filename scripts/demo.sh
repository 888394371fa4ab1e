#!/usr/bin/env bash
# `make demo`: start both emulators on the demo catalogue, show them answering, stop them.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=".tools/bin/uv run --frozen"
PLYTIX_PORT=${PLYTIX_PORT:-8701}
PS_PORT=${PS_PORT:-8702}
mkdir -p output
$RUN python -m emulators --catalog demo --plytix-port "$PLYTIX_PORT" \
    --photoshelter-port "$PS_PORT" > output/emulators.log 2>&1 &
EMU_PID=$!
trap 'kill $EMU_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "emulators ready" output/emulators.log 2>/dev/null && break
  kill -0 $EMU_PID 2>/dev/null || { cat output/emulators.log; exit 1; }
  sleep 0.1
done
cat output/emulators.log
$RUN python scripts/demo_peek.py "http://127.0.0.1:$PLYTIX_PORT" "http://127.0.0.1:$PS_PORT"
