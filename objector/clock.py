"""What day it is: the one place objector asks, so that tests (and a person checking "what if") can set it.

`OBJECTOR_TODAY=YYYY-MM-DD` makes objector behave as if that were the local date: deadlines, days left,
"overdue", the default date of a logged event, and the check that an event is not dated in the future.
Timestamps recording *when* something was written to the journal (`now_utc`) always use the real clock.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from .errors import InputError

TODAY_ENV = "OBJECTOR_TODAY"


def today() -> date:
    """The local date, or $OBJECTOR_TODAY when set."""
    override = os.environ.get(TODAY_ENV, "").strip()
    if not override:
        return date.today()
    try:
        return date.fromisoformat(override)
    except ValueError:
        raise InputError(f"{TODAY_ENV}={override!r} is not a date in the form YYYY-MM-DD") from None


def now_utc() -> str:
    """The current UTC time as an ISO 8601 string with seconds, e.g. '2026-11-27T14:03:05Z'."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
