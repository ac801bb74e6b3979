"""Shared test helpers: profiles on disk, reading PDFs back, tiny images."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import tomli_w

BASE_PROFILE = {
    "name": "Jana Nováková",
    "email": "jana.novakova@example.org",
    "language": "en",
    "address": {"lines": ["Dlouhá 12"], "postcode": "110 00", "city": "Praha", "country": "CZ", "region": ""},
    "accounts": {"instagram": "jana.novak", "facebook": "https://www.facebook.com/jana.novak"},
}


def write_profile(folder: Path, **changes) -> Path:
    data = {**BASE_PROFILE, **{k: v for k, v in changes.items() if k != "address"}}
    data["address"] = {**BASE_PROFILE["address"], **changes.get("address", {})}
    path = folder / "profile.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    return path


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces (PDF lines wrap anywhere)."""
    return " ".join(text.split())


def tiny_png(width: int = 40, height: int = 12) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes([0, 0, 0] * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
