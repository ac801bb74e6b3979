"""HTML → PDF with WeasyPrint, offline and loud about problems.

WeasyPrint is imported here only, when a PDF is actually made (the import costs about half a second).
Its URL fetcher serves `data:` URLs and the package's own files and aborts the render on anything
else, so a letter can never reach the network. WeasyPrint's warnings (a font that cannot be loaded, a
resource that failed) are collected and handed back to the caller to show, never dropped. One
FontConfiguration is kept per process: a batch worker pays for Fontconfig's set-up once.

Bounded: every render has a time limit (RENDER_TIME_LIMIT), after which it is stopped with a RenderError, and
long runs of text without a break opportunity (a 10,000-character "word") get one every LONG_RUN characters
before layout: WeasyPrint breaks an overflowing run by laying out the rest of the paragraph again for each
line, which made one 130,000-character word take minutes. The prefetched helper process dies with the command
that started it, however that ends (see _Prefetched).

Archival variants (`--pdf-variant`): WeasyPrint's PDF/A (an sRGB output intent and XMP metadata naming
the part and level) and PDF/UA (tagged: the structure tree, the language from <html lang> and the title
shown in the window). Reproducible bytes: the PDF's creation date is $SOURCE_DATE_EPOCH when it is set
(else the time of rendering), and the identifiers WeasyPrint gives table headers in tagged PDFs (memory
addresses) are renumbered, so the same letter renders to the same bytes.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from ..errors import InputError, RenderError
from ..resources import PACKAGE_DIR, templates_dir

# What --pdf-variant accepts: a plain PDF, or one of WeasyPrint's archival and accessible variants.
PDF_VARIANTS = {
    "pdf": "plain PDF 1.7 (the default)",
    "pdf/a-2b": "PDF/A-2b: archival (ISO 19005-2, level B: the look is preserved)",
    "pdf/a-3b": "PDF/A-3b: archival (ISO 19005-3, level B)",
    "pdf/a-3u": "PDF/A-3u: archival, level U (all text mapped to Unicode)",
    "pdf/ua-1": "PDF/UA-1: accessible (ISO 14289-1: tagged, with language and title)",
}
DEFAULT_PDF_VARIANT = "pdf"
SOURCE_DATE_ENV = "SOURCE_DATE_EPOCH"
# Seconds a render may take before it is stopped. A letter takes well under a second and the longest input
# objector accepts a few seconds (tests/benchmarks/hostile_render.py); this is the net for what slips past.
RENDER_TIME_LIMIT = 30.0
# A break opportunity (U+200B, zero width: invisible, and not part of the PDF's text) at least every LONG_RUN
# characters of a run without one: shorter than the narrowest line, so no run is broken "anywhere" by WeasyPrint.
LONG_RUN = 32
ZERO_WIDTH_SPACE = "\u200b"
# A tag (left alone: a data: URL is one long run), or a run of more than LONG_RUN characters that give no line
# break: anything but breaking white space, counting an entity (&amp;) and the no-break spaces as one character.
_TAG_OR_LONG_RUN = re.compile(r"(<[^>]*>)|((?:&[#0-9A-Za-z]+;|[^\s&<>\u200b]|[\u00a0\u2007\u202f]){"
                              + str(LONG_RUN + 1) + ",})")
_UNIT = re.compile(r"&[#0-9A-Za-z]+;|.", re.DOTALL)
# A run objector made unbreakable on purpose (no-break spaces, word joiners: a part of the window's return line,
# "c/o Przedsiębiorstwo Usługowe Żuraw", a citation) is left whole up to this length: it wraps between its parts
# instead. Only a longer run, which no address part or citation is, gets break opportunities.
DELIBERATE_RUN_MAX = 160


def break_long_runs(html: str) -> str:
    """`html` with a zero-width space at least every LONG_RUN characters of the body's long runs of text; never
    inside a tag, an entity or a character's combining marks. Short runs (every word) are left as they are."""
    start = html.find("<body")
    head, body = (html[:start], html[start:]) if start >= 0 else ("", html)
    return head + _TAG_OR_LONG_RUN.sub(_with_breaks, body)


def _with_breaks(match: re.Match) -> str:
    if match.group(1):
        return match.group(1)
    units = _UNIT.findall(match.group(2))
    if len(units) <= DELIBERATE_RUN_MAX and any(unit in ("\u00a0", "\u2060", "&nbsp;") for unit in units):
        return match.group(2)
    out: list[str] = []
    count = 0
    for unit in units:
        if count >= LONG_RUN and not _joins_previous(unit):
            out.append(ZERO_WIDTH_SPACE)
            count = 0
        out.append(unit)
        count += 1
    return "".join(out)


def _joins_previous(unit: str) -> bool:
    """A combining mark, a joiner or a variation selector belongs to the character before it."""
    return len(unit) == 1 and (unicodedata.category(unit)[0] == "M" or unit in "\u200c\u200d"
                               or "\ufe00" <= unit <= "\ufe0f")


class RenderTimeout(BaseException):
    """Raised into a render that ran past its time limit. A BaseException, so that no `except Exception` inside
    WeasyPrint takes it for a problem of its own and carries on."""


def _time_limited(limit: float):
    """A context in which the code running is stopped with RenderTimeout after `limit` seconds (SIGALRM; where
    signals cannot be used, outside the main thread, the parent's watch on the helper process is the limit)."""
    from contextlib import contextmanager

    @contextmanager
    def limited():
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            yield
            return

        def stop(signum, frame):
            raise RenderTimeout()

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    return limited()


def timeout_message() -> str:
    return (f"the PDF took longer than {RENDER_TIME_LIMIT:g} s to lay out and was stopped; nothing was written "
            "(shorten the longest text, or write --format txt)")


def check_variant(variant: str) -> str:
    if variant not in PDF_VARIANTS:
        raise InputError(f"--pdf-variant: {variant!r} is not one of {', '.join(PDF_VARIANTS)}")
    return variant


def creation_date() -> str:
    """The PDF's creation date (W3C form, UTC): $SOURCE_DATE_EPOCH if set, so that builds reproduce."""
    epoch = os.environ.get(SOURCE_DATE_ENV)
    if epoch is not None:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise InputError(f"{SOURCE_DATE_ENV}: {epoch!r} is not a number of seconds since 1970") from None
    else:
        moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _stable_identifiers(document, pdf) -> None:
    """WeasyPrint names tagged table headers by id(box), a memory address that differs on every run;
    number them in the order they appear instead (the same renumbering in the cells that cite them)."""
    import pydyf

    numbers: dict[str, str] = {}

    def stable(value):
        if isinstance(value, pydyf.String):
            key = str(value.string)
            return pydyf.String(numbers.setdefault(key, f"th{len(numbers) + 1}"))
        return value

    for item in pdf.objects:
        if isinstance(item, dict) and item.get("S") == "/TH" and "ID" in item:
            item["ID"] = stable(item["ID"])
    for item in pdf.objects:
        if isinstance(item, dict) and isinstance(item.get("A"), dict) and "Headers" in item["A"]:
            item["A"]["Headers"] = pydyf.Array(stable(v) for v in item["A"]["Headers"])


def _agreeing_metadata(metadata) -> None:
    """Make the XMP metadata say what the Info dictionary says, as ISO 19005 (PDF/A) requires of every entry both
    carry: WeasyPrint writes the Info Subject as XMP dc:subject (keywords), where it belongs in dc:description.
    The other pairs (Title and dc:title, Author and dc:creator, the dates and xmp:CreateDate/ModifyDate,
    Producer and pdf:Producer) WeasyPrint already writes from the same values."""
    from xml.etree.ElementTree import SubElement, fromstring, tostring

    from weasyprint.pdf.metadata import NS, DocumentMetadata

    class AgreeingMetadata(DocumentMetadata):
        def generate_rdf_metadata(self, variant, version, conformance):
            description, self.description = self.description, None
            try:
                rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))
            finally:
                self.description = description
            if description:
                element = SubElement(rdf, f"{{{NS['rdf']}}}Description", {f"{{{NS['rdf']}}}about": ""})
                element = SubElement(SubElement(element, f"{{{NS['dc']}}}description"), f"{{{NS['rdf']}}}Alt")
                SubElement(element, f"{{{NS['rdf']}}}li", {"xml:lang": "x-default"}).text = description
            return tostring(rdf, encoding="utf-8")

    metadata.__class__ = AgreeingMetadata


@dataclass
class RenderedPdf:
    data: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def allowed_roots() -> tuple[Path, ...]:
    return (templates_dir().resolve(), PACKAGE_DIR.resolve())


@cache
def _weasyprint():
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class OfflineFetcher(URLFetcher):
        """Serves data: URLs and the package's own files; anything else stops the render."""

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?", 1)[0].removeprefix("file:"))).resolve()
                if any(path.is_relative_to(root) for root in allowed_roots()):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"objector renders offline and refused to fetch {url}")

    return weasyprint, FontConfiguration(), OfflineFetcher(), FatalURLFetchingError


def html_to_pdf(html: str, variant: str = DEFAULT_PDF_VARIANT) -> RenderedPdf:
    """The PDF of `html`: from the prefetched renderer process if one was started, else rendered here."""
    global _prefetched
    check_variant(variant)
    if _prefetched is not None:
        renderer, _prefetched = _prefetched, None
        return renderer.render(html, variant)
    return render_here(html, variant)


def render_here(html: str, variant: str = DEFAULT_PDF_VARIANT) -> RenderedPdf:
    weasyprint, font_config, fetcher, fatal = _weasyprint()
    created = creation_date()
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        with _time_limited(RENDER_TIME_LIMIT):
            document = weasyprint.HTML(
                string=break_long_runs(html), base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher
            ).render(font_config=font_config)
            document.metadata.created = document.metadata.modified = created
            _agreeing_metadata(document.metadata)
            data = document.write_pdf(pdf_variant=None if variant == DEFAULT_PDF_VARIANT else variant,
                                      finisher=_stable_identifiers)
    except RenderTimeout:
        raise RenderError(timeout_message()) from None
    except fatal as exc:
        raise RenderError(str(exc.__cause__ or exc)) from None
    except Exception as exc:  # WeasyPrint or Pango failing is a render error, not a bug of ours
        raise RenderError(f"WeasyPrint could not render the letter: {type(exc).__name__}: {exc}") from None
    finally:
        logger.removeHandler(collector)
    return RenderedPdf(data=data, pages=len(document.pages), warnings=collector.messages)


def warm_up() -> None:
    """Import WeasyPrint, set Fontconfig up and lay out one line: a batch worker's first letter then
    costs what every other one costs."""
    try:
        html_to_pdf("<p>warm-up</p>")
    except RenderError:
        pass  # a renderer that cannot work fails each letter, with its row named, not the whole batch


class _Prefetched:
    """A forked process that imports WeasyPrint while the parent loads the profile and fills the
    template, then renders the one letter it is sent. On two cores this hides WeasyPrint's import
    (about 0.5 s of pure Python) behind the rest of the command.

    It never outlives the command: it holds only its own end of the pipe, so it reads end-of-file as
    soon as the parent is gone, however it went (a kill -9 included); on Linux the kernel also kills it
    when the parent dies (PR_SET_PDEATHSIG), even in the middle of a render; and the parent stops it
    when it will not be needed (bad input, Ctrl-C, SIGTERM: see stop) or has taken too long."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, self.connection), daemon=True,
                                       name="objector-render")
        self.process.start()
        child_end.close()

    def render(self, html: str, variant: str) -> RenderedPdf:
        try:
            self.connection.send((html, variant))
            # The helper stops itself at the time limit; this is the watch for a helper that cannot (stuck in C).
            if self.connection.poll(RENDER_TIME_LIMIT + 5):
                status, payload = self.connection.recv()
            else:
                status, payload = "timeout", None
        except (EOFError, OSError):
            status, payload = "lost", None
        finally:
            self.stop()
        if status == "ok":
            return payload
        if status == "error":
            raise RenderError(payload)
        if status == "timeout":
            raise RenderError(timeout_message())
        return render_here(html, variant)  # the helper process died: render here instead

    def stop(self) -> None:
        """Close the pipe and end the helper (at once, if it is still working)."""
        self.connection.close()
        self.process.join(timeout=0.5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)


def die_with_parent() -> None:
    """Ask Linux to kill this (forked) process when its parent dies; elsewhere a no-op, the pipe's end-of-file
    then ends it. Used by the render helper and the batch workers."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        parent = os.getppid()
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(0)
    except (OSError, AttributeError):
        pass


def _serve(connection, parent_end) -> None:
    parent_end.close()  # only the parent may hold it: then the parent's end, closing, ends our wait
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _weasyprint()
        html, variant = connection.recv()
    except (EOFError, OSError):
        return  # the command ended (bad input, Ctrl-C, a kill) before sending a letter
    try:
        connection.send(("ok", render_here(html, variant)))
    except RenderError as exc:
        connection.send(("error", exc.message))


_prefetched: _Prefetched | None = None
_prefetch_allowed = False  # set by the console script's main(); in-process callers (tests) render here


def allow_prefetch() -> None:
    global _prefetch_allowed
    _prefetch_allowed = True


def stop_prefetched() -> None:
    """End the helper process if one was started and not used (the command failed or was interrupted)."""
    global _prefetched
    if _prefetched is not None:
        helper, _prefetched = _prefetched, None
        helper.stop()


def prefetch() -> None:
    """Start importing WeasyPrint in a forked process, for a command that will render one PDF.

    Nothing is gained where WeasyPrint is already imported (a test run, a batch worker) or where
    processes cannot be forked; then the PDF is simply rendered in this process.
    """
    global _prefetched
    import os
    import sys

    if not _prefetch_allowed or _prefetched is not None or "weasyprint" in sys.modules or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return
    try:
        _prefetched = _Prefetched()
    except OSError:
        _prefetched = None
