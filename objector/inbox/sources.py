"""Where messages come from: an .eml file, an mbox file, a Maildir folder (here) or an IMAP mailbox
(objector.inbox.imap), each read one message at a time and never changed.

Files are opened read-only and nothing is renamed (a Maildir's new/ stays new/, its flags in the file names
stay as they are). An mbox is streamed line by line, so a mailbox of any size is read in constant memory; a
message over the size limit is kept as its header block alone (it is listed, never recorded). A file that is
none of these, or an mbox whose messages do not start with headers, is refused before anything is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError, NotFoundError
from .raw import RawMail, Source

HEADER_LIMIT = 256 * 1024  # the header block of a message over the size limit is read up to this size
CHUNK = 1 << 20  # an mbox is read a mebibyte at a time
_MBOX_SEPARATOR = re.compile(rb"\n(\r?\n)From ")  # an empty line, then a 'From ' line: the next message
_FIELD = re.compile(rb"[!-9;-~]+[ \t]*:")  # an RFC 5322 header field's name and colon


def open_source(spec: str, *, max_size: int, since=None) -> Source:
    """The source a SOURCE argument names: imaps:// or imap:// (IMAP), a folder (Maildir), a file (mbox or .eml)."""
    if re.match(r"(?i)imaps?://", spec):
        from .imap import ImapSource

        return ImapSource(spec, max_size=max_size, since=since)
    if re.match(r"(?i)[a-z][a-z0-9+.-]*://", spec):
        raise InputError(f"{spec.split('://')[0]}:// is not a mailbox objector reads; give imaps://user@host/MAILBOX, "
                         "a Maildir folder, an mbox file or an .eml file")
    path = Path(spec).expanduser()
    if path.is_dir():
        return MaildirSource(path, max_size=max_size)
    if not path.exists():
        raise NotFoundError(f"no file or folder {spec}")
    try:
        with open(path, "rb") as handle:
            start = handle.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read {spec}: {exc.strerror or exc}") from None
    if start.startswith(b"From "):
        return MboxSource(path, max_size=max_size)
    if not start.strip():
        if path.stat().st_size == 0:
            return MboxSource(path, max_size=max_size)  # an empty mailbox: no messages
        raise InputError(f"{spec} is neither an mbox file nor an e-mail (.eml): it starts with blank space")
    if _FIELD.match(start.lstrip(b"\r\n")) and b"\x00" not in start:
        return FileSource(path, max_size=max_size)
    raise InputError(f"{spec} is neither an mbox file (it would start with a 'From ' line), an e-mail (.eml) "
                     "nor a Maildir folder; it was not read")


class FileSource(Source):
    """One message in a file of its own (.eml)."""

    def __init__(self, path: Path, *, max_size: int):
        self.path, self.max_size = path, max_size
        self.label = str(path)
        self.total = 1

    def __iter__(self) -> Iterator[RawMail]:
        yield read_file(self.path, self.path.name, self.max_size)


class MaildirSource(Source):
    """A Maildir folder: the messages in new/ and cur/, by file name (which starts with the delivery time)."""

    def __init__(self, path: Path, *, max_size: int):
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise InputError(f"{path} is a folder but not a Maildir (it has no cur/ and new/ folders)",
                             hint="give the Maildir folder itself, e.g. ~/Maildir or ~/Maildir/.Archive")
        self.path, self.max_size = path, max_size
        self.label = str(path)
        try:
            self.files = sorted((p for sub in ("new", "cur") for p in (path / sub).iterdir()
                                 if not p.name.startswith(".") and p.is_file()), key=lambda p: (p.name, p.parent.name))
        except OSError as exc:
            raise InputError(f"cannot read the Maildir {path}: {exc.strerror or exc}") from None
        self.total = len(self.files)

    def __iter__(self) -> Iterator[RawMail]:
        for path in self.files:
            yield read_file(path, f"{self.label}, {path.parent.name}/{path.name}", self.max_size)


def read_file(path: Path, origin: str, max_size: int) -> RawMail:
    """A message file, whole, or its header block when it is over ``max_size`` bytes."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            if size <= max_size:
                raw = handle.read()
                return RawMail(origin, raw, b"", len(raw))
            head = handle.read(HEADER_LIMIT)
    except OSError as exc:
        raise InputError(f"cannot read {origin}: {exc.strerror or exc}") from None
    return RawMail(origin, None, _header_block(head), size)


class MboxSource(Source):
    """An mbox file, streamed a mebibyte at a time: messages are split at 'From ' lines that follow an empty line
    (or start the file).

    The 'From ' separator line is not part of the message; '>From ' lines are kept as they are (as Python's
    mailbox module keeps them)."""

    unit = "bytes"

    def __init__(self, path: Path, *, max_size: int):
        self.path, self.max_size = path, max_size
        self.label = str(path)
        self.total = path.stat().st_size

    def __iter__(self) -> Iterator[RawMail]:
        try:
            with open(self.path, "rb") as handle:
                yield from self._messages(handle)
        except OSError as exc:
            raise InputError(f"cannot read {self.path}: {exc.strerror or exc}") from None

    def _messages(self, handle) -> Iterator[RawMail]:
        first = handle.readline()  # the first 'From ' line (open_source saw it), or nothing: an empty mailbox
        if not first:
            return
        read, reported = len(first), 0  # bytes read from the file, and passed to the progress bar
        number, lines_before = 1, 1  # the message's number, and the lines of the file before it
        buffer = bytearray()
        kept: bytes | None = None  # the header block of a message over the limit, whose bytes are dropped
        dropped = 0
        scan_from, eof = 0, False
        while True:
            found = _MBOX_SEPARATOR.search(buffer, scan_from)
            separator_end = buffer.find(b"\n", found.end()) if found else -1
            if found and (separator_end >= 0 or eof):
                end = found.start() + 1  # the message's last line break; then the empty line and the 'From ' line
                following = separator_end + 1 if separator_end >= 0 else len(buffer)
                position = read - (len(buffer) - following)
                yield self._finish(number, lines_before + 1, bytes(buffer[:end]), kept, dropped, position - reported)
                reported = position
                lines_before += buffer.count(b"\n", 0, following)
                del buffer[:following]
                number, kept, dropped, scan_from = number + 1, None, 0, 0
                continue
            if eof:
                break
            if not found:  # all one message so far: keep its headers alone once it is too large
                if kept is None and dropped + len(buffer) > self.max_size:
                    kept = _header_block(bytes(buffer[:HEADER_LIMIT]))
                if kept is not None and len(buffer) > 64:
                    cut = len(buffer) - 8  # the last bytes may begin a separator
                    lines_before += buffer.count(b"\n", 0, cut)
                    dropped += cut
                    del buffer[:cut]
            scan_from = found.start() if found else max(0, len(buffer) - 8)
            chunk = handle.read(CHUNK)
            read += len(chunk)
            eof = not chunk
            buffer += chunk
        raw = bytes(buffer)
        for blank in (b"\n", b"\r\n"):  # the empty line that ends the file belongs to the mbox too
            if raw.endswith(b"\n" + blank):
                raw = raw[:-len(blank)]
                break
        yield self._finish(number, lines_before + 1, raw, kept, dropped, read - reported)

    def _finish(self, number: int, start_line: int, raw: bytes, kept: bytes | None, dropped: int,
                advance: int) -> RawMail:
        origin = f"{self.path.name}, message {number}"
        if kept is not None:
            self._check(kept, origin, start_line)
            return RawMail(origin, None, kept, dropped + len(raw), advance)
        self._check(raw, origin, start_line)
        return RawMail(origin, raw, b"", len(raw), advance)

    def _check(self, raw: bytes, origin: str, start_line: int) -> None:
        head = raw[:HEADER_LIMIT]
        if not raw.strip() or not _FIELD.match(raw) or b"\x00" in _header_block(head):
            raise InputError(f"{self.path} is damaged: {origin.split(', ')[-1]} (line {start_line}) does not start "
                             "with e-mail headers; nothing was recorded",
                             hint="check the file, or export the mailbox again")


def _header_block(data: bytes) -> bytes:
    ends = [i for i in (data.find(b"\n\n"), data.find(b"\r\n\r\n")) if i >= 0]
    return data[:min(ends) + 1] if ends else data


def describe_size(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size} bytes"
