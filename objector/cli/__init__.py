"""objector's command line: `objector = objector.cli:main`."""

from __future__ import annotations

# The command modules are imported when their command runs (app.COMMANDS says which module registers which).
from .app import app


def main() -> None:
    import signal

    from ..letters.render import allow_prefetch, stop_prefetched

    allow_prefetch()  # a whole process of its own: a PDF may be prepared in a forked helper
    # `kill` (SIGTERM) stops a command the way Ctrl-C does: what was being written is removed, the journal's
    # transaction rolled back, the render helper ended (exit 130), instead of dying with half a file.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        app()
    except BrokenPipeError:  # raised by the last flush, after the command itself finished
        from .app import quiet_broken_pipe

        quiet_broken_pipe()
    finally:
        stop_prefetched()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
