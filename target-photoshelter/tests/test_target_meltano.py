"""target-photoshelter through Meltano 4.4.1 itself: `meltano config test` and the write-path
probe as `meltano invoke target-photoshelter --probe-writes` (dev environment pointed at the
test emulators)."""

from __future__ import annotations

import pytest
from ps_target_helpers import writes

from tests.sync_project import Project

pytestmark = pytest.mark.e2e


def test_meltano_config_test_passes_the_targets_part(emulators, photoshelter_admin, tmp_path):
    """Meltano's own check of the target passes ("Test data was written": exit 0 and no
    output line holding "error"/"exception"), with a login and no write. Meltano 4.4.1 then
    terminates the process it has already waited for, which ends every loader's test in
    ProcessLookupError (its bug, see target-plytix's test of the same)."""
    done = Project(tmp_path, emulators).meltano(
        "--environment=dev", "config", "test", "target-photoshelter", check=False
    )
    output = done.stdout + done.stderr
    assert "Test data was written to your target system" in output, output[-3000:]
    routes = photoshelter_admin.requests()["by_route"]
    assert routes["POST /psapi/v4.0/organization/authenticate"] == 1
    assert routes["POST /psapi/v4.0/authenticate/logout"] == 1
    assert writes(photoshelter_admin) == {}
    if done.returncode != 0:
        assert "ProcessLookupError" in output, output[-3000:]
        pytest.xfail(
            "Meltano 4.4.1 terminates the loader after waiting for it "
            "(ProcessLookupError in LoaderTestService.validate)"
        )
    assert "Plugin configuration is valid" in output


def test_the_write_path_probe_through_meltano(emulators, photoshelter_admin, tmp_path):
    photoshelter_admin.settings(write_patch_media_iptc=False, write_patch_media_metadata=True)
    before = photoshelter_admin.state()["media"]
    done = Project(tmp_path, emulators).meltano(
        "--environment=dev", "invoke", "target-photoshelter", "--probe-writes", check=False
    )
    assert done.returncode == 2, (done.stdout + done.stderr)[-3000:]
    assert (
        "metadata_write_path = media_iptc: FIX (set metadata_write_path to media_metadata)"
    ) in done.stdout
    assert "custom_metadata_write_path = media_custom_metadata: OK (ok)" in done.stdout
    assert photoshelter_admin.state()["media"] == before
