"""Which candidate write paths this PhotoShelter answers, found without changing anything.

Each candidate path of `paths.WRITE_PROBES` is sent a JSON array where every write wants an
object: a path the server has answers 400 (or 415/422) and writes nothing; one it lacks
answers 404, or 405 when the path exists for another method. Real ids are used (one media,
one gallery, read first), so a 404 means the path, not the object, is missing. `DELETE
/galleries/{id}/children/{child}` is not probed: no body can make it harmless, and the
target never removes media. Whether `POST /galleries` honours `parent` shows only on a real
create (the target checks the answer's `parent_ids`).

`probe_write_paths(client, chosen)` is what `make check` calls; `target-photoshelter
--probe-writes` prints the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from photoshelter_api import paths
from photoshelter_api.client import PhotoShelterClient, data_list
from photoshelter_api.errors import ApiError, UnreachableError

ANSWERS, MISSING, UNCLEAR = "answers", "missing", "unclear"
PLACEHOLDER_MEDIA = "I0000probeprobe1"
PLACEHOLDER_GALLERY = "G0000probeprobe1"


@dataclass(frozen=True)
class PathProbe:
    setting: str
    choice: str
    method: str
    path: str
    status: int | None
    verdict: str


@dataclass(frozen=True)
class SettingVerdict:
    setting: str
    chosen: str
    answering: tuple[str, ...]
    ok: bool
    advice: str


def probe_write_paths(
    client: PhotoShelterClient, chosen: Mapping[str, str] | None = None
) -> tuple[list[PathProbe], list[SettingVerdict]]:
    """Probe every candidate (read-only) and judge each write setting's choice."""
    chosen = {**paths.DEFAULT_WRITE_PATHS, **(chosen or {})}
    ids = {
        "media_id": _first_id(client, paths.MEDIA, {"org_id": client.org_id}, PLACEHOLDER_MEDIA),
        "gallery_id": _first_id(client, paths.GALLERIES, {}, PLACEHOLDER_GALLERY),
    }
    seen: dict[tuple[str, str], tuple[int | None, str]] = {}
    probes: list[PathProbe] = []
    for setting, candidates in paths.WRITE_PROBES.items():
        for choice, calls in candidates.items():
            for method, template in calls:
                if (method, template) not in seen:
                    status, verdict = _probe(client, method, template.format(**ids))
                    if status == 404 and any(
                        p in template.format(**ids)
                        for p in (PLACEHOLDER_MEDIA, PLACEHOLDER_GALLERY)
                    ):
                        verdict = UNCLEAR  # no media or gallery to probe with: 404 says little
                    seen[(method, template)] = status, verdict
                status, verdict = seen[(method, template)]
                probes.append(PathProbe(setting, choice, method, template, status, verdict))
    verdicts = []
    for setting, candidates in paths.WRITE_PROBES.items():
        answering = tuple(
            c
            for c in candidates
            if all(p.verdict == ANSWERS for p in probes if p.setting == setting and p.choice == c)
        )
        pick = chosen[setting]
        ok = pick in answering
        if ok:
            advice = "ok"
        elif answering:
            advice = f"set {setting} to {' or '.join(answering)}"
        else:
            advice = "no candidate answers: this write is not possible through the API"
        verdicts.append(SettingVerdict(setting, pick, answering, ok, advice))
    return probes, verdicts


def render(probes: list[PathProbe], verdicts: list[SettingVerdict]) -> str:
    """The probe as a small text table (what `--probe-writes` prints)."""
    lines = [f"{'setting':<28} {'candidate':<24} {'request':<44} answer"]
    for p in probes:
        answer = p.verdict + (f" (HTTP {p.status})" if p.status else "")
        lines.append(f"{p.setting:<28} {p.choice:<24} {p.method + ' ' + p.path:<44} {answer}")
    lines.append("")
    for v in verdicts:
        lines.append(f"{v.setting} = {v.chosen}: {'OK' if v.ok else 'FIX'} ({v.advice})")
    return "\n".join(lines)


def _probe(client: PhotoShelterClient, method: str, path: str) -> tuple[int | None, str]:
    try:
        client.request(method, path, json=paths.PROBE_BODY, idempotent=True)
    except ApiError as error:
        status = error.status
        if status in (400, 415, 422):
            return status, ANSWERS
        if status in (404, 405, 501):
            return status, MISSING
        return status, UNCLEAR
    except UnreachableError:
        return None, UNCLEAR
    return 200, UNCLEAR  # accepted a body no write can use: say so, never guess


def _first_id(
    client: PhotoShelterClient, path: str, params: dict[str, str], placeholder: str
) -> str:
    """A real id to probe with (a placeholder when the library holds none)."""
    body = client.get(path, {**params, "page": 1, "per_page": 1})
    items = data_list(body, path)
    return str(items[0]["id"]) if items and items[0].get("id") else placeholder
