"""TLS is verified; plain http only to loopback, or to another host with allow_insecure."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulators.core import EmulatorHTTPServer

ELSEWHERE = "http://photoshelter.example/psapi/v4.0"


@pytest.fixture
def tls_emulator(emulators, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The same PhotoShelter emulator behind https on 127.0.0.1, with a self-signed cert."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = EmulatorHTTPServer(("127.0.0.1", 0), emulators.photoshelter)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    yield f"https://127.0.0.1:{port}/psapi/v4.0", cert
    server.shutdown()
    server.server_close()


def test_an_untrusted_certificate_is_refused_in_one_line(
    tls_emulator, ps_config, run_tap, photoshelter_admin
):
    url, _ = tls_emulator
    run = run_tap({**ps_config, "api_url": url}, args=("--discover",))
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"tap-photoshelter: error: setting api_url: TLS verification of "
        f"{url}/authenticate failed (certificate verify failed"
    )
    assert "Traceback" not in run.stderr
    assert "retry" not in run.stderr  # a certificate problem is not retried
    assert photoshelter_admin.requests()["total"] == 0


def test_a_trusted_certificate_syncs(tls_emulator, ps_config, run_tap, photoshelter_admin):
    url, cert = tls_emulator
    run = run_tap({**ps_config, "api_url": url}, env={"REQUESTS_CA_BUNDLE": str(cert)})
    assert run.returncode == 0, run.stderr
    assert len(run.ids("media")) == len(photoshelter_admin.state()["media"])


def test_plain_http_to_another_host_needs_allow_insecure(
    emulators, ps_config, run_tap, photoshelter_admin
):
    """The emulator doubles as the HTTP proxy, so the non-loopback name is really used."""
    proxy = {
        "HTTP_PROXY": emulators.photoshelter_url,
        "http_proxy": emulators.photoshelter_url,
        "NO_PROXY": "",
        "no_proxy": "",
    }
    refused = run_tap({**ps_config, "api_url": ELSEWHERE}, env=proxy)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines()[-1] == (
        "tap-photoshelter: error: setting api_url uses plain http to 'photoshelter.example': "
        "use https, or set allow_insecure if the network in between is trusted"
    )
    assert photoshelter_admin.requests()["total"] == 0

    allowed = run_tap({**ps_config, "api_url": ELSEWHERE, "allow_insecure": True}, env=proxy)
    assert allowed.returncode == 0, allowed.stderr
    assert len(allowed.ids("media")) == len(photoshelter_admin.state()["media"])
    assert photoshelter_admin.requests()["by_route"]["GET /psapi/v4.0/media"] == 3  # 207 / 100


@pytest.mark.parametrize(
    "url", ["http://localhost:9/psapi/v4.0", "http://127.0.0.2:9/x", "http://[::1]:9/psapi/v4.0"]
)
def test_loopback_hosts_may_use_plain_http(url):
    from photoshelter_api.connection_settings import checked_api_url

    assert checked_api_url(url + "/", allow_insecure=False) == url
