"""HTML → PDF with WeasyPrint, offline and loud about problems.

WeasyPrint is imported here only, when a PDF is actually made (the import costs about half a second).
Its URL fetcher serves `data:` URLs and the package's own files and aborts the render on anything
else, so a letter can never reach the network. WeasyPrint's warnings (a font that cannot be loaded, a
resource that failed) are collected and handed back to the caller to show, never dropped. One
FontConfiguration is kept per process: a batch worker pays for Fontconfig's set-up once.

Archival variants (`--pdf-variant`): WeasyPrint's PDF/A (an sRGB output intent and XMP metadata naming
the part and level) and PDF/UA (tagged: the structure tree, the language from <html lang> and the title
shown in the window). Reproducible bytes: the PDF's creation date is $SOURCE_DATE_EPOCH when it is set
(else the time of rendering), and the identifiers WeasyPrint gives table headers in tagged PDFs (memory
addresses) are renumbered, so the same letter renders to the same bytes.
"""

from __future__ import annotations

import logging
import os
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
        document = weasyprint.HTML(
            string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_config)
        document.metadata.created = document.metadata.modified = created
        data = document.write_pdf(pdf_variant=None if variant == DEFAULT_PDF_VARIANT else variant,
                                  finisher=_stable_identifiers)
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
    html_to_pdf("<p>warm-up</p>")


class _Prefetched:
    """A forked process that imports WeasyPrint while the parent loads the profile and fills the
    template, then renders the one letter it is sent. On two cores this hides WeasyPrint's import
    (about 0.5 s of pure Python) behind the rest of the command."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True, name="objector-render")
        self.process.start()
        child_end.close()

    def render(self, html: str, variant: str) -> RenderedPdf:
        try:
            self.connection.send((html, variant))
            status, payload = self.connection.recv()
        except (EOFError, OSError):
            status, payload = "lost", None
        finally:
            self.connection.close()
            self.process.join(timeout=5)
        if status == "ok":
            return payload
        if status == "error":
            raise RenderError(payload)
        return render_here(html, variant)  # the helper process died: render here instead


def _serve(connection) -> None:
    try:
        _weasyprint()
        html, variant = connection.recv()
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the command ended (bad input, Ctrl-C) before sending a letter
    try:
        connection.send(("ok", render_here(html, variant)))
    except RenderError as exc:
        connection.send(("error", exc.message))


_prefetched: _Prefetched | None = None
_prefetch_allowed = False  # set by the console script's main(); in-process callers (tests) render here


def allow_prefetch() -> None:
    global _prefetch_allowed
    _prefetch_allowed = True


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
