"""Small real images, different for every media id, so that downloads are real bytes.

Plytix stores the checksum of what it downloaded; a checksum change must therefore come from a
pixel change, which `version` provides (PhotoShelter bumps it when a file is replaced).
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

from PIL import Image, ImageDraw


@lru_cache(maxsize=512)
def render(media_id: str, version: int = 0, fmt: str = "JPEG", size: int = 96) -> bytes:
    """A gradient with a stripe, coloured from the id: distinct bytes per (id, version)."""
    digest = hashlib.blake2b(f"{media_id}:{version}".encode(), digest_size=6).digest()
    start, end = tuple(digest[:3]), tuple(digest[3:])
    image = Image.new("RGB", (size, size), start)
    draw = ImageDraw.Draw(image)
    for y in range(size):
        t = y / (size - 1)
        colour = tuple(int(a + (b - a) * t) for a, b in zip(start, end, strict=True))
        draw.line([(0, y), (size, y)], fill=colour)
    draw.rectangle([size // 4, size // 3, size * 3 // 4, size // 3 + 6], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=80)
    return buffer.getvalue()


def content_type(fmt: str) -> str:
    return {"JPEG": "image/jpeg", "PNG": "image/png"}[fmt]
