"""Shared test helpers: profiles on disk, reading PDFs back, tiny images."""

from __future__ import annotations

import struct
import zlib
from contextlib import contextmanager
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


def ok(result):
    """A CLI result that succeeded (else the assertion shows its output), for chaining: ok(invoke(...)).stdout."""
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


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


MM = 25.4 / 72  # PDF points → millimetres


def text_boxes(path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every run of text the PDF shows as (left, top, right, bottom, text) in millimetres from the
    page's top left corner, computed from the text matrices and the embedded fonts' glyph widths."""
    from pypdf import PdfReader
    from pypdf._cmap import get_encoding
    from pypdf.generic._font import Font

    fonts: dict = {}

    def widths(font_dict) -> tuple[dict, dict]:
        key = id(font_dict)
        if key not in fonts:
            _, to_unicode = get_encoding(font_dict)
            codes = {text: code for code, text in to_unicode.items() if isinstance(code, str) and len(text) == 1}
            fonts[key] = (Font.from_font_resource(font_dict).character_widths, codes)
        return fonts[key]

    reader = PdfReader(str(path))
    pages = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        boxes = []

        def visit(text, cm, tm, font_dict, font_size, boxes=boxes, height=height):
            text = text.rstrip()
            if not text.strip() or font_dict is None:
                return
            advance, codes = widths(font_dict)
            a, b, c, d, e, f = tm
            m = [a * cm[0] + b * cm[2], a * cm[1] + b * cm[3], c * cm[0] + d * cm[2], c * cm[1] + d * cm[3],
                 e * cm[0] + f * cm[2] + cm[4], e * cm[1] + f * cm[3] + cm[5]]
            width = sum(advance.get(codes.get(ch, ch), 0) for ch in text) / 1000 * font_size * m[0]
            size = font_size * abs(m[3])
            left, baseline = m[4] * MM, (height - m[5]) * MM
            boxes.append((left, baseline - 0.75 * size * MM, left + width * MM, baseline + 0.2 * size * MM, text))

        page.extract_text(visitor_text=visit)
        pages.append(boxes)
    return pages


@contextmanager
def refused_journal(folder: Path, options: dict[str, list[str]], via: str = "post"):
    """A journal in `folder` holding one refused request per kind (kind → its letter options), written
    30 Nov 2026 and refused 10 Dec 2026, for module-scoped complaint tests. Yields (environment, references);
    the environment variables are set while it is open and restored after."""
    import json
    import os

    from typer.testing import CliRunner

    from objector.cli import app

    env = {"OBJECTOR_HOME": str(folder / "home"), "OBJECTOR_TODAY": "2026-12-10"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    runner = CliRunner()
    profile = write_profile(folder)
    refs = {}
    try:
        for kind, args in options.items():
            result = runner.invoke(app, ["letter", kind, "meta", *args, "--profile", str(profile), "-f", "txt",
                                         "-o", str(folder / f"{kind}.txt"), "--date", "2026-11-30", "--json"])
            assert result.exit_code == 0, result.output
            refs[kind] = json.loads(result.stdout)["reference"]
            for log in (["log", "sent", refs[kind], "--via", via, "--on", "2026-11-30"],
                        ["log", "reply", refs[kind], "--outcome", "refused", "--on", "2026-12-10"]):
                assert runner.invoke(app, log).exit_code == 0
        yield env, refs
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def one_line_error(result, code: int, *fragments: str) -> str:
    """The command failed with ``code`` and said so in one line on stderr holding every fragment; no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("objector: "), result.stderr
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def emailed_letter(invoke, monkeypatch, profile: Path, *, sent: str, kind: str = "objection", controller: str = "meta",
                   written: str | None = None) -> str:
    """A txt letter written on `written` (default: the day it is sent) and logged as e-mailed on `sent`, with
    OBJECTOR_TODAY left at `sent`; its reference."""
    import json

    monkeypatch.setenv("OBJECTOR_TODAY", sent)
    result = invoke("letter", kind, controller, "--profile", profile, "-f", "txt", *(["--date", written] if written else []),
                    "--json")
    assert result.exit_code == 0, result.output
    reference = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", reference, "--via", "email", "--on", sent).exit_code == 0
    return reference
