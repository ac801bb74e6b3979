"""The proposals a person accepted, recorded: each an event appended through objector.tracking.events (checked
against the request's timeline like `objector log`), with the raw message and its attachments as evidence.

All of them go in one journal transaction, in date order: an event the timeline refuses is reported and left
out, the others are recorded; any other failure (a full disk, a locked journal) records none of them and
removes the evidence files this run added. The evidence is written to a private temporary folder (0700, files
0600) and copied into the journal's evidence folder by its SHA-256, as `log --evidence` copies a file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..paths import PRIVATE_FILE_MODE
from ..tracking.events import add_event
from .scan import Proposal

if TYPE_CHECKING:
    from ..journal import Event, Journal


@dataclass(frozen=True)
class Recorded:
    proposal: Proposal
    event: Event | None
    problem: str = ""  # why the timeline refused it ("" when recorded)


def record(journal: Journal, proposals: list[Proposal], *, today: date) -> list[Recorded]:
    done: list[Recorded] = []
    added: list[Path] = []  # evidence files new to the journal: removed again if the transaction fails
    with tempfile.TemporaryDirectory(prefix="objector-inbox-") as folder:
        os.chmod(folder, 0o700)
        try:
            with journal.transaction():
                for n, proposal in enumerate(sorted(proposals, key=lambda p: p.on)):
                    files = _spool(proposal, Path(folder) / str(n))
                    new = [journal.evidence_path(e.sha256) for e in proposal.evidence
                           if not journal.evidence_path(e.sha256).exists()]
                    try:
                        event = add_event(journal, proposal.reference, proposal.guess.event, proposal.on,
                                          proposal.data(), evidence=files, today=today)
                    except InputError as exc:
                        done.append(Recorded(proposal, None, exc.message))
                        continue
                    added += new
                    done.append(Recorded(proposal, event))
        except BaseException:
            for path in added:
                path.unlink(missing_ok=True)
            raise
    return done


def _spool(proposal: Proposal, folder: Path) -> list[Path]:
    folder.mkdir(mode=0o700)
    paths = []
    for evidence in proposal.evidence:
        path = folder / evidence.name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(evidence.data)
        paths.append(path)
    return paths
