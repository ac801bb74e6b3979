"""Errors a person can act on, each with the exit code the CLI documents.

The core raises these; the CLI prints the message as one line on stderr and exits with the code.
Anything else is a bug and is reported as such (exit 1), never as a traceback.
"""

from __future__ import annotations

# Exit codes (README "Exit codes" lists the same table; a test keeps them in step).
EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2  # Click/Typer: unknown option, missing argument
EXIT_INPUT = 3  # invalid value: profile field, date, language, purpose, file content
EXIT_NOT_FOUND = 4  # unknown controller, reference, kind; missing file
EXIT_NO_RIGHT = 5  # no law gives this person this right against this controller
EXIT_OUTPUT = 6  # output exists (use --force) or cannot be written
EXIT_JOURNAL = 7  # journal unusable: corrupt, newer schema, locked
EXIT_TAMPERED = 8  # `verify` found altered, removed or added records or evidence
EXIT_RENDER = 9  # the PDF could not be rendered
EXIT_INTERRUPTED = 130  # Ctrl-C, or a prompt left without an answer

EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_BUG: "unexpected error (a bug: please report it)",
    EXIT_USAGE: "usage error: unknown option or missing argument",
    EXIT_INPUT: "invalid input: a profile field, date, language, purpose or file content",
    EXIT_NOT_FOUND: "not found: unknown controller, kind or reference, or a missing file",
    EXIT_NO_RIGHT: "no letter for this right where you live: no law gives it, or objector does not cover that law",
    EXIT_OUTPUT: "the output file exists (use --force) or cannot be written",
    EXIT_JOURNAL: "the journal cannot be used: corrupt, from a newer objector, or locked",
    EXIT_TAMPERED: "verify found altered, removed or added records or evidence files",
    EXIT_RENDER: "the PDF could not be rendered",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C) or a question left unanswered; nothing is half-written",
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
