"""The journal file itself: its tables and their migrations, creating it safely, recognising a file that is not
a journal (or a journal whose records were deleted), and switching it to WAL.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import JournalError
from ..paths import PRIVATE_FILE_MODE, ensure_private_dir
from .records import GENESIS, JournalLostError, evidence_dir

SCHEMA_VERSION = 3


_SQLITE_MAGIC = b"SQLite format 3\x00"


BUSY_TIMEOUT_MS = 30_000


# Migrations: version → statements that bring a journal from version-1 to version. Never edit a
# released step; add the next one.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE requests (
            reference TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            controller TEXT NOT NULL,
            law TEXT NOT NULL,
            language TEXT NOT NULL,
            region TEXT NOT NULL,
            inputs TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            document TEXT NOT NULL,
            created_on TEXT NOT NULL
        )""",
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            reference TEXT NOT NULL REFERENCES requests(reference),
            type TEXT NOT NULL,
            on_date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        "CREATE INDEX events_by_reference ON events (reference, seq)",
        f"INSERT INTO meta (key, value) VALUES ('head_seq', '0'), ('head_hash', '{GENESIS}')",
    ),
    # The standing cache (see "The standing cache" below): derived, disposable, outside the chain.
    2: (
        """CREATE TABLE standing (
            reference TEXT PRIMARY KEY,
            through_hash TEXT NOT NULL,
            rules TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
    ),
    # The standing cache gets the columns `status` counts, sorts and filters by, so that 100,000 requests are
    # summed up in SQL (the JSON in `data` costs a parse a row), and its mark: up to which event of the chain,
    # and by which rules, every request's row is current. Derived and disposable: rebuilt, never migrated.
    3: (
        "DROP TABLE standing",
        """CREATE TABLE standing (
            reference TEXT PRIMARY KEY,
            through_hash TEXT NOT NULL,
            rules TEXT NOT NULL,
            data TEXT NOT NULL,
            controller TEXT NOT NULL,
            created_on TEXT NOT NULL,
            state TEXT NOT NULL,
            due TEXT,
            last_limit TEXT,
            outcome TEXT,
            days_to_reply INTEGER,
            answered_late INTEGER,
            complained INTEGER NOT NULL,
            digest TEXT NOT NULL
        )""",
        # status's summary reads this index alone, in order (no sort); the most urgent rows are found by due date.
        "CREATE INDEX standing_by_controller ON standing (controller, state, due, last_limit, outcome, complained, "
        "days_to_reply, answered_late)",
        "CREATE INDEX standing_by_due ON standing (due, state)",
        # The most urgent request refused with no complaint yet (status's pointer to `complaint`), without a sort.
        "CREATE INDEX standing_refused ON standing (coalesce(due, created_on), reference) WHERE state = 'answered' "
        "AND outcome IN ('refused', 'partial') AND NOT complained",
        "CREATE TABLE standing_mark (rules TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL)",
    ),
}


def create_journal(path: Path, migrate: Callable[[sqlite3.Connection], None]) -> None:
    """Create a new, empty journal at ``path`` in one step.

    The database is built in a temporary file beside it and linked into place complete, so a journal
    file is never empty: a journal of 0 bytes can only be one whose records were lost (check_header)."""
    from ..paths import _link_into_place

    ensure_private_dir(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise JournalError(f"cannot create the journal {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, PRIVATE_FILE_MODE)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn)
        finally:
            conn.close()
        _link_into_place(tmp, path)
    except FileExistsError:
        pass  # another process created it first: use theirs
    except (OSError, sqlite3.Error) as exc:
        raise JournalError(f"cannot create the journal {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def evidence_kept(path: Path) -> bool:
    """The journal's evidence folder holds files (besides partial copies): records once covered them."""
    directory = evidence_dir(path)
    try:
        return directory.is_dir() and any(not p.name.startswith(".") for p in directory.iterdir())
    except OSError:
        return False


def evidence_predates(path: Path) -> bool:
    """Some evidence file is older than the journal's last write: a journal holding no events was emptied after
    that evidence was kept. (A first letter interrupted between keeping its copy and committing its event leaves
    a copy newer than the journal: that is no loss.)"""
    def mtime(p: Path) -> int:
        try:
            found = p.stat()
        except OSError:
            return 0
        return found.st_mtime_ns if found.st_size else 0  # opening the journal creates an empty -wal: no write

    written = max(mtime(path), mtime(Path(f"{path}-wal")))
    directory = evidence_dir(path)
    try:
        return any(not p.name.startswith(".") and mtime(p) < written for p in directory.iterdir())
    except OSError:
        return False


def refuse_lost(path: Path) -> None:
    """A missing journal beside a non-empty evidence folder was deleted: say so, never start afresh."""
    directory = evidence_dir(path)
    if evidence_kept(path):
        raise JournalLostError(
            f"the journal {path} is missing but its evidence folder {directory} is not empty: the journal's "
            "records were lost; nothing was written",
            hint="restore the journal from a backup, or move the evidence folder away and `objector import` an export")


def switch_to_wal(conn: sqlite3.Connection) -> None:
    """Set WAL mode (once, on a new journal). The switch needs an exclusive lock and SQLite does not wait
    for it (no busy handler), so when processes create the journal at the same moment, wait here."""
    waited = 0.0
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or waited >= BUSY_TIMEOUT_MS / 1000:
                raise
        time.sleep(0.02)
        waited += 0.02


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite touches it.

    A journal is created complete (create_journal), so an empty file is a journal whose records were
    lost (truncated), never one being created; a bad header is looked at again (a copy may be under way)."""
    for attempt in range(4):
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise JournalError(f"cannot read the journal {path}: {exc.strerror or exc}") from exc
        if head == _SQLITE_MAGIC:
            return
        time.sleep(0.05 * (attempt + 1))
    if not head:
        raise JournalLostError(f"the journal {path} is empty (0 bytes): its records were lost; it was left untouched",
                               hint="restore it from a backup or an export")
    raise JournalError(f"the journal {path} is not a journal (not an SQLite database); it was left untouched",
                       hint="restore it from a backup or an export, or move it away")
