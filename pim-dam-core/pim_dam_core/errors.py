"""The error classes every connector raises: `str(error)` is one line a user can act on.

Each message is collapsed to one line and redacted when the error is built, so a secret that
came back in a server message (or in a URL) never reaches a log, a file or a traceback. The
command line (`pim_dam_core.cli`) prints a `ConnectorError` as it is, without a traceback.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pim_dam_core.redaction import redact

_TLS_REASON = re.compile(r"certificate verify failed: ([^()'\"]+)")


class ConnectorError(Exception):
    """Base class: one line that names the setting, record or request at fault."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(" ".join(str(message).split())))


class ConfigError(ConnectorError):
    """A setting is missing or wrong; the message names the setting."""


class AuthError(ConnectorError):
    """The service refused the credentials or the token."""


class ApiError(ConnectorError):
    """The service answered with an error status that a retry cannot fix."""

    def __init__(self, message: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class UnreachableError(ConnectorError):
    """No answer at all from the host of a URL setting; the message names the setting."""


class RetriesExhaustedError(ConnectorError):
    """The request still failed (429, 5xx, reset, timeout) after every retry."""

    def __init__(self, message: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class AmbiguousWriteError(RetriesExhaustedError):
    """A non-idempotent request got no usable answer: the write may or may not have happened.

    The caller looks the object up before trying again, so nothing is created twice.
    """


class TlsError(ConnectorError):
    """The server's certificate did not verify; a retry cannot fix that."""

    def __init__(self, url: str, error: Exception, fix: str) -> None:
        found = _TLS_REASON.search(str(error))
        reason = found.group(1).strip() if found else type(error).__name__
        super().__init__(
            f"TLS verification failed for {urlsplit(url).netloc} ({reason}): "
            f"{fix}; certificates are always verified"
        )


class BadRowError(ValueError):
    """An upstream row that cannot become a record: reported with this reason and skipped,
    so the rest of its page still flows (a tap's per-row problem, not a failed run)."""


class RecordRejectedError(Exception):
    """A target rejects one record (its outcome is `rejected`, with this reason); the run
    goes on with the next record."""
