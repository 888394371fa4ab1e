"""One JSON Lines format, appended with the run id; the report reads it."""

from __future__ import annotations

import json
import logging

import pytest
from pim_dam_core.errors import ConfigError
from pim_dam_core.outcomes import OutcomeLog
from pim_dam_core.redaction import register_secret


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_runs_append_each_with_its_run_id(tmp_path):
    path = tmp_path / "out" / "target.jsonl"
    first = OutcomeLog(str(path), dry_run=False)
    first.record("products", {"sku": "A-1"}, "updated", changes=["label"], product_id="p1")
    first.close()
    second = OutcomeLog(str(path), dry_run=True)
    second.record("products", {"sku": "A-1"}, "unchanged", product_id=None)
    second.close()
    written = lines(path)
    assert [(w["run_id"], w["outcome"]) for w in written] == [
        (first.run_id, "updated"),
        (second.run_id, "unchanged"),
    ]
    assert first.run_id != second.run_id
    assert set(written[0]) == {
        "run_id",
        "stream",
        "key",
        "outcome",
        "reason",
        "changes",
        "dry_run",
        "at",
        "product_id",
    }
    assert written[0]["key"] == {"sku": "A-1"} and written[0]["changes"] == ["label"]
    assert "product_id" not in written[1] and written[1]["dry_run"] is True


def test_a_run_id_in_the_path_gives_one_file_per_run(tmp_path):
    log = OutcomeLog(str(tmp_path / "{run_id}.jsonl"), dry_run=False)
    log.record("media", {"media_id": "I1"}, "created")
    log.close()
    assert lines(tmp_path / f"{log.run_id}.jsonl")[0]["key"] == {"media_id": "I1"}


def test_reasons_are_redacted_and_rejections_logged(tmp_path, caplog):
    register_secret("outcome-secret-123")
    log = OutcomeLog(
        str(tmp_path / "o.jsonl"), dry_run=False, logger=logging.getLogger("test.outcomes")
    )
    with caplog.at_level(logging.WARNING):
        log.record("products", {"sku": "B"}, "rejected", reason="server said outcome-secret-123")
    log.close()
    assert lines(tmp_path / "o.jsonl")[0]["reason"] == "server said ***"
    assert "products sku=B rejected: server said ***" in caplog.text
    assert "outcome-secret-123" not in (tmp_path / "o.jsonl").read_text()


def test_counts_and_summary_and_bad_outcomes():
    log = OutcomeLog(None, dry_run=True, title="target-x outcomes")
    log.record("products", {"sku": "A"}, "created")
    log.record("products", {"sku": "B"}, "created")
    log.record("media", {"sku": "A"}, "rejected", reason="no")
    assert log.total("products", "created") == 2 and log.total("media", "updated") == 0
    assert log.summary().splitlines() == [
        "target-x outcomes (dry run: nothing written)",
        "stream      created    updated  unchanged   rejected",
        "media             0          0          0          1",
        "products          2          0          0          0",
    ]
    with pytest.raises(ValueError, match="unknown outcome"):
        log.record("products", {"sku": "A"}, "deleted")


def test_an_unwritable_path_names_the_setting(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(ConfigError, match="setting outcomes_path: cannot append to"):
        OutcomeLog(str(tmp_path / "file" / "o.jsonl"), dry_run=False)
