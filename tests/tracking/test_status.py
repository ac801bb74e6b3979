"""`status` summed up in SQL from the standing cache (objector.tracking.status): the same counts, follow-ups and
controller figures as folding every request gives, a summary and the most urgent N by default, --all for all."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from test_standing import REQUESTS, TIMELINES

from helpers import ok
from journal_helpers import make_request, record
from objector.journal import Journal
from objector.tracking.status import status_view, urgency
from objector.tracking.timeline import OPEN_STATES, track

HIDDEN = {"answered", "discarded", "drafted"}


def _journal_of_every_timeline() -> dict[str, tuple]:
    """Each timeline of test_standing under each law, as a request of the journal; one refusal with a complaint
    noted. Returns reference → (request, events)."""
    made = {}
    with Journal.open() as journal:
        for n, (law, options) in enumerate(REQUESTS.items()):
            for m, (name, timeline) in enumerate(TIMELINES.items()):
                request = make_request(f"OBJ-2026-{n}{m:05d}", created_on=date(2025, 3, 1), **options)
                record(journal, request)
                with journal.transaction():
                    for e in timeline.events:
                        journal._append(request.reference, e.type, e.on, e.data)
                    if name == "answered" and law == "gdpr":
                        journal._append(request.reference, "note", date(2025, 4, 1),
                                        {"note": "complaint written", "complaint": {"reference": "CMP-2025-000000"}})
                made[request.reference] = (request, journal.events(request.reference))
    return made


def _expected_stats(trackings) -> list[tuple]:
    """controller_stats as it was computed from folded trackings, for comparison."""
    out = []
    for controller in sorted({t.request.controller for t in trackings}):
        mine = [t for t in trackings if t.request.controller == controller and t.state not in ("drafted", "discarded")]
        answered = [t for t in mine if t.answered is not None]
        days = [t.days_to_reply for t in answered if t.days_to_reply is not None]
        states = Counter(t.state for t in mine)
        out.append((controller, len(mine), sum(states[s] for s in (*OPEN_STATES, "waiting-for-you")), states["overdue"],
                    states["answered"], round(sum(days) / len(days), 1) if days else None, min(days, default=None),
                    max(days, default=None), sum(bool(t.answered_late) for t in answered)))
    return out


@pytest.mark.parametrize("today", [date(2025, 3, 3), date(2025, 4, 2), date(2025, 4, 20), date(2025, 6, 1),
                                   date(2026, 5, 1)])
def test_the_summary_in_sql_is_what_folding_every_request_gives(monkeypatch, today):
    made = _journal_of_every_timeline()
    monkeypatch.setenv("OBJECTOR_TODAY", today.isoformat())
    trackings = sorted((track(request, events, today) for request, events in made.values()), key=urgency)
    complained = {ref for ref, (_, events) in made.items() if any(e.data.get("complaint") for e in events)}
    view = status_view(HIDDEN, None)
    assert view.counts == dict(Counter(t.state for t in trackings))
    assert [t.to_dict() for t in view.shown] == [t.to_dict() for t in trackings if t.state not in HIDDEN]
    unreminded = [t.request.reference for t in trackings if t.overdue and t.last_limit is None]
    assert view.unreminded == (len(unreminded), unreminded[0] if unreminded else None)
    ready = [t.request.reference for t in trackings if t.request.reference not in complained and (
        t.outcome in ("refused", "partial") if t.state == "answered" else t.last_limit_passed)]
    assert view.ready == (len(ready), ready[0] if ready else None)
    assert [tuple(s.to_dict().values()) for s in view.stats] == _expected_stats(trackings)


def test_controller_figures(monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-06-30")
    with Journal.open() as journal:
        for i, days in enumerate((10, 20, 40, None)):
            reference = f"OBJ-2025-00000{i}"
            record(journal, make_request(reference))
            with journal.transaction():
                journal._append(reference, "sent", date(2025, 1, 31), {"via": "email"})
                if days is not None:
                    journal._append(reference, "reply", date(2025, 1, 31) + timedelta(days=days), {"outcome": "complied"})
    (stats,) = status_view(HIDDEN, None).stats  # the fourth is overdue
    assert (stats.controller, stats.requests, stats.answered, stats.open, stats.overdue) == ("meta-ireland", 4, 3, 1, 1)
    assert (stats.average_days, stats.fastest, stats.slowest, stats.late) == (23.3, 10, 40, 1)


@pytest.fixture
def many(monkeypatch):
    """30 requests sent a day apart (the earliest the most overdue), 3 answered, 2 drafts."""
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-06-30")
    with Journal.open() as journal, journal.transaction():
        for n in range(32):
            reference = f"OBJ-2025-{n:06d}"
            record(journal, make_request(reference))
            if n < 30:
                journal._append(reference, "sent", date(2025, 4, 1) + timedelta(days=n), {"via": "email"})
            if n in (5, 6, 7):
                journal._append(reference, "reply", date(2025, 5, 20), {"outcome": "complied"})
    return [f"OBJ-2025-{n:06d}" for n in range(32)]


def _listed(output: str) -> list[str]:
    return [line.split()[0] for line in output.splitlines() if line.startswith("OBJ-2025-")]


def test_status_sums_up_and_lists_the_most_urgent_twenty(invoke, many):
    out = ok(invoke("status")).stdout
    lines = out.splitlines()
    assert lines[0] == "27 requests: 27 overdue."  # sent 1 Apr to 29 Apr (e-mail): due 2 May to 29 May
    listed = _listed(out)
    assert listed == [r for n, r in enumerate(many) if n < 30 and n not in (5, 6, 7)][:20]  # the oldest due first
    assert "Listed: the 20 most urgent of 27; `objector status --limit 100` lists more, `--all` every request." in out
    assert "27 requests overdue: `objector followup OBJ-2025-000000` writes the reminder." in out
    assert "Not shown: 3 answered requests and 2 drafts (--drafts, --all lists everything)." in out

    assert _listed(ok(invoke("status", "--limit", "3")).stdout) == listed[:3]
    drafts = ok(invoke("status", "--drafts", "-n", "40")).stdout
    assert drafts.splitlines()[0] == "29 requests: 27 overdue, 2 drafted."
    assert _listed(drafts)[-2:] == many[30:] and "Listed:" not in drafts


def test_status_all_lists_every_request_of_every_state(invoke, many):
    out = ok(invoke("status", "--all")).stdout
    assert out.splitlines()[0] == "32 requests: 27 overdue, 2 drafted, 3 answered."
    assert sorted(_listed(out)) == many and "Listed:" not in out and "Not shown" not in out
    assert len(_listed(ok(invoke("status", "--all", "--limit", "4")).stdout)) == 4


def test_status_json_lists_every_request_unless_limited(invoke, many):
    rows = json.loads(ok(invoke("status", "--json")).stdout)
    assert len(rows) == 27 and rows[0]["reference"] == many[0]
    assert [r["reference"] for r in json.loads(ok(invoke("status", "--json", "-n", "2")).stdout)] == many[:2]
    assert len(json.loads(ok(invoke("status", "--all", "--json")).stdout)) == 32


def test_status_refuses_a_limit_below_one(invoke, many):
    result = invoke("status", "--limit", "0")
    assert result.exit_code == 2 and "--limit" in result.output


def test_a_journal_of_twenty_open_requests_lists_every_one(invoke, monkeypatch):
    """The limit only cuts a longer list: 20 open requests are all listed, with no line about the others."""
    monkeypatch.setenv("OBJECTOR_TODAY", "2025-04-10")
    with Journal.open() as journal, journal.transaction():
        for n in range(20):
            reference = f"OBJ-2025-{n:06d}"
            record(journal, make_request(reference))
            journal._append(reference, "sent", date(2025, 4, 1) + timedelta(days=n % 5), {"via": "email"})
    result = ok(invoke("status"))
    assert result.stdout.splitlines()[0] == "20 requests: 20 sent."
    assert len(_listed(result.stdout)) == 20 and "Listed:" not in result.stdout
