"""Reading one raw record field by field: each wrong field becomes one problem line that names the record.

Shared by the registry's TOML records and the open dataset's JSON records, so that both are checked alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


class Record:
    """One raw record being read: each wrong field becomes one problem line, naming the record."""

    def __init__(self, raw: dict, where: str, problems: list[str]):
        self.raw, self.where, self.problems = raw, where, problems

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = True, pattern: re.Pattern | None = None, raw: Any = None) -> str:
        value = self.raw.get(key) if raw is None else raw
        if value is None:
            if required:
                self.problem(f"missing {key!r}")
            return ""
        if not isinstance(value, str):
            self.problem(f"{key!r} must be a string")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(f"{key!r} must not be empty")
        elif value and pattern and not pattern.fullmatch(value):
            self.problem(f"{key!r}: {value!r} is not valid")
        return value

    def texts(self, key: str, *, required: bool = True, pattern: re.Pattern | None = None) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.problem(f"missing {key!r}")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"{key!r} must be a list of non-empty strings")
            return ()
        if required and not value:
            self.problem(f"{key!r} must not be empty")
        for v in value:
            if pattern and not pattern.fullmatch(v.strip()):
                self.problem(f"{key!r}: {v!r} is not valid (lower-case letters, digits and hyphens)")
        return tuple(v.strip() for v in value)

    def flag(self, key: str, *, default: bool | None = None, raw: Any = None) -> bool:
        value = self.raw.get(key, default) if raw is None else raw
        if not isinstance(value, bool):
            self.problem(f"missing {key!r} (true or false)" if value is None else f"{key!r} must be true or false")
            return False
        return value

    def country(self, key: str, value: str) -> str:
        from ..i18n import is_country_code

        if value and not is_country_code(value):
            self.problem(f"{key!r}: {value!r} is not an ISO 3166-1 alpha-2 country code")
        return value

    def url(self, key: str, value: str) -> str:
        if value and not re.fullmatch(r"https?://\S+", value):
            self.problem(f"{key!r}: {value!r} is not a web address (https://...)")
        return value

    def tables(self, key: str) -> list[tuple[Record, dict]]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(f"{key!r} must be a list of tables")
            return []
        return [(Record(v, f"{self.where}, {key} {n}", self.problems), v) for n, v in enumerate(value, 1)]

    def unknown_keys(self, known: Iterable[str]) -> None:
        for key in self.raw:
            if key not in known:
                self.problem(f"unknown field {key!r}")
