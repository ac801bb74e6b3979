"""A letter as an e-mail (RFC 5322 .eml): the text as the body, the PDF attached.

Opened in a mail program, it is ready to send; nothing is sent by objector itself.
"""

from __future__ import annotations

from datetime import date, datetime, time
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
    message["Subject"] = f"{subject} [{reference}]"
    message["Date"] = format_datetime(datetime.combine(on, time(9, 0)).astimezone())
    message["Message-ID"] = make_msgid(idstring=reference, domain=sender_email.rpartition("@")[2] or None)
    message["X-Objector-Reference"] = reference
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return bytes(message)


HEADER_BYTES = 1 << 20


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
