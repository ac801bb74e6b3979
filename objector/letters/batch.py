"""Many letters from one CSV file: validated up front, rendered by a pool of processes, resumable.

Each row is checked before any work starts; a bad row is reported (row, field, reason) and skipped.
Each good row gets a key (the hash of the file's identity and the row's content) and a reference derived
from it, so a batch that was interrupted (Ctrl-C, a kill, a power cut) and is run again with
`resume=True` writes exactly the letters that are not yet in the journal, under the same references,
and never records one twice. WeasyPrint is imported and Fontconfig set up once, in the parent, before the pool
forks (objector.letters.render): the workers only render and write the letters; the parent records them in the
journal over one connection, a group at a time (one transaction and one fsync for up to RECORD_GROUP letters).
Every letter of a batch cites the journal's chain head as it was when the batch started (see journal_state).
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, ObjectorError

if TYPE_CHECKING:
    from ..journal import Journal

# The documented header (README, "Batch"); a column not listed here is an error, so a typo is not ignored.
COLUMNS = (
    "kind", "controller", "name", "email", "language", "street", "street2", "street3", "street4", "postcode", "city",
    "country",
    "region", "instagram", "facebook", "threads", "lang", "purpose", "reason", "date", "format",
    "ground", "made_public", "correction", "completion", "consent", "transmit_to",
)
# Columns for the options of one letter kind (rights.py); several values go on separate lines of the cell,
# grounds may also be separated by commas or spaces.
LIST_COLUMNS = {"correction": "corrections", "completion": "completions", "consent": "consents"}
YES, NO = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}
# The address lines, in order: as many as a profile holds (profile.MAX_ADDRESS_LINES), a c/o line first if any.
STREET_COLUMNS = ("street", "street2", "street3", "street4")
REQUIRED = ("kind", "controller", "name", "email", "street", "city", "country")
CHECK_ONLY_REFERENCE = "CHK-0000-000000"  # planning validates a row without drawing a real reference
# Input caps: a batch larger than this is a mistake (or an attack), not a mail-merge; split it.
BATCH_MAX_ROWS = 10_000
BATCH_MAX_BYTES = 16 * 2**20


@dataclass
class Job:
    row: int  # 1-based data row number (the header is row 0), as a spreadsheet shows it minus one
    line: int  # the file's line the row starts on (a cell in quotes may hold line breaks)
    key: str
    kind: str
    controller: str
    profile: dict
    lang: str | None
    purpose: str | None
    reason: str | None
    options: dict
    on: str  # ISO date, fixed when the batch is planned
    fmt: str
    output_dir: str
    force: bool = False
    controller_file: str | None = None  # a --controller-file, read again in the worker
    pdf_variant: str = "pdf"
    secondary: bool = False  # the controller is a record of the open dataset (the command says so)
    journal_head: tuple[int, str] | None = None  # the chain head the letter cites: the journal's when the batch started


@dataclass
class RowProblem:
    row: int
    field: str  # the column at fault, or "row" for the row as a whole
    reason: str
    line: int = 0  # the file's line the row starts on (0: not a row of the file)

    def to_dict(self) -> dict:
        return {"row": self.row, "line": self.line or None, "field": self.field, "reason": self.reason}

    def __str__(self) -> str:
        """"row 3 (line 4): email: ..." as a spreadsheet and an editor count; a fault of the whole row names no field."""
        where = f"row {self.row} (line {self.line})" if self.line else f"row {self.row}"
        return f"{where}: {self.reason}" if self.field == "row" else f"{where}: {self.field}: {self.reason}"


@dataclass
class BatchResult:
    written: list[dict] = field(default_factory=list)
    skipped: int = 0  # already in the journal (resume)
    problems: list[RowProblem] = field(default_factory=list)
    interrupted: bool = False

    def to_dict(self) -> dict:
        return {
            "written": self.written,
            "skipped": self.skipped,
            "failed": [p.to_dict() for p in sorted(self.problems, key=lambda p: p.row)],
            "interrupted": self.interrupted,
        }


def read_rows(path: Path) -> tuple[list[tuple[int, int, dict[str, str]]], list[RowProblem]]:
    """The file's data rows, numbered from 1, with the line each starts on, and the rows refused before any check
    of their content: one with more cells than the header has, and one identical to an earlier row (the same
    letter twice)."""
    from .. import csv_input
    from ..paths import read_user_text

    csv_input.check_size(path, BATCH_MAX_BYTES, "batch file")
    lines = csv_input.numbered_rows(read_user_text(path, "batch file"), path)
    header = csv_input.header(next(lines, (1, []))[1], path)
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing:
        parts = ([f"unknown column(s) {', '.join(unknown)}"] if unknown else []) + (
            [f"missing column(s) {', '.join(missing)}"] if missing else [])
        raise InputError(f"{path}: {'; '.join(parts)} (the header is documented in README, 'Batch')")
    rows: list[tuple[int, int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, ...], tuple[int, int]] = {}
    for number, (line, cells) in enumerate(lines, start=1):
        if number > BATCH_MAX_ROWS:
            raise InputError(f"{path}: more than {BATCH_MAX_ROWS:,} rows; split it into several files")
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, as csv.DictReader skips it
        values = [cell.strip() for cell in cells]
        if len(values) > len(header):
            problems.append(RowProblem(number, "row", f"{len(values)} cells but the header has {len(header)} "
                                       "columns (a comma too many, or a cell not in quotes?)", line))
            continue
        values += [""] * (len(header) - len(values))
        if tuple(values) in seen:
            first, first_line = seen[tuple(values)]
            problems.append(RowProblem(number, "row", f"identical to row {first} (line {first_line}): the same "
                                       "letter would be written twice", line))
            continue
        seen[tuple(values)] = (number, line)
        rows.append((number, line, dict(zip(header, values, strict=True))))
    return rows, problems


def row_key(source: str, number: int, row: dict[str, str]) -> str:
    content = json.dumps([source, number, sorted(row.items())], ensure_ascii=False)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def plan(path: Path, output_dir: Path, *, default_format: str = "pdf", pdf_variant: str = "pdf",
         controller_file: Path | None = None) -> tuple[list[Job], list[RowProblem]]:
    """Validate every row (cheaply, without rendering) and turn the good ones into jobs."""
    from ..clock import today
    from ..people import profile as profiles
    from ..people import registry
    from . import letter as letters
    from .compose import FORMATS

    extra = registry.load_file(controller_file)
    jobs: list[Job] = []
    source = str(path.resolve())
    rows, problems = read_rows(path)
    for number, line, row in rows:
        try:
            for name in REQUIRED:
                if not row.get(name):
                    raise InputError(f"{name}: must not be empty")
            person = profiles.from_dict({
                "name": row["name"],
                "email": row["email"],
                "language": row.get("language") or row.get("lang") or "en",
                "address": {
                    "lines": [row[column] for column in STREET_COLUMNS if row.get(column)],
                    "postcode": row.get("postcode", ""),
                    "city": row["city"],
                    "country": row["country"],
                    "region": row.get("region", ""),
                },
                "accounts": {s: row[s] for s in ("instagram", "facebook", "threads") if row.get(s)},
            })
            fmt = row.get("format") or default_format
            if fmt not in FORMATS:
                raise InputError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
            on = row.get("date") or None
            if on:
                try:
                    date.fromisoformat(on)
                except ValueError:
                    raise InputError(f"date: {on!r} is not a date in the form YYYY-MM-DD") from None
            options = row_options(row)
            # The full check (controller, law, language, purpose, options) without rendering anything.
            checked = letters.prepare(
                row["kind"], row["controller"], person, lang=row.get("lang") or None,
                purpose=row.get("purpose") or None, reason=row.get("reason") or None,
                on=date.fromisoformat(on) if on else None, reference=CHECK_ONLY_REFERENCE, extra_controllers=extra,
                options=options,
            )
        except ObjectorError as exc:
            problems.append(problem(number, exc.message, line))
            continue
        jobs.append(Job(
            row=number, line=line, key=row_key(source, number, row), kind=row["kind"], controller=row["controller"],
            profile=person.to_dict(), lang=row.get("lang") or None, purpose=row.get("purpose") or None,
            reason=row.get("reason") or None, options=options, on=on or today().isoformat(), fmt=fmt,
            output_dir=str(output_dir), controller_file=str(controller_file) if controller_file else None,
            pdf_variant=pdf_variant, secondary=checked.controller.secondary is not None,
        ))
    return jobs, sorted(problems, key=lambda p: p.row)


def row_options(row: dict[str, str]) -> dict:
    """The letter kind's options from a row, in the form letters.prepare takes (rights.check validates)."""
    made_public = row.get("made_public", "").lower()
    if made_public not in YES | NO:
        raise InputError(f"made_public: {row['made_public']!r} is not yes or no")
    options = {
        "grounds": [g for g in row.get("ground", "").replace(",", " ").replace(";", " ").split() if g],
        "made_public": made_public in YES,
        "transmit_to": row.get("transmit_to") or None,
    }
    for column, name in LIST_COLUMNS.items():
        options[name] = [line.strip() for line in row.get(column, "").splitlines() if line.strip()]
    return options


def problem(row: int, message: str, line: int = 0) -> RowProblem:
    """'email: bad' → field 'email' ('--made-public: ...' → 'made_public'); a message without a field names the row."""
    head, sep, rest = message.partition(": ")
    if sep and head and " " not in head.strip("-"):
        return RowProblem(row, head.lstrip("-").replace("-", "_"), rest, line)  # --transmit-to → its column
    return RowProblem(row, "row", message, line)


# ----------------------------------------------------------------------------- workers


# The parent records the letters the workers wrote this many at a time (or what RECORD_EVERY seconds bring), each
# group in one transaction: one commit and one fsync of the journal for them all.
RECORD_GROUP = 32
RECORD_EVERY = 1.0
# Allocations between two young-generation collections during a batch (Python's default: 700).
BATCH_GC_THRESHOLD = 10_000


def warm_up() -> None:
    """Pay WeasyPrint's import and Fontconfig's set-up once, before the first letter: in the parent, before the
    pool forks, so that every worker starts with them done."""
    from .render import warm_up

    warm_up()


def init_pool_worker() -> None:
    """A pool worker never outlives the batch (a kill -9 of the parent included)."""
    from .render import die_with_parent

    die_with_parent()


def run_job(job: Job) -> dict:
    """Render and write one letter; runs in a worker process (or the parent, with one worker). Returns the result
    to report, and under "entry" what the parent records in the journal (the letter's bytes included)."""
    from ..people import profile as profiles
    from ..people import registry
    from ..reference import derived_reference
    from . import compose
    from . import letter as letters

    try:
        person = profiles.from_dict(job.profile)
        on = date.fromisoformat(job.on)
        extra = registry.load_file(Path(job.controller_file)) if job.controller_file else ()
        request = letters.prepare(job.kind, job.controller, person, lang=job.lang, purpose=job.purpose,
                                  reason=job.reason, on=on, reference=derived_reference(job.kind, on.year, job.key),
                                  batch_key=job.key, extra_controllers=extra, options=job.options)
        if job.journal_head is not None:
            request = replace(request, journal_head=job.journal_head)
        compose.check_not_future(request.on)
        path = compose.default_path(request, job.fmt, Path(job.output_dir))
        # A file with this row's reference but no journal entry is a leftover of an interrupted run.
        written = compose.write_letter(request, job.fmt, path, overwrite=True, record=False,
                                       pdf_variant=job.pdf_variant)
        return {"row": job.row, "reference": written.reference, "path": str(written.path), "sha256": written.sha256,
                "entry": compose.journal_entry(request, written, job.pdf_variant)}
    except ObjectorError as exc:
        return {"row": job.row, "line": job.line, "error": exc.message}


def journal_state(references: Iterable[str]) -> tuple[set[str], tuple[int, str] | None]:
    """Which of `references` the journal holds, and its chain head (None: no events yet), read at one moment.

    Every letter of the batch cites this head: the parent records them a group at a time, so a head read per
    letter would be no later than the last group anyway, and one read keeps the workers off the journal."""
    from ..journal import Journal

    wanted = set(references)
    with Journal.open(create=False) as journal, journal.snapshot():
        seq, digest = journal.head()
        return {r.reference for r in journal.requests() if r.reference in wanted}, ((seq, digest) if seq else None)


class _Recorder:
    """The parent's side of a batch: takes each outcome as it comes and records the letters in the journal a
    group at a time, over one connection. A letter the journal refuses is deleted and its row fails alone; one
    written but not yet recorded when the batch is stopped is written again by --resume."""

    def __init__(self, result: BatchResult, lines: dict[int, int], on_result: Callable[[dict], None]) -> None:
        self.result, self.lines, self.on_result = result, lines, on_result
        # Opened at the first group, after the pool forked: a child never inherits an open SQLite connection.
        self.journal: Journal | None = None
        self.pending: list[dict] = []
        self.since = 0.0

    def take(self, outcome: dict) -> None:
        import time

        if "error" in outcome:
            self.result.problems.append(problem(outcome["row"], outcome["error"], outcome.get("line", 0)))
        else:
            if not self.pending:
                self.since = time.monotonic()
            self.pending.append(outcome)
            if len(self.pending) >= RECORD_GROUP or time.monotonic() - self.since >= RECORD_EVERY:
                self.flush()
        self.on_result({key: value for key, value in outcome.items() if key != "entry"})

    def flush(self) -> None:
        from ..journal import Journal

        group, self.pending = self.pending, []
        if not group:
            return
        recorded: list[dict] = []
        kept: list[Path] = []  # evidence this group stored for the first time
        try:
            journal = self.journal = self.journal or Journal.open()
            with journal.transaction():
                for outcome in group:
                    # Taken out of the outcome, which the pool's future still holds: the letter's bytes go once
                    # recorded, not at the end of a batch of thousands.
                    entry = outcome.pop("entry")
                    evidence = journal.evidence_path(outcome["sha256"])
                    new = not evidence.exists()
                    try:
                        with journal.savepoint():
                            journal.add_request(**entry)
                    except ObjectorError as exc:
                        Path(outcome["path"]).unlink(missing_ok=True)
                        self.result.problems.append(problem(outcome["row"], exc.message, self.lines[outcome["row"]]))
                        continue
                    recorded.append(outcome)
                    if new:
                        kept.append(evidence)
        except BaseException:
            for outcome in group:  # the group's transaction was undone, and so are its letters and their copies
                Path(outcome["path"]).unlink(missing_ok=True)
            for evidence in kept:
                evidence.unlink(missing_ok=True)
            raise
        self.result.written += recorded

    def close(self) -> None:
        try:
            self.flush()
        finally:
            if self.journal is not None:
                self.journal.close()


def run(jobs: list[Job], *, jobs_count: int, resume: bool,
        on_result: Callable[[dict], None] = lambda result: None) -> BatchResult:
    from ..reference import derived_reference
    from .compose import PDF_FORMATS

    result = BatchResult()
    references = {job.key: derived_reference(job.kind, date.fromisoformat(job.on).year, job.key) for job in jobs}
    done, head = journal_state(references.values())
    if done and not resume:
        raise InputError(f"{len(done)} row(s) of this file are already in the journal; "
                         "use --resume to write only the rest")
    pending = [replace(job, journal_head=head) for job in jobs if references[job.key] not in done]
    result.skipped = len(jobs) - len(pending)
    if not pending:
        return result
    recorder = _Recorder(result, {job.row: job.line for job in pending}, on_result)
    thresholds = gc.get_threshold()
    try:
        if any(job.fmt in PDF_FORMATS for job in pending):
            warm_up()  # before the pool forks: the workers inherit WeasyPrint imported and set up
        # WeasyPrint makes hundreds of thousands of short-lived objects a letter: with Python's default threshold
        # the collector runs thousands of times a letter, 10-30 ms of a 130 ms letter with one worker. What is
        # loaded now (modules, WeasyPrint, the jobs) lives as long as the batch and is kept out of the collector's
        # passes (and of the pages a forked worker would copy).
        gc.freeze()
        gc.set_threshold(BATCH_GC_THRESHOLD, *thresholds[1:])
        if jobs_count <= 1 or len(pending) <= 1:
            for job in pending:
                recorder.take(run_job(job))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            # fork where there is one, whatever the platform's default: the workers start with the parent's
            # WeasyPrint (elsewhere each pays the import at its first PDF).
            context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
            with ProcessPoolExecutor(max_workers=min(jobs_count, len(pending)), mp_context=context,
                                     initializer=init_pool_worker) as pool:
                futures = [pool.submit(run_job, job) for job in pending]
                try:
                    for future in as_completed(futures):
                        recorder.take(future.result())
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
    except KeyboardInterrupt:
        result.interrupted = True
    except BrokenProcessPool as exc:  # a worker died (killed, out of memory): keep what was written
        result.interrupted = True
        result.problems.append(RowProblem(0, "batch", f"a worker process died ({exc}); run again with --resume"))
    finally:
        recorder.close()  # the letters written so far are recorded, whatever stopped the batch
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    result.written.sort(key=lambda item: item["row"])
    return result


def remove_leftovers(output_dir: Path) -> int:
    """Delete temporary files an interrupted run left behind (atomic writes that never finished)."""
    count = 0
    for leftover in output_dir.glob(".*-*-*.tmp"):
        leftover.unlink(missing_ok=True)
        count += 1
    return count
