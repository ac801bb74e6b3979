"""The record: a SQLite journal of every request and event, with migrations, evidence kept by SHA-256,
a hash chain that `verify` checks, export and import, and the standing cache that `status` reads.

Imports objector.law (to name the laws a request may be under) and the shared bottom pieces; it knows
nothing of letters or of what a timeline means: the checks an event must pass come from the caller
(objector.tracking), passed in, never imported.
"""

from .records import (
    EVENT_TYPES,
    GENESIS,
    Event,
    Evidence,
    ImportReport,
    JournalLostError,
    Request,
    VerifyReport,
    canonical_json,
    event_hash,
    journal_path,
    request_hash,
)
from .schema import MIGRATIONS, SCHEMA_VERSION
from .store import Journal

__all__ = ["EVENT_TYPES", "GENESIS", "MIGRATIONS", "SCHEMA_VERSION", "Event", "Evidence", "ImportReport", "Journal",
           "JournalLostError", "Request", "VerifyReport", "canonical_json", "event_hash", "journal_path", "request_hash"]
