"""The PhotoShelter organisation: login, binding, what the account honours, fields and tags.

Through the connectors' shared client (photoshelter_api): the same login, binding,
pacing and redaction as a sync. Reads only, except `create_tag` (only `setup --apply`).
The session this opens is logged out at the end (`close`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from photoshelter_api import ConnectorError, PhotoShelterClient, paths
from photoshelter_api.client import attributes
from tap_photoshelter.library_cache import LibraryCache

from pim_dam_check.requirements import FieldNeed, set_command, setting
from pim_dam_check.rows import FAIL, INFO, OK, WARN, Row

SECTION = "PhotoShelter"
CONNECTION = ("api_url", "api_key", "email", "password", "access_token", "org_id")
UI_FIELD = (
    "create it in the PhotoShelter web app as an organisation custom metadata field of "
    "type pick list (Organization settings > Custom Metadata > Add field; the API "
    "cannot create fields)"
)
LOGGER = logging.getLogger("pim_dam_check")


@dataclass
class PhotoShelterAccount:
    client: PhotoShelterClient | None = None
    org: str | None = None
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    clients: list[PhotoShelterClient] = field(default_factory=list)

    def add(self, item: str, status: str, detail: str) -> None:
        self.rows.append(Row(SECTION, item, status, detail))

    def close(self) -> None:
        for client in self.clients:
            client.close(quiet=True)
        self.clients.clear()


def connect(
    plugin: str, config: dict[str, Any], found: PhotoShelterAccount
) -> PhotoShelterClient | None:
    try:
        client = PhotoShelterClient.from_config(config)
        found.clients.append(client)
        org_id = client.org_id
        names = {o["id"]: o["name"] for o in client.session.organizations()}
    except ConnectorError as error:
        found.add(f"{plugin} credentials", FAIL, f"{plugin}: {error}")
        return None
    name = names.get(org_id) or "?"
    how = "setting org_id" if config.get("org_id") else "the user's only organisation"
    found.add(f"{plugin} credentials", OK, f"logged in; organisation {org_id} ({name}), {how}")
    return client


def inspect(tap: dict[str, Any], target: dict[str, Any]) -> PhotoShelterAccount:
    found = PhotoShelterAccount()
    client = connect("tap-photoshelter", tap, found)
    writer = None
    if {k: tap.get(k) for k in CONNECTION} == {k: target.get(k) for k in CONNECTION}:
        found.add(
            "target-photoshelter credentials",
            OK if client else FAIL,
            "the same user and organisation as tap-photoshelter"
            + ("" if client else " (see the row above)"),
        )
    else:
        writer = connect("target-photoshelter", target, found)
        if writer and client and writer.org_id != client.org_id:
            found.add(
                "same organisation",
                FAIL,
                f"target-photoshelter writes to {writer.org_id}, tap-photoshelter reads "
                f"{client.org_id}: set org_id of both to the same organisation",
            )
    if client is None:
        return found
    found.client, found.org = client, client.org_id
    for item, plugin, step in (
        ("media listing", "tap-photoshelter", lambda: describe_listing(client, found)),
        (
            "write paths",
            "target-photoshelter",
            lambda: describe_write_paths(writer or client, target, found),
        ),
    ):
        try:
            step()
        except ConnectorError as error:  # the other rows still say what they can
            found.add(item, FAIL, f"{plugin}: {error}")
    describe_rate_limit(client, tap, found)
    try:
        found.fields = {row["name"]: row for row in LibraryCache(client, 100).fields()}
    except ConnectorError as error:
        found.add("fields", FAIL, f"tap-photoshelter: {error}")
        found.client = None
    return found


def describe_rate_limit(
    client: PhotoShelterClient, tap: dict[str, Any], found: PhotoShelterAccount
) -> None:
    budget = getattr(client.pacer, "server_budget", None)
    if budget:
        found.add(
            "rate limit",
            OK,
            f"the server states {budget.limit} requests per "
            f"{budget.seconds:.0f} s (meta.rate_limit); the connectors pace to it",
        )
    else:
        configured = tap.get("requests_per_window") or 0
        found.add(
            "rate limit",
            INFO,
            "the server states none (no meta.rate_limit); pacing to "
            f"requests_per_window = {configured or 'no limit'}; 429s are waited out",
        )


def describe_listing(client: PhotoShelterClient, found: PhotoShelterAccount) -> None:
    """What the account does with `modify_start`, `sort_by`, `include` and `/search`, from
    the tap's own read-only detection (`probe_media_listing`, about five requests), and the
    listing plan the tap will therefore choose."""
    from tap_photoshelter.listing import HONOURED, probe_media_listing

    behaviour = probe_media_listing(client, per_page=5)
    if behaviour.get("modify_start") == HONOURED:
        plan = "incremental (modify_start honoured)"
    elif behaviour.get("search") == "answers":
        plan = f"library (modify_start {behaviour.get('modify_start')}; /search answers)"
    else:
        plan = (
            f"full (modify_start {behaviour.get('modify_start')}; /search "
            f"{behaviour.get('search')})"
        )
    shown = ", ".join(f"{k} {v}" for k, v in behaviour.items())
    found.add("media listing", OK, f"plan {plan}; {shown}")


def describe_write_paths(
    client: PhotoShelterClient, target: dict[str, Any], found: PhotoShelterAccount
) -> None:
    """Which candidate write paths the account answers, from the connectors' read-only probe
    (each candidate is sent a body no write accepts: 400 means the path exists, 404/405 that
    it does not; nothing changes), judged against target-photoshelter's write-path settings."""
    try:
        from photoshelter_api.write_probe import probe_write_paths
    except ImportError:  # a tap-photoshelter without the probe
        found.add(
            "write paths",
            INFO,
            "this tap-photoshelter has no read-only probe of the "
            "candidate write paths; try the targets' dry_run: true first",
        )
        return
    defaults = getattr(paths, "DEFAULT_WRITE_PATHS", {})
    chosen = {name: str(target[name]) for name in defaults if target.get(name)}
    _, verdicts = probe_write_paths(client, chosen)
    for verdict in verdicts:
        if verdict.ok:
            found.add(
                f"write path {verdict.setting}",
                OK,
                f"{verdict.chosen} answers (target-photoshelter)",
            )
        elif verdict.answering:
            found.add(
                f"write path {verdict.setting}",
                FAIL,
                f"{verdict.chosen} does not answer on this account; meltano config set "
                f"target-photoshelter {verdict.setting} {verdict.answering[0]}",
            )
        else:
            found.add(
                f"write path {verdict.setting}",
                FAIL,
                f"no candidate path answers ({verdict.advice}); the sync cannot make "
                "this write here",
            )


def check_fields(
    needs: list[FieldNeed], found: PhotoShelterAccount, tags_wanted: dict[str, list[str]]
) -> None:
    """One row per field the settings name; one per field whose tags lack needed values."""
    folded = {name.casefold(): name for name in found.fields}
    for need in needs:
        names = ", ".join(setting(s) for s in dict.fromkeys(need.settings))
        item = f"field {need.name}"
        row = found.fields.get(need.name)
        if row is None:
            near = folded.get(need.name.casefold())
            fix = (
                f"the account has {near!r} (names are case-sensitive): "
                f"{set_command(need.settings[0], near)}"
                if near and need.settings[0] != "custom_fields"
                else f"{UI_FIELD}, or set {names} to one of: {', '.join(sorted(found.fields))}"
            )
            found.add(
                item, FAIL if need.blocker else WARN, f"missing ({need.use}: {need.why}); {fix}"
            )
            continue
        tags = [str(t.get("name")) for t in row.get("tags") or []]
        for value in need.tags:
            if value not in tags:
                near = next((t for t in tags if t.casefold() == value.casefold()), None)
                found.add(
                    f"{item} = {value}",
                    FAIL,
                    f"{value!r} is not a tag of {need.name!r} "
                    f"({setting(need.settings[0].replace('field', 'value'))}; tags, "
                    f"case-sensitive: {', '.join(tags) or 'none'})"
                    + (f": {set_command('approval_value', near)}" if near else ""),
                )
            else:
                found.add(f"{item} = {value}", OK, f"a tag of {need.name!r}")
        wanted = tags_wanted.get(need.name) or []
        missing = [t for t in wanted if t not in tags]
        if missing:
            shown = ", ".join(map(repr, missing[:12])) + (" ..." if len(missing) > 12 else "")
            found.add(
                item,
                WARN,
                f"lacks {len(missing)} tag(s) for values of Plytix {need.source!r}: "
                f"{shown}; those images keep the field empty (marts.report_missing_tags)"
                "; make setup APPLY=1 creates them",
            )
        elif not need.tags:
            found.add(item, OK, f"pick list, {len(tags)} tags ({need.use}: {need.why})")


def check_collection(path: str, found: PhotoShelterAccount) -> None:
    """The hand-off collection (`handoff_collection`): the sync creates it when absent, so
    this is information, unless the name is taken by a gallery's parent path in a different
    case (two collections would then look alike in the web app)."""
    if not path or found.client is None:
        return
    try:
        rows = LibraryCache(found.client, 100).collections().values()
    except ConnectorError as error:
        found.add(f"collection {path}", FAIL, f"tap-photoshelter: {error}")
        return
    paths_found = {str(row.get("path") or ""): row for row in rows}
    if path in paths_found:
        found.add(
            f"collection {path}",
            OK,
            f"exists ({paths_found[path]['id']}); hand-off galleries go under it",
        )
        return
    near = next((p for p in paths_found if p.casefold() == path.casefold()), None)
    if near:
        found.add(
            f"collection {path}",
            WARN,
            f"the account has {near!r} (names are case-sensitive); the sync would create "
            f"another: {set_command('handoff_collection', near)}",
        )
    else:
        found.add(
            f"collection {path}",
            INFO,
            "absent; the sync creates it with the first "
            f"hand-off gallery ({setting('handoff_collection')})",
        )


def create_tag(client: PhotoShelterClient, field_row: dict[str, Any], name: str) -> dict[str, Any]:
    body = client.request(
        "POST", paths.metadata_field_tags(str(field_row["id"])), json=paths.tag_create_body(name)
    )
    return attributes(body.get("data") or {}) if isinstance(body, dict) else {}
