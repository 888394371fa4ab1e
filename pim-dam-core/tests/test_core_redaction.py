"""Secrets never reach a log line, an error message or an outcome line."""

from __future__ import annotations

import io
import logging

from pim_dam_core.errors import ApiError, ConnectorError
from pim_dam_core.redaction import install_log_filter, redact, register_secret


def test_registered_secrets_and_token_fields_are_masked():
    register_secret("s3cr3t-password-value")
    register_secret("ab")  # too short to mask: it would mask ordinary words
    text = (
        'login with s3cr3t-password-value failed; body {"token": "eyJ.abc.def"} '
        "Authorization: Bearer eyJ.x.y, X-PS-Auth-Token=zzz, about tab"
    )
    assert redact(text) == (
        'login with *** failed; body {"token": "***"} '
        "Authorization: Bearer ***, X-PS-Auth-Token=***, about tab"
    )


def test_the_longest_secret_is_masked_first():
    register_secret("key-1234")
    register_secret("key-1234-extended")
    assert redact("a key-1234-extended b key-1234") == "a *** b ***"


def test_error_messages_are_one_line_and_redacted():
    register_secret("hunter2-api-key")
    error = ApiError("Plytix 400 on POST /x:\n  bad key hunter2-api-key\n", status=400)
    assert str(error) == "Plytix 400 on POST /x: bad key ***" and error.status == 400
    assert isinstance(error, ConnectorError)


def test_the_log_filter_scrubs_formatted_log_lines():
    register_secret("pa55word-in-a-log")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        install_log_filter()
        install_log_filter()  # idempotent
        assert len(handler.filters) == 1
        logging.getLogger("some.connector").warning(
            "retrying with %s (password=%s)", "pa55word-in-a-log", "other-value"
        )
    finally:
        root.removeHandler(handler)
    assert stream.getvalue() == "retrying with *** (password=***)\n"
