"""Keeps secrets (password, key, tokens) out of messages and logs.

Secrets are registered once when settings are read and whenever a token is issued; every
PlytixError message and, through `install_log_filter`, every log line is scrubbed.
"""

from __future__ import annotations

import logging
import threading

MASK = "***"
_MIN_SECRET_LENGTH = 4
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: object) -> None:
    """Remember a value that must never be printed (anything but text is ignored)."""
    if isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """The text with every registered secret replaced by `***` (longest first)."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs the formatted message of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
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
