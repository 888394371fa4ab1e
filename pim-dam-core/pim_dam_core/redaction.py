"""Keeps secrets (passwords, keys, tokens) out of messages, files and logs.

One process-wide registry: a connector registers each secret when it reads its settings and
whenever a token is issued. `redact` masks every registered secret and the value of any
token-like field (`token=...`, `"password": "..."`, `Authorization: Bearer ...`), so a server
message echoing a secret cannot leak one that was never registered either. Every
`ConnectorError` message, every outcome line and, through `install_log_filter`, every log line
passes through it.
"""

from __future__ import annotations

import logging
import re
import threading

REDACTED = "***"
MIN_SECRET_LENGTH = 3
"""Shorter values are not masked: they would mask ordinary words."""
TOKEN_FIELDS = re.compile(
    r"((?:token|password|api_key|api_password|X-PS-Auth-Token|X-PS-Api-Key|Authorization)"
    r"[\"']?\s*[:=]\s*[\"']?(?:Bearer\s+)?)[^\s\"',&})]+",
    re.IGNORECASE,
)

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: object) -> None:
    """Remember a value that must never be printed (anything but text is ignored)."""
    if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """The text with every registered secret (longest first) and token field masked."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return TOKEN_FIELDS.sub(r"\1" + REDACTED, text)


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs the formatted message of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()


def install_log_filter() -> None:
    """Attach the filter to every handler of the root logger (idempotent)."""
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
