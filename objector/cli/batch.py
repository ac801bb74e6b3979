"""`objector batch`: many letters from a CSV file."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import ControllerFileOption, JsonOption, app, plural, print_json, warn
from .letters import PdfVariantOption


@app.command("batch")
def batch(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="One letter per row; the header is documented in README (Batch).")],
    output_dir: Annotated[Path, typer.Option("--output-dir", "-d", help="Folder for the letters (created, private).")] = Path("letters"),
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes (default: the number of CPUs).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted run: write only rows not yet in the journal.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Default format for rows without one: pdf, html, txt or eml.")] = "pdf",
    controller_file: ControllerFileOption = None,
    pdf_variant: PdfVariantOption = "pdf",
    as_json: JsonOption = False,
) -> None:
    """Write a letter for every row of a CSV file, in parallel, recording each in the journal."""
    from ..errors import EXIT_INPUT, EXIT_INTERRUPTED
    from ..letters import batch as batches
    from ..letters.render import check_variant
    from ..paths import ensure_private_dir

    planned, problems = batches.plan(file, output_dir, default_format=fmt, pdf_variant=check_variant(pdf_variant),
                                     controller_file=controller_file)
    for p in problems:
        warn(f"skipped {p}")
    dataset_rows = sorted({(job.controller, job.row) for job in planned if job.secondary}, key=lambda pair: pair[1])
    if dataset_rows:
        named = ", ".join(f"row {row}: {name}" for name, row in dataset_rows[:10])
        more = f" and {len(dataset_rows) - 10} more" if len(dataset_rows) > 10 else ""
        warn(f"secondary records from the open dataset, not verified by objector ({named}{more}): check their "
             "addresses and e-mail in their privacy policies before sending")
    ensure_private_dir(output_dir)
    if resume:
        batches.remove_leftovers(output_dir)
    workers = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    with progress_bar(len(planned), quiet=as_json) as advance:
        result = batches.run(planned, jobs_count=workers, resume=resume, on_result=advance)
    elapsed = time.perf_counter() - started
    result.problems[:0] = problems
    for p in result.problems[len(problems):]:
        warn(f"failed {p}")
    if as_json:
        print_json(result.to_dict() | {"seconds": round(elapsed, 3), "jobs": workers})
    else:
        rate = len(result.written) / elapsed if elapsed else 0.0
        typer.echo(f"{plural(len(result.written), 'letter')} written to {output_dir} in {elapsed:.1f} s "
                   f"({rate:.1f}/s, {plural(workers, 'worker')}); {result.skipped} already done; "
                   f"{plural(len(result.problems), 'row')} failed")
    if result.interrupted:
        warn("interrupted: run the same command with --resume to write the rest")
        sys.exit(EXIT_INTERRUPTED)
    if not as_json:
        from ..tracking.next_steps import after_batch

        for line in after_batch(result.written, len(result.problems), str(output_dir)):
            typer.echo(line)
    if result.problems:
        sys.exit(EXIT_INPUT)


class progress_bar:
    """A rich progress bar on stderr with rate and time left; nothing when quiet or not a terminal."""

    def __init__(self, total: int, *, quiet: bool):
        self.total, self.quiet = total, quiet or not sys.stderr.isatty()
        self.progress = None

    def __enter__(self):
        if self.quiet:
            return lambda result: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("letters"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f}/s"), TimeRemainingColumn(), console=Console(stderr=True),
        )
        self.progress.start()
        task = self.progress.add_task("batch", total=self.total, rate=0.0)
        started = time.perf_counter()

        def advance(result: dict) -> None:
            done = self.progress.tasks[0].completed + 1  # type: ignore[attr-defined]
            self.progress.update(task, advance=1, rate=done / max(time.perf_counter() - started, 1e-6))  # type: ignore[attr-defined]

        return advance

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()
        return False
