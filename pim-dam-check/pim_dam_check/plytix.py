"""The Plytix account: credentials, API generation, filters, limits and attribute definitions.

Everything goes through the connectors' shared client (plytix_api), with its pacing,
retries and secret redaction. Reads only, except `create_attribute` and `add_options`, which
only `setup --apply` calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pim_dam_core.errors import ConnectorError
from plytix_api import PlytixClient
from plytix_api.limits import jwt_claims

from pim_dam_check.requirements import OPTION_TYPES, AttributeNeed, set_command, setting
from pim_dam_check.rows import FAIL, INFO, OK, WARN, Row

SECTION = "Plytix"
CONNECTION = ("api_url", "auth_url", "api_key", "api_password", "access_token")
WINDOWS = {10.0: ("requests_per_10s", "10 s"), 3600.0: ("requests_per_hour", "hour")}


@dataclass
class PlytixAccount:
    client: PlytixClient | None = None
    account: str | None = None
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def add(self, item: str, status: str, detail: str) -> None:
        self.rows.append(Row(SECTION, item, status, detail))


def account_of(token: str) -> str | None:
    claims = jwt_claims(token)
    for key in ("account_id", "account", "customer_id", "org_id", "sub"):
        if claims.get(key):
            return str(claims[key])
    return None


def connect(
    plugin: str, config: dict[str, Any], found: PlytixAccount
) -> tuple[PlytixClient | None, str | None]:
    """A client that got a token, and the account it names; a FAIL row otherwise."""
    try:
        client = PlytixClient.from_config(config)
        token = client.tokens.token()
    except ConnectorError as error:
        found.add(f"{plugin} credentials", FAIL, f"{plugin}: {error}")
        return None, None
    account = account_of(token)
    found.add(
        f"{plugin} credentials",
        OK,
        f"token issued by {client.settings.auth_url}" + (f"; account {account}" if account else ""),
    )
    return client, account


def inspect(tap: dict[str, Any], target: dict[str, Any]) -> PlytixAccount:
    found = PlytixAccount()
    client, account = connect("tap-plytix", tap, found)
    if {k: tap.get(k) for k in CONNECTION} == {k: target.get(k) for k in CONNECTION}:
        found.add(
            "target-plytix credentials",
            OK if client else FAIL,
            "the same account and credentials as tap-plytix"
            + ("" if client else " (see the row above)"),
        )
    else:
        writer, other = connect("target-plytix", target, found)
        if writer and client and other != account:
            found.add(
                "same account",
                FAIL,
                f"target-plytix writes to account {other}, tap-plytix reads {account}: "
                "set target-plytix's api_url, api_key and api_password to the same "
                "account",
            )
    if client is None:
        return found
    found.client, found.account = client, account
    try:
        describe_api(client, found)
    except ConnectorError as error:  # the definitions below still say what they can
        found.add("API generation and filters", FAIL, f"tap-plytix: {error}")
    try:
        found.attributes = {
            row["label"]: row
            for row in client.search_all(
                "/attributes/product/search", attributes=["label", "name", "type_class", "options"]
            )
            if row.get("label")
        }
        found.categories = leaf_names(
            list(
                client.search_all("/categories/product/search", attributes=["name", "parents_ids"])
            )
        )
    except ConnectorError as error:
        found.add("read", FAIL, f"tap-plytix: {error}")
        found.client = None
    return found


def leaf_names(rows: list[dict[str, Any]]) -> list[str]:
    """Names of the categories products sit in (those no other category has as a parent)."""
    parents = {str(p) for row in rows for p in row.get("parents_ids") or []}
    return sorted(
        {str(row["name"]) for row in rows if row.get("name") and str(row.get("id")) not in parents}
    )


def describe_api(client: PlytixClient, found: PlytixAccount) -> None:
    setting_value = client.settings.api_version
    generation = client.generation()
    found.add(
        "API generation",
        OK,
        f"products through {generation} (api_version {setting_value}); assets, "
        "attributes, families and categories through v1; "
        f"{client.column_cap()} columns per search",
    )
    plan = client.filter_plan("product")
    found.add("filters", OK, plan.describe())
    limits = dict(client.account_limits)
    for seconds, (name, window) in WINDOWS.items():
        configured = getattr(client.settings, name)
        stated = limits.get(seconds)
        if stated is None:
            found.add(
                f"rate limit per {window}",
                INFO,
                f"the account does not state it; pacing to {name} = "
                f"{configured or 'no limit'} (free plan 20 per 10 s / 2,000 per hour, "
                "paid 50 / 5,000)",
            )
        elif configured and configured <= stated:
            found.add(
                f"rate limit per {window}",
                OK,
                f"account {stated}, setting {name} {configured}: paced to {configured}",
            )
        else:
            found.add(
                f"rate limit per {window}",
                WARN,
                f"account {stated}, setting {name} {configured or '0 (no limit)'}: the "
                f"connectors pace to {stated}; say so in the settings: meltano config "
                f"set tap-plytix {name} {stated} (and target-plytix)",
            )
    extra = {s: n for s, n in limits.items() if s not in WINDOWS}
    for seconds, limit in sorted(extra.items()):
        found.add(f"rate limit per {seconds:g} s", INFO, f"account {limit} (paced to it)")


def check_attributes(needs: list[AttributeNeed], found: PlytixAccount) -> None:
    """One row per attribute the settings name: present, of a fitting type, with its options."""
    by_name = {
        str(row.get("name") or "").casefold(): label for label, row in found.attributes.items()
    }
    for need in needs:
        names = ", ".join(setting(s) for s in dict.fromkeys(need.settings))
        item = f"attribute {need.label}"
        row = found.attributes.get(need.label)
        if row is None:
            near = _near(need.label, found.attributes, by_name)
            hint = ""
            if near and need.settings[0] in ("channels", "custom_fields"):
                hint = f"; the account has {near!r}: name it in {setting(need.settings[0])}"
            elif near:
                hint = f"; the account has {near!r}: {set_command(need.settings[0], near)}"
            found.add(
                item,
                FAIL,
                f"missing ({need.use}: {need.why}; {names}); make setup APPLY=1 creates "
                f"it as {need.create_type}"
                + (f" with options {', '.join(need.options)}" if need.options else "")
                + hint,
            )
            continue
        type_class = row.get("type_class")
        if type_class not in need.types:
            found.add(
                item,
                FAIL,
                f"is {type_class}, the sync needs {' or '.join(need.types)} ({names}): "
                "Plytix cannot change an attribute's type; create one of the right type "
                f"in Plytix and point the setting at its label",
            )
            continue
        options = [str(o) for o in row.get("options") or []]
        missing = (
            [o for o in need.options if o not in options] if type_class in OPTION_TYPES else []
        )
        if missing:
            status = FAIL if need.use != "read" else WARN
            found.add(
                item,
                status,
                f"{type_class} lacks option(s) {', '.join(map(repr, missing))} "
                f"(options are case-sensitive; has {', '.join(map(repr, options)) or 'none'}"
                f"); make setup APPLY=1 adds them, or set {names} to existing ones",
            )
            continue
        found.add(item, OK, f"{type_class}, {need.use} ({need.why})")


def _near(label: str, attributes: dict[str, dict[str, Any]], by_name: dict[str, str]) -> str | None:
    """An attribute of the account that is probably the one meant (case, name, spelling)."""
    folded = label.casefold().replace("_", "")
    for other in attributes:
        if other.casefold().replace("_", "") == folded:
            return other
    spoken = label.replace("_", " ").casefold()
    if spoken in by_name:
        return by_name[spoken]
    for other in attributes:
        if (other.startswith(label) or label.startswith(other)) and len(other) > 3:
            return other
    first = label.split("_")[0]
    same_word = [o for o in attributes if len(first) > 3 and o.split("_")[0] == first]
    return same_word[0] if len(same_word) == 1 else None


def create_attribute(client: PlytixClient, need: AttributeNeed) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": need.label.replace("_", " ").capitalize(),
        "label": need.label,
        "type_class": need.create_type,
    }
    if need.options:
        body["options"] = list(need.options)
    payload = client.call("POST", "/attributes/product", json=body) or {}
    rows = payload.get("data") if isinstance(payload, dict) else None
    return rows[0] if isinstance(rows, list) and rows else payload


def add_options(client: PlytixClient, row: dict[str, Any], options: list[str]) -> None:
    current = [str(o) for o in row.get("options") or []]
    client.call(
        "PATCH",
        f"/attributes/product/{row['id']}",
        json={"options": current + [o for o in options if o not in current]},
    )
