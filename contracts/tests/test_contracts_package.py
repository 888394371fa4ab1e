"""pim-dam-sync-contracts ships every schema of docs/contracts/, installed from its wheel or
from its folder, in a plain venv outside the uv workspace."""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import pim_dam_contracts
import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "bin" / "uv"
DOCS = ROOT / "docs" / "contracts"
LOADED = """
import json, pim_dam_contracts as c
print(json.dumps({"dir": str(c.schema_dir()), "prefixes": c.MANAGED_KEYWORD_PREFIXES,
                  "documents": {s: k.document for s, k in c.CONTRACTS.items()}}))
"""


def documents_in_docs() -> dict[str, dict]:
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text())
        for path in sorted(DOCS.glob("*.schema.json"))
    }


def fresh_venv(folder: Path) -> Path:
    venv.create(folder, with_pip=True)
    return folder / "bin" / "python"


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=300, check=False, cwd=cwd
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def assert_ships_docs(python: Path, venv_dir: Path, cwd: Path) -> None:
    loaded = json.loads(run(python, "-c", LOADED, cwd=cwd))
    assert Path(loaded["dir"]).is_relative_to(venv_dir)  # the packaged copy, not the repo's
    assert loaded["documents"] == documents_in_docs()
    assert tuple(loaded["prefixes"]) == pim_dam_contracts.MANAGED_KEYWORD_PREFIXES


def test_the_workspace_reads_docs_contracts() -> None:
    assert set(pim_dam_contracts.CONTRACTS) == {
        "products",
        "product_media",
        "media_metadata",
        "galleries",
    }
    assert {s: c.document for s, c in pim_dam_contracts.CONTRACTS.items()} == documents_in_docs()


def test_the_wheel_ships_every_schema(tmp_path: Path) -> None:
    run(UV, "build", ROOT / "contracts", "-o", tmp_path / "dist", cwd=ROOT)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    python = fresh_venv(tmp_path / "venv")
    run(python, "-m", "pip", "install", "--no-index", "--quiet", wheel, cwd=tmp_path)
    assert_ships_docs(python, tmp_path / "venv", tmp_path)


def test_a_folder_install_ships_every_schema(tmp_path: Path) -> None:
    """As `pip install ./contracts` does it (uv pip, so that hatchling comes from its cache)."""
    python = fresh_venv(tmp_path / "venv")
    run(UV, "pip", "install", "--python", python, "--quiet", ROOT / "contracts", cwd=tmp_path)
    assert_ships_docs(python, tmp_path / "venv", tmp_path)


@pytest.mark.parametrize("stream", sorted(pim_dam_contracts.CONTRACTS))
def test_each_contract_is_a_valid_json_schema_with_its_key_among_its_fields(stream: str) -> None:
    from jsonschema import Draft202012Validator

    record_contract = pim_dam_contracts.contract(stream)
    Draft202012Validator.check_schema(record_contract.document)
    assert set(record_contract.key_properties) <= record_contract.fields
    assert set(record_contract.required) <= record_contract.fields


def test_an_unknown_stream_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"no contract .outbox. \(known: galleries, "):
        pim_dam_contracts.contract("outbox")
