"""One chaos trial end to end: reset, run under faults or kill, re-run to success, compare.

A `Lab` is one pair of emulators and a folder for work. `Lab.reference()` runs the sync once
without faults for a catalogue seed and PATCH configuration and keeps its final state and
profile; a trial starts from the same seed, runs `meltano run sync` under a fault schedule
(or SIGKILLs it), re-runs without faults until a run succeeds, and compares the final state
with the reference.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from chaos_driver import FaultDriver
from chaos_process import Attempt, SyncProcess, chaos_project, run_to_end
from chaos_schedule import (
    PatchConfig,
    Profile,
    TrialSpec,
    fault_schedule,
    kill_plan,
)
from chaos_state import Violations, differences, normalise, violations
from sync_project import Project, write_requests

from emulators.runtime import NO_LIMITS, AdminClient, RunningEmulators, start

MAX_RERUNS = 3
RUN_TIMEOUT_SECONDS = 240.0
"""One `meltano run sync` of the small catalogue takes 30-60 s here; faults add backoff."""
TOKEN_LIFETIME_SECONDS = 900
SESSION_IDLE_SECONDS = 7200


def rejected_records(workdir: Path) -> int:
    """Records the last sync rejected. They stay in the outbox and the next sync tries them
    again (an image host that answered 502 while Plytix fetched it), so a run with rejects
    is followed by another, like a failed one."""
    count = 0
    for path in (workdir / "outcomes").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            if line.strip() and json.loads(line).get("outcome") == "rejected":
                count += 1
    return count


class ReferenceFailed(AssertionError):
    """The fault-free run itself failed: nothing to compare a trial with."""


@dataclass
class Reference:
    config: PatchConfig
    catalog_seed: int
    seed_state: dict[str, Any]
    final_state: dict[str, Any]
    normalised: dict[str, Any]
    profile: Profile


@dataclass
class TrialResult:
    seed: int
    kind: str
    patch: str
    catalog_seed: int
    reference: str = ""
    """The PATCH configuration of the fault-free run compared with."""
    converged: bool = False
    """Some run succeeded within MAX_RERUNS re-runs."""
    identical: bool = False
    """The converged state equals the reference after normalisation."""
    reruns: int = 0
    attempts: list[dict[str, Any]] = field(default_factory=list)
    schedule: dict[str, Any] = field(default_factory=dict)
    driver: dict[str, Any] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)
    duplicate_assets: int = 0
    duplicate_galleries: int = 0
    duplicate_collections: int = 0
    lost_attributes: list[str] = field(default_factory=list)
    lost_keywords: list[str] = field(default_factory=list)
    survivors: int = 0
    seconds: float = 0.0
    workdir: str = ""
    log_tail: str = ""

    @property
    def passed(self) -> bool:
        return (
            self.converged
            and self.identical
            and not self.survivors
            and Violations(
                self.duplicate_assets,
                self.duplicate_galleries,
                self.duplicate_collections,
                self.lost_attributes,
                self.lost_keywords,
            ).clean
        )

    def assert_sound(self) -> None:
        """Every invariant of a trial, each failure with the whole explanation."""
        assert self.converged, self.explain()
        assert self.survivors == 0, self.explain()
        assert self.duplicate_assets == 0, self.explain()
        assert self.duplicate_galleries == 0, self.explain()
        assert self.duplicate_collections == 0, self.explain()
        assert self.lost_attributes == [], self.explain()
        assert self.lost_keywords == [], self.explain()
        assert self.identical, self.explain()
        if self.kind == "faults":
            assert self.driver["armed"], f"no fault reached the run: {self.explain()}"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "passed": self.passed}

    def explain(self) -> str:
        """One paragraph to put in an assertion message or a report."""
        lines = [
            f"trial seed={self.seed} kind={self.kind} patch={self.patch} "
            f"catalog_seed={self.catalog_seed} reference={self.reference} "
            f"converged={self.converged} "
            f"identical={self.identical} reruns={self.reruns} workdir={self.workdir}",
            f"schedule: {self.schedule}",
            f"driver: {self.driver}",
            f"attempts: {self.attempts}",
        ]
        if self.duplicate_assets or self.duplicate_galleries or self.duplicate_collections:
            lines.append(
                f"duplicates: assets={self.duplicate_assets} galleries="
                f"{self.duplicate_galleries} collections={self.duplicate_collections}"
            )
        if self.lost_attributes or self.lost_keywords:
            lines.append(
                f"lost attributes {self.lost_attributes[:20]}; "
                f"lost keywords {self.lost_keywords[:20]}"
            )
        if self.survivors:
            lines.append(f"{self.survivors} processes survived SIGKILL")
        lines += [f"  {d}" for d in self.differences]
        if not self.converged:
            lines.append(f"last log:\n{self.log_tail}")
        return "\n".join(lines)


class Lab:
    """One pair of emulators (one catalogue seed at a time) and a work folder.

    Runs `job` (`meltano run sync`) in projects `project()` makes; a subclass runs another
    job on another warehouse (tests/reliability/chaos_postgres.py).
    """

    job = "sync"

    def __init__(
        self,
        workroot: Path,
        running: RunningEmulators | None = None,
        catalog_seed: int = 42,
        reference_config: PatchConfig | None = None,
    ) -> None:
        """`reference_config`: compare every trial with the fault-free run under this one
        configuration (the final state must not depend on Plytix's PATCH semantics), instead
        of one reference per configuration."""
        self.workroot = workroot
        self.reference_config = reference_config
        self.owned = running is None
        self.catalog_seed = catalog_seed
        self.running = running or start("small", seed=catalog_seed)
        self.references: dict[tuple[int, str], Reference] = {}
        self._admins()

    def _admins(self) -> None:
        self.admins = {
            "plytix": AdminClient(self.running.plytix_url),
            "photoshelter": AdminClient(self.running.photoshelter_url),
        }

    def stop(self) -> None:
        if self.owned:
            self.running.stop()

    # --- emulators --------------------------------------------------------------------------
    def use_catalog(self, catalog_seed: int) -> None:
        """Restart this lab's own emulators on another catalogue seed when needed."""
        if catalog_seed == self.catalog_seed:
            return
        if not self.owned:
            raise ValueError(
                f"catalog_seed {catalog_seed}: this lab runs on shared emulators "
                f"seeded {self.catalog_seed}"
            )
        self.running.stop()
        self.running = start("small", seed=catalog_seed)
        self.catalog_seed = catalog_seed
        self._admins()

    def prepare(self, config: PatchConfig) -> dict[str, Any]:
        """Back to the seed with the trial settings; the seed state."""
        for side, admin in self.admins.items():
            admin.reset()
            admin.clear_faults()
            admin.settings(**NO_LIMITS[side])
        self.admins["plytix"].settings(
            patch_mode=config.plytix_patch_mode, token_lifetime_seconds=TOKEN_LIFETIME_SECONDS
        )
        self.admins["photoshelter"].settings(session_idle_seconds=SESSION_IDLE_SECONDS)
        return self.state()

    def state(self) -> dict[str, Any]:
        return {side: admin.state() for side, admin in self.admins.items()}

    def base_urls(self) -> dict[str, str]:
        return {"plytix": self.running.plytix_url, "photoshelter": self.running.photoshelter_url}

    def routes(self) -> dict[str, dict[str, int]]:
        return {side: dict(admin.requests()["by_route"]) for side, admin in self.admins.items()}

    def writes(self) -> int:
        return sum(sum(write_requests(admin.requests()).values()) for admin in self.admins.values())

    def workdir(self, name: str) -> Path:
        path = self.workroot / name
        shutil.rmtree(path, ignore_errors=True)
        return path

    def project(self, workdir: Path, config: PatchConfig) -> Project:
        """The Meltano project of one run history, its files in `workdir`."""
        return chaos_project(workdir, self.running, config.target_patch_semantics)

    # --- the fault-free run -----------------------------------------------------------------
    def reference(self, config: PatchConfig, catalog_seed: int | None = None) -> Reference:
        seed = self.catalog_seed if catalog_seed is None else catalog_seed
        key = (seed, config.name)
        if key not in self.references:
            self.use_catalog(seed)
            seed_state = self.prepare(config)
            workdir = self.workdir(f"reference-{seed}-{config.name.replace('/', '-')}")
            project = self.project(workdir, config)
            attempt = run_to_end(project, RUN_TIMEOUT_SECONDS, self.job)
            if not attempt.succeeded:
                log = (workdir / "meltano.log").read_text(errors="replace")[-6000:]
                raise ReferenceFailed(
                    f"the fault-free reference run of catalogue {seed} "
                    f"under {config.name} failed ({attempt}):\n{log}"
                )
            profile = Profile(attempt.seconds, self.routes(), self.writes())
            final = self.state()
            self.references[key] = Reference(
                config,
                seed,
                seed_state,
                final,
                normalise(seed_state, final, self.base_urls()),
                profile,
            )
        return self.references[key]

    # --- trials -----------------------------------------------------------------------------
    def trial(self, spec: TrialSpec) -> TrialResult:
        reference = self.reference(self.reference_config or spec.patch, spec.catalog_seed)
        self.use_catalog(spec.catalog_seed)
        started = time.monotonic()
        result = TrialResult(
            spec.seed,
            spec.kind,
            spec.patch.name,
            spec.catalog_seed,
            reference=reference.config.name,
        )
        seed_state = self.prepare(spec.patch)
        workdir = self.workdir(f"trial-{spec.seed}")
        result.workdir = str(workdir)
        project = self.project(workdir, spec.patch)
        if spec.kind == "faults":
            first = self._under_faults(spec.seed, reference, project, result)
        else:
            first = self._killed(spec.seed, reference, project, result)
        result.attempts.append(asdict(first))
        result.survivors = first.survivors
        last = first
        while (not last.succeeded or rejected_records(workdir)) and result.reruns < MAX_RERUNS:
            result.reruns += 1
            # a killed run leaves its job marked running in the system database; Meltano
            # refuses a second run of the same state id for 5 minutes unless forced
            last = run_to_end(project, RUN_TIMEOUT_SECONDS, self.job, "--force")
            result.attempts.append(asdict(last))
        result.converged = last.succeeded
        if not result.converged:
            result.log_tail = (workdir / "meltano.log").read_text(errors="replace")[-4000:]
        final = self.state()
        result.differences = differences(
            reference.normalised, normalise(seed_state, final, self.base_urls())
        )
        result.identical = not result.differences
        found = violations(reference.final_state, final)
        result.duplicate_assets = found.duplicate_assets
        result.duplicate_galleries = found.duplicate_galleries
        result.duplicate_collections = found.duplicate_collections
        result.lost_attributes = found.lost_attributes
        result.lost_keywords = found.lost_keywords
        result.seconds = round(time.monotonic() - started, 1)
        return result

    def _under_faults(
        self, seed: int, reference: Reference, project: Project, result: TrialResult
    ) -> Attempt:
        schedule = fault_schedule(seed, reference.profile)
        result.schedule = schedule.to_json()
        driver = FaultDriver(
            self.admins,
            schedule,
            {"plytix": TOKEN_LIFETIME_SECONDS + 1, "photoshelter": SESSION_IDLE_SECONDS + 1},
        )
        driver.start()
        try:
            attempt = run_to_end(project, RUN_TIMEOUT_SECONDS, self.job)
        finally:
            result.driver = driver.stop()
        return attempt

    def _killed(
        self, seed: int, reference: Reference, project: Project, result: TrialResult
    ) -> Attempt:
        plan = kill_plan(seed, reference.profile)
        result.schedule = plan.to_json()
        process = SyncProcess(project, "run", self.job)
        if plan.after_writes is not None:
            target = plan.after_writes
            process.wait(RUN_TIMEOUT_SECONDS, until=lambda: self.writes() >= target)
        else:
            process.wait(plan.after_seconds or 0.0)
        if not process.running():
            # the run ended before the kill point: nothing to kill, still a valid trial
            result.driver = {"killed_at": None, "writes_before_kill": self.writes()}
            return process.attempt()
        writes = self.writes()
        survivors = process.kill()
        result.driver = {
            "killed_at_seconds": round(process.elapsed(), 2),
            "writes_before_kill": writes,
        }
        return process.attempt(killed=True, survivors=survivors)
