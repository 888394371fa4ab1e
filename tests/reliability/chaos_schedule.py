"""What a chaos trial does, derived from its seed alone, so any trial can be replayed.

A trial is either a fault trial (a random schedule of 429 storms, 5xx bursts, dropped
connections, slow and malformed responses, and token/session expiry every few calls) or a
kill trial (SIGKILL of the whole `meltano run sync` process group at a random point). The
schedule is drawn from the seed and from the fault-free reference run's profile (how many
requests each emulator saw, on which routes, how long the run took), so faults land inside
the run rather than before or after it.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

SIDES = ("plytix", "photoshelter")
FAULT_KINDS = ("storm429", "burst5xx", "drop", "slow", "malformed")
AUTH_ROUTE_MARKERS = ("/auth/api/get-token", "/authenticate")


@dataclass(frozen=True)
class PatchConfig:
    """Plytix's PATCH semantics (emulator `patch_mode`) and the target's assumption."""

    plytix_patch_mode: str
    target_patch_semantics: str

    @property
    def name(self) -> str:
        return f"{self.plytix_patch_mode}/{self.target_patch_semantics}"


PATCH_CONFIGS = (
    PatchConfig("merge", "merge"),
    PatchConfig("merge", "replace"),
    PatchConfig("replace", "replace"),
)
"""The matrix: both Plytix behaviours; `merge` targets are only safe on merge servers."""


@dataclass(frozen=True)
class Profile:
    """What the fault-free reference run looked like, to aim faults and kills into a run."""

    duration_seconds: float
    routes: dict[str, dict[str, int]]
    """side -> route key -> requests."""
    writes: int
    """Requests that changed remote state, both sides."""

    def count(self, side: str, route: str) -> int:
        routes = self.routes.get(side, {})
        return sum(routes.values()) if route == "*" else routes.get(route, 0)


@dataclass(frozen=True)
class FaultEvent:
    """Arm `spec` on `side` once its route has seen `after_requests` requests (for the
    route `*`, the whole emulator), so the fault meets the route while it is in use."""

    side: str
    after_requests: int
    kind: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class FaultSchedule:
    events: list[FaultEvent]
    expiry_every_seconds: float
    """Both emulators' clocks jump past token lifetime and session idle time this often."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class KillPlan:
    """SIGKILL after `after_writes` write requests, or after `after_seconds`."""

    after_writes: int | None
    after_seconds: float | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TrialSpec:
    seed: int
    kind: str  # faults | kill
    patch: PatchConfig
    catalog_seed: int
    details: dict[str, Any] = field(default_factory=dict)


def trial_spec(seed: int, catalog_seeds: tuple[int, ...] = (42,)) -> TrialSpec:
    """Kind, PATCH configuration and catalogue of trial `seed` (a long run cycles them)."""
    rng = random.Random(f"trial:{seed}")
    return TrialSpec(
        seed=seed,
        kind="faults" if seed % 2 == 0 else "kill",
        patch=PATCH_CONFIGS[(seed // 2) % len(PATCH_CONFIGS)],
        catalog_seed=rng.choice(catalog_seeds),
    )


def fault_schedule(seed: int, profile: Profile) -> FaultSchedule:
    """4-10 fault events spread over the reference run's requests, and an expiry pace."""
    rng = random.Random(f"faults:{seed}")
    events = []
    for _ in range(rng.randint(4, 10)):
        side = rng.choice(SIDES)
        routes = sorted(profile.routes.get(side, {}))
        kind = rng.choice(FAULT_KINDS)
        route = pick_route(rng, routes)
        after = rng.randrange(max(1, profile.count(side, route)))
        events.append(FaultEvent(side, after, kind, fault_spec(rng, side, kind, route)))
    events.sort(key=lambda e: (e.side, e.after_requests))
    return FaultSchedule(events, expiry_every_seconds=round(rng.uniform(0.2, 1.5), 2))


def pick_route(rng: random.Random, routes: list[str]) -> str:
    """A route the reference run used, writes and logins weighted up; sometimes any route."""
    if not routes or rng.random() < 0.1:
        return "*"
    weights = [
        3 if is_write(r) else 2 if any(m in r for m in AUTH_ROUTE_MARKERS) else 1 for r in routes
    ]
    return rng.choices(routes, weights)[0]


def is_write(route: str) -> bool:
    method, _, path = route.partition(" ")
    return (
        method not in ("GET", "HEAD")
        and not path.endswith("/search")
        and not any(m in path for m in AUTH_ROUTE_MARKERS)
    )


def fault_spec(rng: random.Random, side: str, kind: str, route: str) -> dict[str, Any]:
    """The body of one `POST /_emulator/faults`."""
    if kind == "storm429":
        return {
            "route": route,
            "action": "status",
            "status": 429,
            "count": rng.randint(2, 10),
            "headers": {"Retry-After": "1"},
            "body": error_body(side, 429, "Too many requests (chaos)"),
        }
    if kind == "burst5xx":
        status = rng.choice([500, 502, 503, 504])
        body: Any = (
            "<html><body><h1>502 Bad Gateway</h1></body></html>"
            if status == 502
            else error_body(side, status, "Internal error (chaos)")
        )
        return {
            "route": route,
            "action": "status",
            "status": status,
            "count": rng.randint(1, 4),
            "body": body,
        }
    if kind == "drop":
        return {"route": route, "action": "drop", "count": rng.randint(1, 3)}
    if kind == "slow":
        return {
            "route": route,
            "action": "delay",
            "delay_seconds": round(rng.uniform(0.3, 3.0), 2),
            "count": rng.randint(1, 4),
        }
    if kind == "malformed":
        return {"route": route, "action": "malformed", "count": rng.randint(1, 3)}
    raise ValueError(f"unknown fault kind {kind!r}")


def error_body(side: str, status: int, message: str) -> dict[str, Any]:
    """An error body in the API's own shape."""
    if side == "plytix":
        return {"error": {"msg": message}}
    names = {429: "TooManyRequestsException"}
    return {
        "errors": [
            {
                "id": names.get(status, "InternalServerErrorException"),
                "status": str(status),
                "title": message,
                "detail": message,
            }
        ]
    }


def kill_plan(seed: int, profile: Profile) -> KillPlan:
    """Half the kills land after a number of writes, half after a random time."""
    rng = random.Random(f"kill:{seed}")
    if profile.writes > 0 and rng.random() < 0.5:
        return KillPlan(after_writes=rng.randint(1, profile.writes), after_seconds=None)
    return KillPlan(
        after_writes=None,
        after_seconds=round(rng.uniform(1.0, max(1.5, profile.duration_seconds)), 2),
    )
