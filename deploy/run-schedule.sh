#!/usr/bin/env bash
# Run one Meltano schedule of the production path once, then exit: what cron or a systemd
# timer calls (deploy/README.md). Usage: deploy/run-schedule.sh SCHEDULE [ENVIRONMENT]
#
# No daemon of our own: the timer decides when, Meltano runs the schedule's job, and the job's
# first task (sync-lock:acquire) makes a run that finds another still going stop before any
# write (exit 3 of this script). So `--force` is safe here: it only lifts Meltano's own per-block
# "already running" guard, which after a crash (SIGKILL, container restart) would otherwise
# refuse every run for 5 minutes.
set -euo pipefail

schedule=${1:?usage: deploy/run-schedule.sh SCHEDULE [ENVIRONMENT]}
environment=${2:-postgres}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# the project's tools (`make install`); MELTANO may name another meltano executable
meltano=${MELTANO:-$root/.venv/bin/meltano}
export MELTANO_SEND_ANONYMOUS_USAGE_STATS=${MELTANO_SEND_ANONYMOUS_USAGE_STATS:-false}

if [[ $environment == postgres ]]; then
  # Meltano's system database beside the warehouse (state, run history, the guard), so both
  # outlive the container; the warehouse database is created first if missing.
  : "${PGHOST:=127.0.0.1}" "${PGPORT:=5432}" "${PGUSER:=postgres}" "${PGDATABASE:=pim_dam_sync}"
  export PGHOST PGPORT PGUSER PGDATABASE
  if [[ -z ${MELTANO_DATABASE_URI:-} ]]; then
    auth=$PGUSER${PGPASSWORD:+:$PGPASSWORD}
    export MELTANO_DATABASE_URI="postgresql+psycopg://$auth@$PGHOST:$PGPORT/$PGDATABASE"
  fi
  "$root/.venv/bin/python" "$root/deploy/sync-lock/sync_lock/postgres.py"
fi

# A 5-minute schedule leaves out what a full sync lands (sync-lock require-full-sync): on a
# warehouse no full sync has filled yet (a fresh deployment), this tick runs the full one.
if [[ $schedule == *-frequent ]] &&
   ! "$meltano" --environment="$environment" invoke sync-lock:require-full-sync; then
  schedule=${schedule%-frequent}-hourly
  echo "run-schedule: no full sync yet, running $schedule instead" >&2
fi

# `meltano run` exits 1 whichever block failed: a run the lock stopped (another sync still
# going, nothing written) is told apart by the lock's message and exits 3 here.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$meltano" --environment="$environment" schedule run "$schedule" --force 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
if ((code != 0)) && grep -q "another sync is running in environment" "$log"; then
  exit 3
fi
exit "$code"
