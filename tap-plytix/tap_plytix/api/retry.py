"""The retry policy: which answers are worth another try, and how long to wait."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import requests

from tap_plytix.api.settings import ClientSettings

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
TRANSPORT_ERRORS = (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError)
MAX_RETRY_AFTER_SECONDS = 3600.0


def backoff_seconds(settings: ClientSettings, attempt: int) -> float:
    """Exponential backoff with jitter: between half and all of base * 2**attempt (capped)."""
    cap = min(settings.backoff_max_seconds, settings.backoff_base_seconds * 2 ** attempt)
    return random.uniform(cap / 2, cap)


def retry_after(response: requests.Response) -> float | None:
    """The Retry-After header in seconds (number or HTTP-date form), capped at one hour."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(MAX_RETRY_AFTER_SECONDS, max(0.0, seconds))
