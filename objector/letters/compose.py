"""From a prepared request to a file on disk and an entry in the journal.

Shared by `objector letter` and `objector batch`: the bytes for the chosen format, an atomic write,
and the journal record, in that order. If the record cannot be written the file is removed again, so
the journal and the letters on disk never disagree. (`batch` writes with record=False in its workers and
records journal_entry in its parent, a group at a time, removing a letter the journal refuses the same way.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..paths import atomic_write, check_target
from . import letter as letters

FORMATS = ("pdf", "html", "txt", "eml", "form")
PDF_FORMATS = ("pdf", "eml")  # the formats that need a rendered PDF
SUFFIXES = {"pdf": ".pdf", "html": ".html", "txt": ".txt", "eml": ".eml", "form": ".txt"}
_FORMAT_OF_SUFFIX = {".pdf": "pdf", ".html": "html", ".htm": "html", ".txt": "txt", ".eml": "eml"}


@dataclass
class Written:
    reference: str
    path: Path  # "-": standard output (the caller prints `data` once everything is recorded)
    sha256: str
    format: str
    pages: int | None = None
    chars: int | None = None
    warnings: list[str] = field(default_factory=list)
    document: str = ""  # the name the journal keeps it under (the file's, or the default name for -o -)
    data: bytes = field(default=b"", repr=False)

    def to_dict(self) -> dict:
        return {"reference": self.reference, "path": str(self.path), "sha256": self.sha256}


STDOUT = "-"  # -o -: standard output, as Unix tools have it (./- names a file called "-")


def is_stdout(path: Path | None) -> bool:
    return path is not None and str(path) == STDOUT


def check_stdout(fmt: str, path: Path | None, *, as_json: bool = False) -> None:
    """-o - writes the letter to standard output: text formats anywhere, a PDF only into a pipe or a file
    (on a terminal it would be binary noise), and never together with --json (both would be the output)."""
    import sys

    from ..errors import InputError

    if not is_stdout(path):
        return
    if as_json:
        raise InputError("-o -: the letter goes to standard output, and so would --json; leave one out")
    if fmt == "pdf" and sys.stdout.isatty():
        raise InputError("-o -: a PDF is not text for a terminal; redirect it (-o - > letter.pdf), pipe it, "
                         "or give a file name", hint="--format txt prints the text")


def print_document(data: bytes) -> None:
    """The document on standard output, as bytes (a PDF is not text)."""
    import sys

    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def default_path(request: letters.LetterRequest, fmt: str, folder: Path = Path(".")) -> Path:
    stem = request.file_stem + ("-form" if fmt == "form" else "")
    return folder / f"{stem}{SUFFIXES[fmt]}"


def format_chosen(fmt: str | None, output: Path | None) -> bool:
    """Whether the person chose the format (--format, or -o with an extension that names one)."""
    return fmt is not None or (output is not None and output.suffix.lower() in _FORMAT_OF_SUFFIX)


def choose_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's extension names (-o letter.txt), else PDF.

    A format and an extension that contradict each other (--format pdf -o out.txt) are refused: the file
    would not be what its name says."""
    from ..errors import InputError

    suffix = output.suffix.lower() if output is not None else ""
    if fmt is None:
        return _FORMAT_OF_SUFFIX.get(suffix, "pdf")
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if output is not None and suffix in _FORMAT_OF_SUFFIX and SUFFIXES[fmt] != (".html" if suffix == ".htm" else suffix):
        raise InputError(f"-o {output}: a {suffix} file cannot hold the {fmt} format",
                         hint=f"name it {output.with_suffix(SUFFIXES[fmt]).name}, or leave --format out: "
                         "the extension then chooses the format")
    return fmt


def produce(request: letters.LetterRequest, fmt: str, pdf_variant: str = "pdf"
            ) -> tuple[bytes, int | None, int | None, list[str]]:
    """The letter's bytes in `fmt`, its page count (PDF), its length in characters (text), warnings.
    `pdf_variant` (render.PDF_VARIANTS) applies to the PDF and to the PDF an .eml carries."""
    if fmt == "form":
        text = letters.render_form(request)
        return text.encode("utf-8"), None, len(text), []
    html = letters.render_html(request)
    if fmt == "html":
        return html.encode("utf-8"), None, None, []
    if fmt == "txt":
        text = letters.render_text(request, html)
        return text.encode("utf-8"), None, len(text), []
    from .glyphs import check
    from .render import html_to_pdf

    check(html)  # no letter with empty boxes for a name
    pdf = html_to_pdf(html, pdf_variant)
    if fmt == "pdf":
        return pdf.data, pdf.pages, None, pdf.warnings
    from .eml import build_eml

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


def check_deliverable(request: letters.LetterRequest, fmt: str) -> None:
    """A letter by post needs a postal address: without one (never guessed), point to the routes there are.
    The text for a web form (txt) and an e-mail to a published address need none."""
    from ..errors import NotFoundError
    from ..people import registry

    if fmt == "txt" or (fmt == "eml" and request.controller.email):
        return
    problem = registry.postal_problem(request.controller)
    if problem:
        raise NotFoundError(problem)


def write_letter(request: letters.LetterRequest, fmt: str, path: Path, *, overwrite: bool = False,
                 record: bool = True, journal_path: Path | None = None, pdf_variant: str = "pdf") -> Written:
    """Render, write (unless `path` is "-": the caller prints Written.data) and record the letter."""
    to_stdout = is_stdout(path)
    if to_stdout:
        check_stdout(fmt, path)
        document = default_path(request, fmt).name
    else:
        check_target(path, overwrite=overwrite)  # before rendering: no waiting for a PDF that cannot be written
        document = path.name
    check_deliverable(request, fmt)
    if record:
        check_not_future(request.on)
        request = with_journal_head(request, journal_path)
    data, pages, chars, warnings = produce(request, fmt, pdf_variant)
    if not to_stdout:
        atomic_write(path, data, overwrite=overwrite)
    written = Written(request.reference, path, hashlib.sha256(data).hexdigest(), fmt, pages, chars, warnings,
                      document, data)
    if record:
        try:
            from ..journal import Journal

            with Journal.open(journal_path) as journal:
                journal.add_request(**journal_entry(request, written, pdf_variant))
        except BaseException:
            if not to_stdout:
                path.unlink(missing_ok=True)
            raise
    return written


def journal_entry(request: letters.LetterRequest, written: Written, pdf_variant: str = "pdf") -> dict:
    """What the journal records of a written letter: Journal.add_request's arguments (`batch` has its workers
    write the letters and records them in the parent, a group at a time)."""
    return {
        "reference": request.reference, "kind": request.kind, "controller": request.controller.id,
        "law": request.law.id, "language": request.lang, "region": request.profile.address.region,
        # The PDF variant too (a variant's bytes differ): `show REF --letter` writes the same letter again.
        "inputs": request.inputs() | ({"pdf_variant": pdf_variant} if pdf_variant != "pdf" else {}),
        "sha256": written.sha256, "document": written.document, "created_on": request.on,
        "letter": written.data,  # the letter as written is the proof of what was sent
    }


def with_journal_head(request: letters.LetterRequest, journal_path: Path | None = None) -> letters.LetterRequest:
    """The request with the journal's chain head to print on the letter (README, "What verify can and cannot
    prove"); a journal without events has no head worth citing. Kept in the inputs, so the letter rebuilds."""
    from dataclasses import replace

    from ..journal import Journal

    if request.journal_head is not None:
        return request
    with Journal.open(journal_path) as journal:
        seq, digest = journal.head()
    return replace(request, journal_head=(seq, digest)) if seq else request


def check_not_future(on: date) -> None:
    """A draft dated after today could not be logged as sent today: refuse it (--no-record may post-date)."""
    from ..clock import today
    from ..errors import InputError

    if on > today():
        raise InputError(f"--date: {on} is in the future (today is {today()}); a letter is recorded as drafted on "
                         "its date, which cannot be later than today")


def recorded_format(document: str) -> str:
    """The format a recorded letter was written in, from the name the journal keeps."""
    if document.lower().endswith("-form.txt"):
        return "form"
    return _FORMAT_OF_SUFFIX.get(Path(document).suffix.lower(), "pdf")


def write_recorded(reference: str, output: Path | None, *, overwrite: bool = False) -> tuple[Written, str]:
    """The recorded letter `reference` written again from the inputs the journal kept (`show REF --letter`), and
    the SHA-256 the journal recorded for it: the same when nothing it rests on changed (the registry's record
    of the controller, objector's wording) and, for a PDF, SOURCE_DATE_EPOCH gives the same creation date."""
    from ..errors import InputError
    from ..journal import Journal

    with Journal.open(create=False) as journal:
        entry = journal.get_request(reference)
    if not entry.document:
        raise InputError(f"{reference} was recorded without a letter (`objector record`): there is none to write")
    if entry.inputs.get("signature_sha256"):
        raise InputError(f"{reference} carried a signature image, which the journal does not keep, so the letter "
                         "cannot be written again", hint="the letter as it was written is kept as evidence: "
                         "`objector export` carries it")
    request = letters.from_inputs(entry.inputs)
    fmt = choose_format(recorded_format(entry.document), output)
    written = write_letter(request, fmt, output or Path(entry.document), overwrite=overwrite, record=False,
                           pdf_variant=str(entry.inputs.get("pdf_variant", "pdf")))
    return written, entry.sha256
