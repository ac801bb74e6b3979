"""Requests made outside objector: an objection sent through Meta's in-app form, recorded here.

The request gets a reference, the law and deadline of the person's region and a timeline like any
letter's; it has no document. Its first event says it was recorded without a letter, and it is logged
as sent on the day it was made, with the confirmation kept as evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ..clock import today as clock_today
from ..letters import letter as letters
from ..people import registry
from ..people.profile import Profile
from .events import log_sent
from .timeline import Tracking, track


def record_request(kind: str, controller: str, person: Profile, *, via: str, on: date | None,
                   received_on: date | None = None, evidence: Iterable[Path] = (), lang: str | None = None,
                   law: str | None = None, purpose: str | None = None,
                   extra_controllers: tuple[registry.Controller, ...] = ()) -> Tracking:
    """Record a request made elsewhere (in the app, a web form, by e-mail): drafted and sent in one step."""
    from ..journal import Journal

    today = clock_today()
    on = on or today
    request = letters.prepare(kind, controller, person, lang=lang, law=law, purpose=purpose, on=on,
                              extra_controllers=extra_controllers)
    with Journal.open() as journal, journal.transaction():
        journal.add_request(reference=request.reference, kind=request.kind, controller=request.controller.id,
                            law=request.law.id, language=request.lang, region=person.address.region,
                            inputs=request.inputs() | {"without_letter": True}, sha256="", document="",
                            created_on=on)
        log_sent(journal, request.reference, on=on, via=via, received_on=received_on, evidence=evidence, today=today)
        return track(journal.get_request(request.reference), journal.events(request.reference), today)
