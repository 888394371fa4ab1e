"""TLS certificates are always verified: a server with a self-signed certificate is refused
with one line naming the host and the setting, and no request is retried against it."""

from __future__ import annotations

import http.server
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from plytix_api import PlytixClient, TlsError

from emulators.runtime import DEMO_CREDENTIALS


class Answer(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_POST(self) -> None:
        Answer.hits += 1
        body = b'{"data": [{"access_token": "x.y.z"}]}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 whose certificate no trust store knows."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
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
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Answer.hits = 0
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_certificate_that_does_not_verify_is_refused_naming_the_setting(self_signed_server):
    client = PlytixClient.from_config(
        {
            **DEMO_CREDENTIALS["plytix"],
            "max_retries": 3,
            "auth_url": self_signed_server,
            "api_url": f"{self_signed_server}/api/v1",
        }
    )
    with pytest.raises(TlsError) as refused:
        client.call("POST", "/products/search", json={})
    message = str(refused.value)
    assert message.startswith(f"TLS verification failed for {self_signed_server[8:]}")
    assert "self-signed certificate" in message and "auth_url" in message
    assert Answer.hits == 0  # the handshake failed: nothing was sent, nothing retried


def test_a_pre_issued_token_is_never_sent_to_an_unverified_host(self_signed_server):
    client = PlytixClient.from_config(
        {"access_token": "secret-token-1234", "api_url": f"{self_signed_server}/api/v1"}
    )
    with pytest.raises(TlsError, match="api_url"):
        client.call("POST", "/products/search", json={})
    assert Answer.hits == 0
