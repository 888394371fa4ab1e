"""The outbox record contracts: one JSON Schema per stream, read from the files shipped in
this package (`schemas/`, copied at build time from the repository's docs/contracts/) or,
in an editable install, from docs/contracts/ itself.

Each schema is a JSON Schema of one record plus annotations: `x-target` (the loader that
applies it), `x-outbox-model` (the dbt model producing it), `x-key-properties` (the record's
key) and, on `media_metadata`, `x-managed-keyword-prefixes`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGED = Path(__file__).parent / "schemas"
SOURCE_TREE = Path(__file__).parents[2] / "docs" / "contracts"
SUFFIX = ".schema.json"


@dataclass(frozen=True)
class Contract:
    """One stream's record contract."""

    stream: str
    target: str
    outbox_model: str
    key_properties: tuple[str, ...]
    required: tuple[str, ...]
    fields: frozenset[str]
    document: dict[str, Any]

    def record_schema(self) -> dict[str, Any]:
        """The JSON Schema of a record, without the contract's annotations (a SCHEMA message's
        `schema`)."""
        return {
            "type": "object",
            "properties": copy.deepcopy(self.document["properties"]),
            "required": list(self.required),
            "$schema": self.document["$schema"],
        }


def schema_dir() -> Path:
    """Where the schema files are: in the package, else (editable install) docs/contracts/."""
    for folder in (PACKAGED, SOURCE_TREE):
        if any(folder.glob(f"*{SUFFIX}")):
            return folder
    raise FileNotFoundError(f"no {SUFFIX} files in {PACKAGED} nor {SOURCE_TREE}")


def _load(path: Path) -> Contract:
    document = json.loads(path.read_text(encoding="utf-8"))
    stream = path.name.removesuffix(SUFFIX)
    if document.get("title") != stream:
        raise ValueError(f"{path}: title {document.get('title')!r} is not the stream {stream!r}")
    return Contract(
        stream=stream,
        target=document["x-target"],
        outbox_model=document["x-outbox-model"],
        key_properties=tuple(document["x-key-properties"]),
        required=tuple(document["required"]),
        fields=frozenset(document["properties"]),
        document=document,
    )


CONTRACTS: dict[str, Contract] = {
    contract.stream: contract for contract in map(_load, sorted(schema_dir().glob(f"*{SUFFIX}")))
}
"""Every contract by stream name (`products`, `product_media`, `media_metadata`,
`galleries`)."""

MANAGED_KEYWORD_PREFIXES: tuple[str, ...] = tuple(
    CONTRACTS["media_metadata"].document["x-managed-keyword-prefixes"]
)
"""The keyword prefixes the sync owns by default (target-photoshelter's
`managed_keyword_prefixes`, the dbt var of the same name)."""


def contract(stream: str) -> Contract:
    """The contract of a stream name, or KeyError naming the known ones."""
    try:
        return CONTRACTS[stream]
    except KeyError:
        raise KeyError(f"no contract {stream!r} (known: {', '.join(CONTRACTS)})") from None


def of_target(target: str) -> tuple[Contract, ...]:
    """The contracts a loader (`target-plytix`, `target-photoshelter`) applies."""
    return tuple(c for c in CONTRACTS.values() if c.target == target)
