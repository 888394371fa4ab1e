"""`meltano config test` of both taps (Meltano 4.4.1, dev environment pointed at the test
emulators): Meltano reads the first record and reports the configuration valid, nothing is
written. (The targets' `config test`: see each target's tests/test_*meltano*.py.)"""

from __future__ import annotations

import pytest
from sync_project import Project, write_requests

from emulators.runtime import AdminClient, RunningEmulators

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("tap", ["tap-plytix", "tap-photoshelter"])
def test_meltano_config_test_passes_for_the_tap(
    tap: str,
    emulators: RunningEmulators,
    plytix_admin: AdminClient,
    photoshelter_admin: AdminClient,
    tmp_path,
):
    plytix_admin.clear_requests()
    photoshelter_admin.clear_requests()
    done = Project(tmp_path, emulators).meltano(
        "--environment=dev", "config", "test", tap, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Plugin configuration is valid" in output
    assert write_requests(plytix_admin.requests()) == {}
    assert write_requests(photoshelter_admin.requests()) == {}
