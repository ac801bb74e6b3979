"""One e-mail as matching needs it: Message-ID, Date, sender, subject, the Message-IDs it answers, its text and
its attachments, read from the raw bytes however broken they are.

Headers are decoded leniently: encoded words (RFC 2047) in any charset Python knows, raw 8-bit bytes as UTF-8
or else Latin-1, a Date that cannot be read left out (the message is then reported, not recorded). Nothing
here raises on a message's content: mail from the outside is data, and a damaged message is still listed.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import parseaddr, parsedate_to_datetime

MAX_TEXT = 400_000  # characters of a message's text searched for references and phrases
_IDS = re.compile(r"<([^<>\s]+)>")
_EIGHT_BIT = re.compile(rb"[\x80-\xff]")
_TAGS = re.compile(r"<[^>]*>")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)


@dataclass(frozen=True)
class Attachment:
    name: str  # as the message names it (not yet made safe as a file name)
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)  # slots: a mailbox of 20,000 unmatched messages is kept as 20,000 of these
class Mail:
    """A message read from a source. ``raw`` is None when it was over the size limit: headers only."""

    origin: str  # where it was read: "replies.mbox, message 12", "imaps://jana@host/INBOX, UID 34"
    raw: bytes | None
    size: int
    message_id: str  # "<...>", "" when the message has none
    sent_at: datetime | None  # the Date header
    date_problem: str  # why there is no date ("" when there is one)
    sender: str  # the From address, lower case ("" when none)
    sender_name: str
    subject: str
    replies_to: tuple[str, ...]  # Message-IDs in In-Reply-To and References
    objector_reference: str  # X-Objector-Reference: a letter objector wrote, not a reply
    text: str  # the text parts (HTML made text), "" for headers only
    eight_bit: bool  # raw 8-bit bytes in the headers (read as UTF-8, else Latin-1)
    digest: str = ""  # SHA-256 of the raw message with CRLF made LF: the same message from IMAP and from a file
    raw_sha256: str = ""  # SHA-256 of the bytes as read: the evidence file's hash
    defects: tuple[str, ...] = field(default=())
    text_read: bool = True  # False: only the headers were parsed (the text could not match; read_mail(full) reads it)

    @property
    def day(self) -> date | None:
        """The day it was sent, in the sender's own time zone (as `log --evidence` dates an .eml)."""
        return self.sent_at.date() if self.sent_at is not None else None

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2]

    @property
    def key(self) -> str:
        """What makes it the same message across runs and sources: its Message-ID, else its hash."""
        return f"message-id:{self.message_id}" if self.message_id else f"sha256:{self.digest}"

    def summary(self) -> dict[str, object]:
        return {"origin": self.origin, "message_id": self.message_id or None,
                "date": self.sent_at.isoformat() if self.sent_at else None, "from": self.sender or None,
                "subject": self.subject, "size": self.size}


def read_mail(origin: str, raw: bytes | None, *, headers: bytes = b"", size: int | None = None,
              text: bool = True) -> Mail:
    """A message from its raw bytes, or from its header block alone when ``raw`` is None (too large).

    ``text=False`` parses the headers alone and leaves the text unread (parsing a whole message costs ten times
    as much, most of it in attachments): for mail whose text cannot match (Matcher.needs_text)."""
    if raw is not None and text:
        message = BytesParser(policy=policy.compat32).parsebytes(raw)
        head = raw[:_header_end(raw)]
    else:
        head = headers if raw is None else raw[:_header_end(raw) + 1]
        message = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
    date_value, date_problem = _date(message)
    name, address = parseaddr(header_text(message.get("From")))
    replies = tuple(dict.fromkeys(_ids(header_text(message.get("In-Reply-To")))
                                  + _ids(header_text(message.get("References")))))
    body = body_text(message) if raw is not None and text else ""
    digest = raw_sha256 = ""
    if raw is not None:
        raw_sha256 = hashlib.sha256(raw).hexdigest()
        digest = hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest() if b"\r\n" in raw else raw_sha256
    ids = _ids(header_text(message.get("Message-ID")))
    return Mail(origin=origin, raw=raw, size=len(raw) if size is None and raw is not None else size or 0,
                message_id=ids[0] if ids else "", sent_at=date_value, date_problem=date_problem,
                sender=address.strip().lower() if "@" in address else "", sender_name=name,
                subject=header_text(message.get("Subject")), replies_to=replies,
                objector_reference=header_text(message.get("X-Objector-Reference")), text=body,
                eight_bit=bool(_EIGHT_BIT.search(head)), digest=digest, raw_sha256=raw_sha256,
                defects=tuple(type(d).__name__ for d in message.defects), text_read=raw is not None and text)


def header_text(value: object) -> str:
    """A header's text on one line: encoded words decoded, raw 8-bit bytes read as UTF-8 (else Latin-1)."""
    if value is None:
        return ""
    try:
        chunks = decode_header(value)  # type: ignore[arg-type]
    except (ValueError, TypeError, LookupError, AssertionError):
        return " ".join(str(value).split())
    out = []
    for chunk, charset in chunks:
        out.append(chunk if isinstance(chunk, str) else decode_bytes(chunk, charset))
    return " ".join("".join(out).split())


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the charset a message names; UTF-8, then Latin-1 where it names none or a wrong one."""
    if charset and charset.lower() not in ("unknown-8bit", "us-ascii", "ascii"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def body_text(message: Message) -> str:
    """The text a person reads: text/plain parts, and HTML parts made text, attachments left out."""
    texts: list[str] = []
    size = 0
    for part in message.walk():
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind not in ("text/plain", "text/html") and part is not message:
            continue
        payload = _payload(part)
        if payload is None:
            continue
        text = decode_bytes(payload, part.get_content_charset())
        if kind == "text/html":
            text = html.unescape(_TAGS.sub(" ", _SCRIPTS.sub(" ", text)))
        texts.append(text)
        size += len(text)
        if size >= MAX_TEXT:
            break
    return "\n".join(texts)[:MAX_TEXT]


def attachments(mail: Mail) -> list[Attachment]:
    """The files a message carries, decoded (read again from the raw message: only matched ones need it)."""
    if mail.raw is None:
        return []
    message = BytesParser(policy=policy.compat32).parsebytes(mail.raw)
    found = []
    for part in message.walk():
        if part.is_multipart() or not _is_attachment(part):
            continue
        payload = _payload(part)
        if payload is None:
            continue
        name = ""
        try:
            name = header_text(part.get_filename() or "")
        except (ValueError, TypeError, LookupError):
            pass
        found.append(Attachment(name, part.get_content_type(), payload))
    return found


def _is_attachment(part: Message) -> bool:
    try:
        disposition = part.get_content_disposition()
        named = bool(part.get_filename())
    except (ValueError, TypeError, LookupError):
        return False
    if disposition == "attachment" or named:
        return True
    return part.get_content_maintype() not in ("text", "multipart", "message")


def _payload(part: Message) -> bytes | None:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, AssertionError):
        return None
    return payload if isinstance(payload, bytes) else None


def _date(message: Message) -> tuple[datetime | None, str]:
    value = header_text(message.get("Date"))
    if not value:
        return None, "it has no Date header"
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, f"its Date header {value[:60]!r} cannot be read"
    if not 1990 <= parsed.year <= 9999:
        return None, f"its Date header {value[:60]!r} names the year {parsed.year}"
    return parsed, ""


def _ids(value: str) -> tuple[str, ...]:
    return tuple(f"<{found}>" for found in _IDS.findall(value))


def _header_end(raw: bytes) -> int:
    """Where the header block ends (the first empty line), or the end of the message."""
    ends = [i for i in (raw.find(b"\n\n"), raw.find(b"\r\n\r\n")) if i >= 0]
    return min(ends) if ends else len(raw)
