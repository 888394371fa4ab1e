"""`meltano run sync-postgres` under faults and SIGKILL ends where its fault-free run ends.

The production path of issue 17: target-postgres, dbt-postgres, tap-warehouse reading
Postgres and Meltano's system database in Postgres (a killed run's bookmarks and job record
are there). Two fixed seeds of test_chaos_sync.py's set, both under `replace/replace`: seed 14
truncates the answer to a `POST /assets` that Plytix carried out (the duplicate-asset hazard),
kill seed 9 lands while target-plytix creates assets. Skipped without a Postgres server.
About 4-6 minutes here. Replay on DuckDB with `python scripts/chaos.py --first-seed <seed>`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chaos_postgres import PostgresLab, require_server
from chaos_schedule import PATCH_CONFIGS, TrialSpec
from chaos_trial import MAX_RERUNS, RUN_TIMEOUT_SECONDS

from emulators.runtime import RunningEmulators

_, _, REPLACE_REPLACE = PATCH_CONFIGS
FIXED_TRIALS = [
    TrialSpec(seed=14, kind="faults", patch=REPLACE_REPLACE, catalog_seed=42),
    TrialSpec(seed=9, kind="kill", patch=REPLACE_REPLACE, catalog_seed=42),
]
TRIAL_BOUND_SECONDS = int(RUN_TIMEOUT_SECONDS * (MAX_RERUNS + 1) + 120)

pytestmark = [pytest.mark.chaos, pytest.mark.e2e, pytest.mark.timeout(TRIAL_BOUND_SECONDS * 2)]


@pytest.fixture(scope="module")
def lab(
    emulators: RunningEmulators, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PostgresLab]:
    require_server()
    lab = PostgresLab(
        tmp_path_factory.mktemp("chaos-postgres"),
        running=emulators,
        catalog_seed=42,
        reference_config=REPLACE_REPLACE,
    )
    yield lab
    lab.stop()


@pytest.mark.parametrize("spec", FIXED_TRIALS, ids=lambda s: f"{s.kind}-seed{s.seed}")
def test_sync_postgres_converges_to_the_fault_free_state(lab: PostgresLab, spec: TrialSpec) -> None:
    lab.trial(spec).assert_sound()
