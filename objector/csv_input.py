"""Reading a CSV file a person gives (a batch, a journal export): every fault is one input error.

Python's csv module raises csv.Error for a cell over its field limit (131,072 characters) or a carriage
return outside quotes; here these, a header naming a column twice and a file too large to be meant
become InputError (exit 3) with the file and line, never "a bug".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError

CSV_FIELD_MAX = 131_072  # characters in one cell: csv's own limit, stated so the message can say it


def rows(text: str | Iterable[str], source: Path | str) -> Iterator[list[str]]:
    """The file's rows as lists of cells, the header first; a malformed line stops with InputError. `text` is the
    whole file, or its lines as read (a file opened with newline="": nothing is held but the current row)."""
    return (cells for _, cells in numbered_rows(text, source))


def numbered_rows(text: str | Iterable[str], source: Path | str) -> Iterator[tuple[int, list[str]]]:
    """The file's rows with the line each starts on (a quoted cell may span lines), the header first."""
    reader = csv.reader(io.StringIO(text) if isinstance(text, str) else text)
    previous = csv.field_size_limit(CSV_FIELD_MAX)
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{source}: line {reader.line_num}: {_explain(exc)}") from None
            yield start, row
    finally:
        csv.field_size_limit(previous)


def _explain(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {CSV_FIELD_MAX:,} characters"
    if "new-line character seen in unquoted field" in text:
        return "a line break (a bare carriage return) inside a cell that is not in quotes"
    return f"not valid CSV ({text})"


def header(cells: list[str], source: Path | str) -> list[str]:
    """The header's column names, stripped; a name given twice is refused (which cell would count?)."""
    names = [name.strip() for name in cells]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InputError(f"{source}: the header names the column(s) {', '.join(twice)} more than once")
    return names


def check_size(path: Path, limit: int, what: str) -> None:
    """Refuse a file larger than `limit` bytes before reading it into memory."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return  # read_user_file explains a missing or unreadable file
    if size > limit:
        raise InputError(f"{what}: {path} is larger than {limit // 2**20} MiB; split it into several files")
