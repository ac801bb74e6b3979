"""Bytes objector can always make again, made once and kept in the cache folder (paths.cache_dir()).

A source checkout compiles each language's catalog (.po → .mo, ~55 ms for German), every letter loads a
locale's CLDR data through Babel (~20 ms) and parses the controllers' TOML (~8 ms); each gives the same bytes until their source changes, so they are
kept under a key naming that source. Only data is kept here (catalogs, JSON), never code or pickles. A cache
that cannot be read or written is no cache, never an error: the bytes are made again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from .paths import PRIVATE_FILE_MODE, cache_dir, ensure_private_dir


def kept(kind: str, name: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes `make` returns for `key`, read from cache_dir()/kind/<name>-<digest of key> when there.

    Making them again replaces the entry `name` had under an older key (an edited catalog, a newer Babel)."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    folder = cache_dir() / kind
    path = folder / f"{name}-{digest}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        ensure_private_dir(folder)
        for stale in folder.glob(f"{name}-*"):
            stale.unlink(missing_ok=True)
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE), "wb") as handle:
            handle.write(data)  # 0600 as every file objector writes under the user's folders
        os.replace(tmp, path)  # whole or not at all: a reader never sees half an entry
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache, never an error
        pass
    return data


def source_key(*paths: object) -> str:
    """A key naming files by where they are, their size and when they last changed (an edit changes it)."""
    parts = []
    for path in paths:
        try:
            found = os.stat(str(path))
            parts.append(f"{path}:{found.st_size}:{found.st_mtime_ns}")
        except OSError:
            parts.append(f"{path}:missing")
    return "|".join(parts)


def parsed_toml(path: Path) -> dict:
    """One of the package's TOML data files, parsed once per edit and kept as JSON, which loads ~10x faster."""
    def make() -> bytes:
        import tomllib

        return json.dumps(tomllib.loads(path.read_text("utf-8")), default=_dated, ensure_ascii=False).encode("utf-8")

    return json.loads(kept("toml", path.stem, source_key(path), make), object_hook=_undated)


def _dated(value: object) -> dict:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"{type(value).__name__} in a TOML data file")  # a TOML time of day: none of ours has one


def _undated(table: dict) -> object:
    if len(table) == 1:
        if "$date" in table:
            return date.fromisoformat(table["$date"])
        if "$datetime" in table:
            return datetime.fromisoformat(table["$datetime"])
    return table
