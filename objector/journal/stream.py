"""Reading a JSON journal export as a stream: the file is never held in memory whole.

An export of gigabytes is almost all evidence, base64 text in the "evidence" table. Each evidence string is
decoded a piece at a time into a staged file beside the evidence folder, hashed as it goes, so an import of a
1.4 GB export holds a few MiB of it at once, as `export` does when it writes one. The other members (the head, each
request, each event) are parsed one value at a time with the standard JSON decoder and handed to an ExportSink
(objector.journal.intake) as soon as each is read, so that nothing grows with the number of requests either; no
value may be larger than MAX_VALUE_CHARS (no request or event objector writes comes near it). Any JSON layout is
read: members in any order, any white space, escapes inside an evidence string.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from ..errors import InputError

READ_CHARS = 1 << 20  # characters decoded from the file at a time
MAX_VALUE_CHARS = 16 << 20  # the largest request, event or other member read whole (evidence strings are streamed)
_WHITE = " \t\n\r"
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@dataclass
class StagedEvidence:
    """An evidence file decoded from an export into a temporary file, with the SHA-256 of what it holds."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class ExportSink(Protocol):
    """What takes an export's content as it is read (objector.journal.intake.Intake): each member, each request
    and event as its array is read, each evidence file once staged."""

    def member(self, key: str, value: Any) -> None: ...

    def array(self, key: str) -> None: ...

    def request(self, item: Any) -> None: ...

    def event(self, item: Any) -> None: ...

    def evidence(self, name: str, content: StagedEvidence | Any) -> None: ...

    def staging_dir(self) -> Path: ...


def read_json_export(handle: BinaryIO, source: str, sink: ExportSink) -> None:
    """Read the export and hand its content to `sink` as it comes: the "requests" and "events" arrays an item at
    a time, each evidence file staged in sink.staging_dir() (a folder on the evidence folder's file system) as a
    StagedEvidence, which the sink then owns; every other member whole. Nothing is kept here between items."""
    reader = _Reader(handle, source)
    reader.expect("{")
    if reader.peek() == "}":
        reader.take()
        return
    while True:
        key = reader.value()
        if not isinstance(key, str):
            raise reader.error("a member's name is not text")
        reader.expect(":")
        if key == "evidence" and reader.peek() == "{":
            sink.array(key)
            reader.evidence(sink)
        elif key in ("requests", "events") and reader.peek() == "[":
            sink.array(key)
            reader.array(sink.request if key == "requests" else sink.event)
        else:
            sink.member(key, reader.value())
        if reader.next_of(",}") == "}":
            break
    if reader.peek(end_ok=True):
        raise reader.error("text after the end of the export")


class _Reader:
    def __init__(self, handle: BinaryIO, source: str):
        self.handle = handle
        self.source = source
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buffer = ""
        self.at = 0
        self.eof = False

    def error(self, what: str) -> InputError:
        return InputError(f"{self.source} is not a journal export: {what}")

    def _more(self) -> bool:
        if self.eof:
            return False
        try:
            chunk = self.handle.read(READ_CHARS)
            text = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            raise self.error("not UTF-8 text") from None
        if not chunk:
            self.eof = True
        if self.at > READ_CHARS:  # drop what was read: the buffer holds about one value at a time
            self.buffer, self.at = self.buffer[self.at:], 0
        self.buffer += text
        return bool(chunk) or bool(text)

    def peek(self, *, end_ok: bool = False) -> str:
        while True:
            while self.at < len(self.buffer) and self.buffer[self.at] in _WHITE:
                self.at += 1
            if self.at < len(self.buffer):
                return self.buffer[self.at]
            if not self._more():
                if end_ok:
                    return ""
                raise self.error("it ends too early")

    def take(self) -> str:
        char = self.peek()
        self.at += 1
        return char

    def expect(self, char: str) -> None:
        if self.take() != char:
            raise self.error(f"expected {char!r}")

    def next_of(self, chars: str) -> str:
        char = self.take()
        if char not in chars:
            raise self.error(f"expected one of {', '.join(repr(c) for c in chars)}")
        return char

    def value(self) -> Any:
        """One JSON value, parsed whole (more of the file is read until it is complete)."""
        self.peek()
        decode = json.JSONDecoder().raw_decode
        while True:
            try:
                value, end = decode(self.buffer, self.at)
            except json.JSONDecodeError as exc:
                if self.eof or len(self.buffer) - self.at > MAX_VALUE_CHARS:
                    what = "a value larger than 16 MiB" if not self.eof else f"invalid JSON ({exc.msg})"
                    raise self.error(what) from None
                self._more()
                continue
            except RecursionError:
                raise self.error("nested too deeply") from None
            # A number or word cut off at the end of what was read so far could go on: read on to be sure.
            if end == len(self.buffer) and not self.eof and not isinstance(value, (dict, list, str)):
                self._more()
                continue
            self.at = end
            return value

    def array(self, take: Callable[[Any], None]) -> None:
        """A JSON array, each item handed to `take` as soon as it is parsed."""
        self.expect("[")
        if self.peek() == "]":
            self.take()
            return
        while True:
            take(self.value())
            if self.next_of(",]") == "]":
                return

    def evidence(self, sink: ExportSink) -> None:
        """The "evidence" table: each name, and its base64 string decoded into a staged file."""
        self.expect("{")
        if self.peek() == "}":
            self.take()
            return
        while True:
            name = self.value()
            if not isinstance(name, str):
                raise self.error("an evidence file's name is not text")
            self.expect(":")
            if self.peek() != '"':
                sink.evidence(name, self.value())  # not text: the sink names the problem
            else:
                item = self._stage_string(sink.staging_dir(), name)
                try:
                    sink.evidence(name, item)
                except BaseException:
                    item.discard()
                    raise
            if self.next_of(",}") == "}":
                return

    def _stage_string(self, staging: Path, name: str) -> StagedEvidence:
        """Decode the base64 string starting here into a staged file, hashing it on the way."""
        self.expect('"')
        fd, tmp = tempfile.mkstemp(prefix=".import.", suffix=".tmp", dir=staging)
        path = Path(tmp)
        digest, size, pending = hashlib.sha256(), 0, ""
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    end = self.buffer.find('"', self.at)
                    stop = len(self.buffer) if end < 0 else end
                    if "\\" in self.buffer[self.at:stop]:
                        text, end = self._unescape()
                    else:
                        text, self.at = self.buffer[self.at:stop], stop
                    pending += text
                    usable = len(pending) - len(pending) % 4
                    if usable:
                        try:
                            piece = base64.b64decode(pending[:usable], validate=True)
                        except (binascii.Error, ValueError):
                            raise self.error(f"evidence file {name[:64]} is not base64 text") from None
                        out.write(piece)
                        digest.update(piece)
                        size += len(piece)
                        pending = pending[usable:]
                    if end >= 0 and self.at == end:
                        self.at = end + 1
                        break
                    if self.at >= len(self.buffer) and not self._more():
                        raise self.error("it ends inside an evidence file")
                if pending:
                    raise self.error(f"evidence file {name[:64]} is not base64 text (its length)")
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StagedEvidence(path, digest.hexdigest(), size)

    def _unescape(self) -> tuple[str, int]:
        """The string's text from here with JSON escapes resolved, up to its closing quote (a quote after a
        backslash does not end it) or READ_CHARS characters. Returns the text and where the closing quote is
        (-1: not reached yet); the position is left at that quote or after the text."""
        out: list[str] = []
        i = self.at
        while True:
            if i >= len(self.buffer):
                self.at = i  # everything before i is in `out`: the buffer may drop it
                if not self._more():
                    raise self.error("it ends inside an evidence file")
                i = self.at
                continue
            char = self.buffer[i]
            if char == '"':
                self.at = i
                return "".join(out), i
            if char != "\\":
                out.append(char)
                i += 1
                if len(out) >= READ_CHARS:
                    self.at = i
                    return "".join(out), -1
                continue
            while i + 6 > len(self.buffer) and not self.eof:  # an escape is never split between reads
                self.at = i
                self._more()
                i = self.at
            kind = self.buffer[i + 1:i + 2]
            if kind in _ESCAPES:
                out.append(_ESCAPES[kind])
                i += 2
            elif kind == "u" and len(self.buffer) >= i + 6:
                try:
                    out.append(chr(int(self.buffer[i + 2:i + 6], 16)))
                except ValueError:
                    raise self.error("an invalid escape in an evidence file") from None
                i += 6
            else:
                raise self.error("an invalid escape in an evidence file")
