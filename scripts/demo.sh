#!/usr/bin/env bash
# `make demo`: start both emulators on the demo catalogue, run `meltano run sync`, print what
# it did, run it again and show that the second run writes nothing. Leaves output/dev/report.html
# (the files of the `dev` environment: warehouse, outcomes, report, logs).
#
#   DEMO_CATALOG=small|demo|large   catalogue size (default demo)
#   DEMO_RATE_LIMITS=1              keep the emulated rate limits (free plan: 20 requests per
#                                   10 s, 2,000 per hour: the demo then takes much longer)
#   DEMO_KEEP=1                     keep the emulators running at the end (the report's
#                                   thumbnails are their public image links); Ctrl-C stops
#   DEMO_PLYTIX_PORT, DEMO_PHOTOSHELTER_PORT
#                                   emulator ports (default 8701, 8702: the `dev` environment's
#                                   URLs; other ports are passed to the plugins for this demo)
set -euo pipefail
cd "$(dirname "$0")/.."
export MELTANO_SEND_ANONYMOUS_USAGE_STATS=false
RUN=".tools/bin/uv run --frozen"
MELTANO="$RUN meltano"
CATALOG=${DEMO_CATALOG:-demo}
PLYTIX_PORT=${DEMO_PLYTIX_PORT:-8701}
PS_PORT=${DEMO_PHOTOSHELTER_PORT:-8702}
PLYTIX=http://127.0.0.1:$PLYTIX_PORT
PS=http://127.0.0.1:$PS_PORT
OUT=output/dev
EMULATOR_FLAGS=(--catalog "$CATALOG" --plytix-port "$PLYTIX_PORT" --photoshelter-port "$PS_PORT")
if [[ $PLYTIX_PORT != 8701 || $PS_PORT != 8702 ]]; then
  export TAP_PLYTIX_AUTH_URL=$PLYTIX TARGET_PLYTIX_AUTH_URL=$PLYTIX
  export TAP_PLYTIX_API_URL=$PLYTIX/api/v1 TARGET_PLYTIX_API_URL=$PLYTIX/api/v1
  export TAP_PHOTOSHELTER_API_URL=$PS/psapi/v4.0 TARGET_PHOTOSHELTER_API_URL=$PS/psapi/v4.0
fi
if [[ "${DEMO_RATE_LIMITS:-0}" != 1 ]]; then
  EMULATOR_FLAGS+=(--no-rate-limits)
  export TAP_PLYTIX_REQUESTS_PER_10S=0 TAP_PLYTIX_REQUESTS_PER_HOUR=0
  export TARGET_PLYTIX_REQUESTS_PER_10S=0 TARGET_PLYTIX_REQUESTS_PER_HOUR=0
fi

# a busy port: one line now, not a traceback after the install
$RUN python scripts/port_free.py 127.0.0.1 "$PLYTIX_PORT:DEMO_PLYTIX_PORT" \
  "$PS_PORT:DEMO_PHOTOSHELTER_PORT" || exit 1

echo "== installing the Meltano plugins (offline from the package registries)"
$MELTANO install > output.install.log 2>&1 || { cat output.install.log; exit 1; }
rm -f output.install.log

mkdir -p $OUT
rm -f $OUT/warehouse.duckdb $OUT/report.html
rm -rf $OUT/outcomes
# a fresh catalogue: forget the bookmarks of an earlier demo
$MELTANO state clear --force dev:tap-plytix-to-target-duckdb > /dev/null 2>&1 || true
$MELTANO state clear --force dev:tap-photoshelter-to-target-duckdb > /dev/null 2>&1 || true

echo "== starting the emulators (catalogue $CATALOG) on $PLYTIX_PORT (Plytix) and $PS_PORT (PhotoShelter)"
$RUN python -m emulators "${EMULATOR_FLAGS[@]}" > $OUT/emulators.log 2>&1 &
EMULATORS=$!
trap 'kill $EMULATORS 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q "emulators ready" $OUT/emulators.log 2>/dev/null && break
  kill -0 $EMULATORS 2>/dev/null || { cat $OUT/emulators.log; exit 1; }
  sleep 0.1
done
cat $OUT/emulators.log

sync() {
  local label=$1
  echo
  echo "== $label: meltano run sync (log: $OUT/$2.log)"
  local started=$SECONDS
  if ! $MELTANO run sync > "$OUT/$2.log" 2>&1; then
    tail -40 "$OUT/$2.log"; exit 1
  fi
  echo "   took $((SECONDS - started)) s"
  $MELTANO invoke sync-report summary 2>/dev/null | grep -v '^20..-' | sed 's/^/   /'
  echo "   remote writes:"
  $RUN python scripts/demo_requests.py show "$PLYTIX" "$PS"
}

$RUN python scripts/demo_requests.py clear "$PLYTIX" "$PS"
sync "first sync" sync-1
$RUN python scripts/demo_requests.py clear "$PLYTIX" "$PS"
sync "second sync, nothing changed upstream" sync-2
echo
if [[ "${DEMO_KEEP:-0}" == 1 ]]; then
  echo "== report: $(pwd)/$OUT/report.html (emulators still running for its thumbnails; Ctrl-C stops)"
  wait $EMULATORS
else
  echo "== report: $(pwd)/$OUT/report.html (thumbnails load while the emulators run: DEMO_KEEP=1)"
fi
