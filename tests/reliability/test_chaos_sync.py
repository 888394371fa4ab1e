"""`meltano run sync` under faults and SIGKILL ends exactly where a fault-free run ends.

A fixed handful of seeds (`make chaos N=200` runs the long series): two fault schedules and
a kill, across both PATCH semantics of Plytix. Seed 2 arms all five fault kinds (a truncated
answer to `POST /galleries`, dropped connections on product PATCHes, slow asset creation);
seed 14 truncates the answer to a `POST /assets` that Plytix carried out (the duplicate-asset
hazard); kill seed 9 lands while target-plytix is creating assets and writing the whole
attribute map under `replace`. Every trial is compared with one
fault-free run under `merge/merge`, so a trial under `replace` also proves that the final
state does not depend on how Plytix treats a PATCH. A diverging trial prints its seed, its
schedule, the runs it took and the first differences: replay it with
`python scripts/chaos.py --first-seed <seed> --trials 1`.
"""

from __future__ import annotations

import pytest
from chaos_schedule import PATCH_CONFIGS, TrialSpec
from chaos_trial import MAX_RERUNS, RUN_TIMEOUT_SECONDS, Lab

MERGE_MERGE, _, REPLACE_REPLACE = PATCH_CONFIGS
FIXED_TRIALS = [
    TrialSpec(seed=2, kind="faults", patch=REPLACE_REPLACE, catalog_seed=42),
    TrialSpec(seed=14, kind="faults", patch=MERGE_MERGE, catalog_seed=42),
    TrialSpec(seed=9, kind="kill", patch=REPLACE_REPLACE, catalog_seed=42),
]
TRIAL_BOUND_SECONDS = int(RUN_TIMEOUT_SECONDS * (MAX_RERUNS + 1) + 120)

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(TRIAL_BOUND_SECONDS * 2)]


@pytest.fixture(scope="module")
def lab(chaos_lab: Lab) -> Lab:
    chaos_lab.reference_config = MERGE_MERGE
    return chaos_lab


@pytest.mark.parametrize(
    "spec", FIXED_TRIALS, ids=lambda s: f"{s.kind}-{s.patch.name.replace('/', '-')}-seed{s.seed}"
)
def test_sync_converges_to_the_fault_free_state(lab: Lab, spec: TrialSpec) -> None:
    lab.trial(spec).assert_sound()
