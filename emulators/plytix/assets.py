"""Asset binaries: downloads from a URL, base64 uploads, multipart replacements.

Only what Plytix reports about a file is kept (size, sha256 checksum, content type,
extension, file type group), never the bytes, so a large catalogue costs no file memory.
"""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import hashlib
import mimetypes
import posixpath
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from emulators.plytix.errors import invalid

CHUNK = 64 * 1024
MAGIC: list[tuple[bytes, str]] = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"%PDF", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
]
GROUPS: list[tuple[str, str]] = [
    ("image/", "IMAGES"),
    ("video/", "VIDEOS"),
    ("audio/", "SOUNDS"),
    ("application/pdf", "TEXTS"),
    ("text/plain", "TEXTS"),
    ("application/msword", "TEXTS"),
    ("text/csv", "REPORTS"),
    ("application/vnd.ms-excel", "REPORTS"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml", "REPORTS"),
    ("application/xml", "FEED_FILES"),
    ("text/xml", "FEED_FILES"),
    ("application/json", "FEED_FILES"),
    ("application/zip", "COMPRESSED"),
    ("application/gzip", "COMPRESSED"),
    ("application/x-tar", "COMPRESSED"),
]
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""Direct connections only: the emulator fetches what the URL names, not via a proxy."""


@dataclass
class FileFacts:
    """What Plytix records about an uploaded file."""

    filename: str
    file_size: int
    checksum: str
    content_type: str
    extension: str
    file_type: str


def sniff(head: bytes) -> str | None:
    """Content type from the first bytes of a file, None when not recognised."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def file_type(content_type: str) -> str:
    for prefix, group in GROUPS:
        if content_type.startswith(prefix):
            return group
    return "OTHER"


def _extension(filename: str, content_type: str) -> str:
    ext = posixpath.splitext(filename)[1].lstrip(".").lower()
    if ext:
        return ext
    guessed = mimetypes.guess_extension(content_type) or ""
    return {"jpe": "jpg", "jpeg": "jpg"}.get(guessed.lstrip("."), guessed.lstrip("."))


def _facts(filename: str, size: int, digest: str, content_type: str) -> FileFacts:
    ext = _extension(filename, content_type)
    if ext and not filename.lower().endswith(f".{ext}"):
        filename = f"{filename}.{ext}"
    return FileFacts(filename, size, digest, content_type, ext, file_type(content_type))


def describe(filename: str, data: bytes, declared_type: str | None = None) -> FileFacts:
    """Facts of bytes in hand (base64 or multipart upload)."""
    content_type = (
        sniff(data[:16])
        or (declared_type or "").split(";")[0].strip()
        or mimetypes.guess_type(filename)[0]
        or "application/octet-stream"
    )
    return _facts(filename, len(data), hashlib.sha256(data).hexdigest(), content_type)


def download(url: str, filename: str | None, timeout: float) -> FileFacts:
    """Fetch an image from `url` the way Plytix does; 422 naming `url` when it can't."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise invalid("url", f"must be a public http(s) URL, got {url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked just above
        url, headers={"User-Agent": "plytix-emulator/1"}
    )
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            declared = (response.headers.get("Content-Type") or "").split(";")[0].strip()
            while chunk := response.read(CHUNK):
                if len(head) < 16:
                    head += chunk[:16]
                digest.update(chunk)
                size += len(chunk)
    except urllib.error.HTTPError as error:
        raise invalid(
            "url", f"could not download the file: the server answered HTTP {error.code}"
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise invalid("url", f"could not download the file: {reason}") from None
    sniffed = sniff(head)
    if not (sniffed or "").startswith("image/") and not declared.startswith("image/"):
        raise invalid("url", f"the file is not an image (content type {declared or 'unknown'})")
    if size == 0:
        raise invalid("url", "the file is empty")
    name = filename or unquote(posixpath.basename(parts.path)) or "file"
    return _facts(name, size, digest.hexdigest(), sniffed or declared)


def decode_base64(content: object) -> bytes:
    if not isinstance(content, str) or not content:
        raise invalid("content", "must be the file's bytes in base64")
    try:
        return base64.b64decode(content.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        raise invalid("content", "is not valid base64") from None


def multipart_file(body: bytes, content_type: str | None) -> tuple[str, bytes, str | None]:
    """The `file` part of a multipart/form-data body: (filename, bytes, declared type)."""
    if not content_type or not content_type.startswith("multipart/form-data"):
        raise invalid("file", "send the new binary as multipart/form-data with a `file` part")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            data = part.get_payload(decode=True) or b""
            if not data:
                raise invalid("file", "the file part is empty")
            return part.get_filename() or "file", data, part.get_content_type()
    raise invalid("file", "no `file` part in the multipart body")
