"""The dbt outbox models against the record contracts (docs/contracts/*.schema.json): every
column a contract field, every required and key field a column, every row a valid record;
the managed keyword prefixes of the dbt var and of meltano.yml are the contract's."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import yaml
from jsonschema import Draft202012Validator
from pim_dam_contracts import CONTRACTS, MANAGED_KEYWORD_PREFIXES, Contract

ROOT = Path(__file__).resolve().parents[2]
JSON_TYPES = {"object", "array"}


def columns_of(warehouse: Path, model: str) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        found = connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'outbox' and table_name = ? order by ordinal_position",
            [model],
        ).fetchall()
    return dict(found)


def records_of(warehouse: Path, contract: Contract, columns: list[str]) -> list[dict]:
    """The rows as tap-warehouse streams them: JSON text of object/array fields decoded."""
    json_fields = {
        name
        for name, spec in contract.document["properties"].items()
        if JSON_TYPES & set(spec["type"])
    }
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(  # names from the contract and the catalog, not input
            f"select {', '.join(columns)} from outbox.{contract.outbox_model}"  # noqa: S608
        ).fetchall()
    return [
        {
            name: json.loads(value) if name in json_fields and isinstance(value, str) else value
            for name, value in zip(columns, row, strict=True)
        }
        for row in rows
    ]


@pytest.mark.parametrize("stream", sorted(CONTRACTS))
def test_outbox_model_fits_its_contract(built: Path, stream: str) -> None:
    contract = CONTRACTS[stream]
    columns = columns_of(built, contract.outbox_model)
    assert columns, f"no table outbox.{contract.outbox_model}"
    assert set(columns) <= contract.fields, f"columns outside the {stream} contract"
    assert {*contract.required, *contract.key_properties} <= set(columns)
    records = records_of(built, contract, list(columns))
    assert records, f"the seeded build leaves outbox.{contract.outbox_model} empty"
    validator = Draft202012Validator(contract.document)
    for record in records:
        errors = [error.message for error in validator.iter_errors(record)]
        assert not errors, (record, errors)
        assert all(record[key] is not None for key in contract.key_properties), record


def test_a_row_breaking_the_contract_is_caught() -> None:
    """The check above can fail: a null key and an attributes list are not a products record."""
    validator = Draft202012Validator(CONTRACTS["products"].document)
    assert len(list(validator.iter_errors({"sku": None, "attributes": []}))) == 2


def test_managed_keyword_prefixes_of_dbt_and_meltano_are_the_contracts() -> None:
    dbt_vars = yaml.safe_load((ROOT / "transform" / "dbt_project.yml").read_text())["vars"]
    assert tuple(dbt_vars["managed_keyword_prefixes"]) == MANAGED_KEYWORD_PREFIXES
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    [target] = [p for p in project["plugins"]["loaders"] if p["name"] == "target-photoshelter"]
    [setting] = [s for s in target["settings"] if s["name"] == "managed_keyword_prefixes"]
    assert tuple(setting["value"]) == MANAGED_KEYWORD_PREFIXES
