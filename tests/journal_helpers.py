"""Shared by the journal tests: requests and events without writing a letter."""

from __future__ import annotations

from datetime import date

from objector.journal import Event, Journal, Request

REF = "OBJ-2026-7K3F9Q"


def make_request(reference: str = REF, *, controller: str = "meta-ireland", law: str = "gdpr", region: str = "",
                 kind: str = "objection", created_on: date = date(2025, 1, 2), document: str = "letter.pdf") -> Request:
    return Request(reference=reference, kind=kind, controller=controller, law=law, language="en", region=region,
                   inputs={"purpose": "ai-training"}, sha256="ab" * 32, document=document, created_on=created_on)


def record(journal: Journal, request: Request) -> Request:
    """Store `request` as the lead's `letter` command does."""
    return journal.add_request(reference=request.reference, kind=request.kind, controller=request.controller,
                               law=request.law, language=request.language, region=request.region,
                               inputs=request.inputs, sha256=request.sha256, document=request.document,
                               created_on=request.created_on)


def add(reference: str = REF, **options) -> Request:
    """Record a request in the default journal ($OBJECTOR_HOME)."""
    with Journal.open() as journal:
        return record(journal, make_request(reference, **options))


class Timeline:
    """Events for tracking tests, numbered in order."""

    def __init__(self, reference: str = REF):
        self.reference = reference
        self.events: list[Event] = []

    def add(self, type_: str, on: date, **data) -> Timeline:
        data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
        self.events.append(Event(len(self.events) + 1, self.reference, type_, on, "2026-01-01T00:00:00Z", data))
        return self
