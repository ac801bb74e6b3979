"""Errors a person can act on, each with the exit code the CLI documents.

The core raises these; the CLI prints the message as one line on stderr and exits with the code.
Anything else is a bug and is reported as such (exit 1), never as a traceback.
"""

from __future__ import annotations

# Exit codes; EXIT_CODES below says what each means (README's table is generated from it by a test).
EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_NOT_FOUND = 4
EXIT_NO_RIGHT = 5
EXIT_OUTPUT = 6
EXIT_JOURNAL = 7
EXIT_TAMPERED = 8
EXIT_RENDER = 9
EXIT_INTERRUPTED = 130

EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_BUG: "unexpected error (a bug: please report it)",
    EXIT_USAGE: "usage error: unknown option or missing argument",
    EXIT_INPUT: "invalid input: a profile field, date, language, purpose, letter option (grounds, corrections...) or file content",
    EXIT_NOT_FOUND: "not found: unknown controller, kind or reference, a missing file, or what a command needs "
                    "from the registry (a postal address for a letter by post, a record of AI training for the guide)",
    EXIT_NO_RIGHT: "no letter for this right where you live: no law gives it, or objector does not cover that law",
    EXIT_OUTPUT: "the output file exists (use --force) or cannot be written",
    EXIT_JOURNAL: "the journal cannot be used: corrupt, lost (emptied, or deleted beside its evidence), from a newer objector, or locked",
    EXIT_TAMPERED: "verify found altered, removed or added records or evidence files",
    EXIT_RENDER: "the PDF could not be rendered, or its layout took longer than the time limit (30 s)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C, or SIGTERM from kill) or a question left unanswered; nothing is half-written",
}


class ObjectorError(Exception):
    """A failure explained in one line, with the exit code that classifies it."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(ObjectorError):
    exit_code = EXIT_INPUT


class NotFoundError(ObjectorError):
    exit_code = EXIT_NOT_FOUND


class NoRightError(ObjectorError):
    exit_code = EXIT_NO_RIGHT


class OutputError(ObjectorError):
    exit_code = EXIT_OUTPUT


class JournalError(ObjectorError):
    exit_code = EXIT_JOURNAL


class TamperedError(ObjectorError):
    exit_code = EXIT_TAMPERED


class RenderError(ObjectorError):
    exit_code = EXIT_RENDER
