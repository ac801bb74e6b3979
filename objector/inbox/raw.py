"""A message as a source hands it over (raw bytes, or only the headers of one over the size limit), and what every
source provides: open, iterate, close, and the figures that size the progress bar.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class RawMail:
    origin: str
    raw: bytes | None  # None: over the size limit (headers only)
    headers: bytes
    size: int
    advance: int = 1  # how far the progress bar moves (bytes of an mbox, else one message)


class Source:
    """Messages from one place, in order. ``total`` and ``unit`` size the progress bar."""

    label = ""
    total: int | None = None
    unit = "messages"

    def open(self) -> None:
        """Connect or check before reading (IMAP: log in and EXAMINE); files need nothing."""

    def __iter__(self) -> Iterator[RawMail]:
        raise NotImplementedError

    def close(self) -> None:
        pass
