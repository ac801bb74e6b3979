"""From a prepared request to a file on disk and an entry in the journal.

Shared by `objector letter` and `objector batch`: the bytes for the chosen format, an atomic write,
and the journal record, in that order. If the record cannot be written the file is removed again, so
the journal and the letters on disk never disagree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import letters
from .paths import atomic_write, check_target

FORMATS = ("pdf", "html", "txt", "eml")
PDF_FORMATS = ("pdf", "eml")  # the formats that need a rendered PDF


@dataclass
class Written:
    reference: str
    path: Path
    sha256: str
    format: str
    pages: int | None = None
    chars: int | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"reference": self.reference, "path": str(self.path), "sha256": self.sha256}


def default_path(request: letters.LetterRequest, fmt: str, folder: Path = Path(".")) -> Path:
    return folder / f"{request.file_stem}.{fmt}"


def produce(request: letters.LetterRequest, fmt: str) -> tuple[bytes, int | None, int | None, list[str]]:
    """The letter's bytes in `fmt`, its page count (PDF), its length in characters (text), warnings."""
    html = letters.render_html(request)
    if fmt == "html":
        return html.encode("utf-8"), None, None, []
    if fmt == "txt":
        text = letters.render_text(request, html)
        return text.encode("utf-8"), None, len(text), []
    from .glyphs import check
    from .render import html_to_pdf

    check(html)  # no letter with empty boxes for a name
    pdf = html_to_pdf(html)
    if fmt == "pdf":
        return pdf.data, pdf.pages, None, pdf.warnings
    from .email_message import build_eml

    controller = request.controller
    text = letters.render_text(request, html)
    eml = build_eml(
        sender_name=request.profile.name,
        sender_email=request.profile.email,
        recipient_name=controller.name,
        recipient_email=controller.email,
        subject=letters.subject(request),
        body=text,
        pdf=pdf.data,
        pdf_name=f"{request.file_stem}.pdf",
        on=request.on,
        reference=request.reference,
    )
    return eml, pdf.pages, len(text), pdf.warnings


def write_letter(request: letters.LetterRequest, fmt: str, path: Path, *, overwrite: bool = False,
                 record: bool = True, journal_path: Path | None = None) -> Written:
    check_target(path, overwrite=overwrite)  # before rendering: no waiting for a PDF that cannot be written
    data, pages, chars, warnings = produce(request, fmt)
    atomic_write(path, data, overwrite=overwrite)
    digest = hashlib.sha256(data).hexdigest()
    if record:
        try:
            from .journal import Journal

            with Journal.open(journal_path) as journal:
                journal.add_request(
                    reference=request.reference,
                    kind=request.kind,
                    controller=request.controller.id,
                    law=request.law.id,
                    language=request.lang,
                    region=request.profile.address.region,
                    inputs=request.inputs(),
                    sha256=digest,
                    document=path.name,
                    created_on=request.on,
                )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return Written(request.reference, path, digest, fmt, pages, chars, warnings)
