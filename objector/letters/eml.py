"""A letter as an e-mail (RFC 5322 .eml): the text as the body, the PDF attached.

Opened in a mail program, it is ready to send: addressed to the controller where it publishes an e-mail address,
marked as a draft (X-Unsent), dated with the local time it was written. Nothing is sent by objector itself.
"""

from __future__ import annotations

from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path


def build_eml(*, sender_name: str, sender_email: str, recipient_name: str, recipient_email: str,
              subject: str, body: str, pdf: bytes, pdf_name: str, on, reference: str) -> bytes:
    message = EmailMessage()
    # Address objects, never formatted strings: a quote, comma or "<" in a name stays part of the name.
    message["From"] = _address(sender_name, sender_email)
    if recipient_email:
        message["To"] = _address(recipient_name, recipient_email)
    # No-break spaces keep a citation together in the PDF; in a header they would only force an encoded word.
    message["Subject"] = f"{subject} [{reference}]".replace("\u00a0", " ")
    message["Date"] = format_datetime(local_moment(on))
    message["Message-ID"] = make_msgid(idstring=reference, domain=sender_email.rpartition("@")[2] or None)
    # A draft, not a message received: mail programs (Thunderbird, Outlook) open it ready to edit and send.
    message["X-Unsent"] = "1"
    message["X-Objector-Reference"] = reference
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return bytes(message)


HEADER_BYTES = 1 << 20


def local_moment(on: date) -> datetime:
    """The moment the e-mail is written, in the local time zone with its offset: now, on the letter's day (a letter
    dated another day keeps that day, at the time of writing, with the offset that day has)."""
    now = datetime.now().astimezone()
    if now.date() == on:
        return now
    return datetime.combine(on, now.time().replace(tzinfo=None)).astimezone()


def date_of_message(path) -> date | None:
    """The day an e-mail (.eml) was sent, from its Date header, in the sender's own time zone.

    None when the header is missing or unreadable: the caller falls back to its default."""
    from email.parser import BytesHeaderParser
    from email.utils import parsedate_to_datetime

    from ..paths import open_regular

    with open_regular(path, "--evidence") as handle:
        head = handle.read(HEADER_BYTES)  # the headers come first: a recording of gigabytes is not read whole
    headers = BytesHeaderParser().parsebytes(head)
    value = headers.get("Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).date()
    except (TypeError, ValueError, IndexError):
        return None


def dated_by_message(files) -> tuple[Path, date] | None:
    """The first .eml among `files` whose Date header gives a day, with that day (for `--on` left out)."""
    for path in files:
        if Path(path).suffix.lower() == ".eml":
            day = date_of_message(path)
            if day:
                return Path(path), day
    return None
def _address(name: str, email: str) -> Address:
    local, _, domain = email.rpartition("@")
    return Address(display_name=name or "", username=local, domain=domain)
