"""HTML → PDF with WeasyPrint, offline and loud about problems.

WeasyPrint is imported here only, when a PDF is actually made (the import costs about half a second).
Its URL fetcher serves `data:` URLs and the package's own files and aborts the render on anything
else, so a letter can never reach the network. WeasyPrint's warnings (a font that cannot be loaded, a
resource that failed) are collected and handed back to the caller to show, never dropped. One
FontConfiguration is kept per process: a batch worker pays for Fontconfig's set-up once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import RenderError
from .resources import PACKAGE_DIR, templates_dir


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


def html_to_pdf(html: str) -> RenderedPdf:
    """The PDF of `html`: from the prefetched renderer process if one was started, else rendered here."""
    global _prefetched
    if _prefetched is not None:
        renderer, _prefetched = _prefetched, None
        return renderer.render(html)
    return render_here(html)


def render_here(html: str) -> RenderedPdf:
    weasyprint, font_config, fetcher, fatal = _weasyprint()
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(
            string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_config)
        data = document.write_pdf()
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

    def render(self, html: str) -> RenderedPdf:
        try:
            self.connection.send(html)
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
        return render_here(html)  # the helper process died: render here instead


def _serve(connection) -> None:
    try:
        _weasyprint()
        html = connection.recv()
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the command ended (bad input, Ctrl-C) before sending a letter
    try:
        connection.send(("ok", render_here(html)))
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
