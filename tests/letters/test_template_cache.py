"""Compiled templates are kept in the cache folder and used again; a cache that cannot be written changes nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers import ok

EXAMPLE_PROFILE = Path(__file__).resolve().parents[2] / "examples" / "profile.toml"


@pytest.fixture(autouse=True)
def fresh_environment():
    """The template environment is made once per process and per language: here, once per test, so that each
    test's own cache folder is the one used."""
    from objector.letters.letter import environment

    environment.cache_clear()
    yield
    environment.cache_clear()


def letter_text(invoke, name: str) -> str:
    ok(invoke("letter", "objection", "meta", "--profile", EXAMPLE_PROFILE, "--date", "2026-11-27", "--no-record",
              "-o", name))
    with open(name, encoding="utf-8") as handle:
        return re.sub(r"OBJ-2026-[0-9A-Z]{6}", "OBJ-2026-XXXXXX", handle.read())  # each try-out draws its own


def test_a_letter_leaves_its_compiled_templates_in_the_cache_and_reads_the_same_from_them(invoke, objector_home):
    first = letter_text(invoke, "one.txt")
    cached = sorted((objector_home / "cache" / "templates").iterdir())
    assert cached and all(p.name.endswith(".cache") for p in cached)
    assert oct(os.stat(objector_home / "cache" / "templates").st_mode & 0o777) == "0o700"
    mtimes = [p.stat().st_mtime_ns for p in cached]
    assert letter_text(invoke, "two.txt") == first
    assert [p.stat().st_mtime_ns for p in sorted((objector_home / "cache" / "templates").iterdir())] == mtimes


def test_a_cache_folder_that_cannot_be_made_is_no_cache(invoke, objector_home):
    objector_home.mkdir(parents=True)
    (objector_home / "cache").write_text("a file where the folder would be")  # fails for root too
    assert "Article\u00a021" in letter_text(invoke, "one.txt") or "Article 21" in letter_text(invoke, "two.txt")
    assert (objector_home / "cache").read_text() == "a file where the folder would be"


def test_a_cache_file_that_is_not_a_template_is_compiled_over(invoke, objector_home):
    first = letter_text(invoke, "one.txt")
    for path in (objector_home / "cache" / "templates").iterdir():
        path.write_bytes(b"not bytecode")
    assert letter_text(invoke, "two.txt") == first
