"""objector's command line: `objector = objector.cli:main`."""

from __future__ import annotations

# The command modules are imported when their command runs (app.COMMANDS says which module registers which).
from .app import app


def main() -> None:
    import signal
    import sys

    from .app import as_console_script

    as_console_script()  # the renderer is imported only by a command that renders (`--help` does not)
    # `kill` (SIGTERM) stops a command the way Ctrl-C does: what was being written is removed, the journal's
    # transaction rolled back, the render helper ended (exit 130), instead of dying with half a file.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        app()
    except BrokenPipeError:  # raised by the last flush, after the command itself finished
        from .app import quiet_broken_pipe

        quiet_broken_pipe()
    finally:
        render = sys.modules.get("objector.letters.render")
        if render is not None:
            render.stop_prefetched()  # a helper started for a render that did not happen


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
