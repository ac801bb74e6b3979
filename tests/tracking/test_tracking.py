"""objector.tracking.timeline: receipt rules, states, the clock, and the checks on a new event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal_helpers import Timeline, make_request
from objector.errors import InputError
from objector.tracking.checks import check_event, default_via
from objector.tracking.timeline import CHANNELS, POST_DAYS_ABROAD, STATES, track

TODAY = date(2025, 6, 30)


def tracked(timeline: Timeline, today: date = TODAY, **request):
    return track(make_request(**request), timeline.events, today)


def sent(on: date, via: str = "email", **data) -> Timeline:
    return Timeline().add("drafted", date(2025, 1, 2)).add("sent", on, via=via, **data)


# --------------------------------------------------------------------------- legal.md's worked examples


@pytest.mark.parametrize(("received", "due"), [
    (date(2025, 1, 31), date(2025, 2, 28)),  # Fri -> Fri 28 Feb 2025
    (date(2026, 1, 31), date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday -> Mon 2 Mar
    (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
    (date(2025, 2, 17), date(2025, 3, 18)),  # 17 Mar is St Patrick's Day -> Tue 18 Mar
])
def test_gdpr_worked_examples_from_the_receipt_date(received, due):
    t = tracked(sent(received, "webform"), today=date(2026, 6, 1), created_on=date(2024, 1, 1))
    assert (t.received, t.due, t.receipt_assumed) == (received, due, False)


def test_st_patricks_day_is_named_in_the_derivation():
    t = tracked(sent(date(2025, 2, 17)))
    assert any("Saint Patrick's Day" in step and "Ireland" in step and "Tue 18 Mar 2025" in step
               for step in t.derivation)


def test_uk_gdpr_worked_example_uses_england_bank_holidays():
    t = tracked(sent(date(2025, 4, 26), "app"), controller="meta-inc", law="uk-gdpr")
    assert t.due == date(2025, 5, 27)
    assert any("bank holiday" in step for step in t.derivation)


def test_ccpa_worked_example_acknowledge_reply_and_extension():
    timeline = sent(date(2025, 1, 31))
    t = tracked(timeline, controller="meta-inc", law="ccpa", region="CA")
    assert (t.deadline.acknowledge_by, t.due) == (date(2025, 2, 14), date(2025, 3, 17))
    assert t.to_dict()["acknowledge_by"] == "2025-02-14"
    timeline.add("reply", date(2025, 3, 10), outcome="extended")
    t = tracked(timeline, date(2025, 3, 20), controller="meta-inc", law="ccpa", region="CA")
    assert (t.state, t.due, t.extended) == ("extended", date(2025, 5, 1), True)


# --------------------------------------------------------------------------- the receipt rules


@pytest.mark.parametrize("via", ["email", "webform", "app"])
def test_electronic_requests_are_received_the_day_they_are_sent(via):
    t = tracked(sent(date(2025, 3, 3), via))
    assert (t.sent, t.received, t.receipt_assumed, t.via) == (date(2025, 3, 3), date(2025, 3, 3), False, via)


def test_post_is_assumed_received_five_days_after_posting_and_says_so():
    t = tracked(sent(date(2025, 3, 3), "post"))
    assert (t.received, t.receipt_assumed) == (date(2025, 3, 8), True)
    assert t.due == date(2025, 4, 8)
    assert t.to_dict()["receipt_assumed"] is True
    assert any("assumed" in step for step in t.derivation)
    assert any("assumption" in note for note in t.notes)


def test_a_given_receipt_date_replaces_the_assumption():
    t = tracked(sent(date(2025, 3, 3), "post", received_on=date(2025, 3, 10)))
    assert (t.received, t.receipt_assumed) == (date(2025, 3, 10), False)


def test_a_confirmation_earlier_than_the_assumption_replaces_it():
    t = tracked(sent(date(2025, 3, 3), "post").add("confirmed", date(2025, 3, 5)), date(2025, 3, 15))
    assert (t.received, t.receipt_assumed, t.state, t.confirmed) == (date(2025, 3, 5), False, "confirmed",
                                                                      date(2025, 3, 5))


def test_a_confirmation_later_than_the_assumption_leaves_it():
    t = tracked(sent(date(2025, 3, 3), "post").add("confirmed", date(2025, 3, 12)), date(2025, 3, 15))
    assert (t.received, t.receipt_assumed, t.state) == (date(2025, 3, 8), True, "confirmed")


def test_a_confirmation_stating_the_receipt_date_gives_it():
    t = tracked(sent(date(2025, 3, 3), "post").add("confirmed", date(2025, 3, 12), received_on=date(2025, 3, 9)))
    assert (t.received, t.receipt_assumed) == (date(2025, 3, 9), False)


def test_an_early_reply_proves_receipt_too():
    t = tracked(sent(date(2025, 3, 3), "post").add("reply", date(2025, 3, 6), outcome="complied"))
    assert (t.received, t.receipt_assumed, t.days_to_reply) == (date(2025, 3, 6), False, 0)


def test_a_receipt_date_logged_after_a_confirmation_keeps_the_confirmation():
    timeline = sent(date(2025, 3, 3), "post").add("confirmed", date(2025, 3, 12))
    timeline.add("sent", date(2025, 3, 3), via="post", received_on=date(2025, 3, 6))
    t = tracked(timeline, date(2025, 3, 15))
    assert (t.state, t.confirmed, t.received, t.receipt_assumed) == ("confirmed", date(2025, 3, 12), date(2025, 3, 6),
                                                                      False)


def test_the_last_sent_event_counts():
    t = tracked(sent(date(2025, 3, 3), "post").add("sent", date(2025, 3, 20), via="email"))
    assert (t.sent, t.via, t.received, t.receipt_assumed) == (date(2025, 3, 20), "email", date(2025, 3, 20), False)


# --------------------------------------------------------------------------- states and the clock


def test_drafted_until_sent():
    t = tracked(Timeline().add("drafted", date(2025, 1, 2)))
    assert (t.state, t.due, t.days_left, t.overdue) == ("drafted", None, None, False)


def test_days_left_and_overdue():
    timeline = sent(date(2025, 1, 31))  # due Fri 28 Feb 2025
    assert (tracked(timeline, date(2025, 2, 20)).state, tracked(timeline, date(2025, 2, 20)).days_left) == ("sent", 8)
    on_the_day = tracked(timeline, date(2025, 2, 28))
    assert (on_the_day.state, on_the_day.days_left, on_the_day.overdue) == ("sent", 0, False)
    late = tracked(timeline, date(2025, 3, 3))
    assert (late.state, late.days_left, late.overdue) == ("overdue", -3, True)


def test_gdpr_extension_counts_three_months_from_receipt_and_states_the_open_question():
    timeline = sent(date(2025, 1, 31)).add("reply", date(2025, 2, 20), outcome="extended")
    t = tracked(timeline, date(2025, 3, 10))
    assert (t.state, t.due, t.extended) == ("extended", date(2025, 4, 30), True)
    assert any("three months from receipt" in step for step in t.derivation)
    assert any("Open question" in note for note in t.notes)


def test_an_extension_announced_after_the_first_deadline_is_flagged():
    t = tracked(sent(date(2025, 1, 31)).add("reply", date(2025, 3, 5), outcome="extended"), date(2025, 3, 10))
    assert any("may not be valid" in note for note in t.notes)


def test_lgpd_has_no_extension_and_says_so():
    t = tracked(sent(date(2025, 3, 3)).add("reply", date(2025, 3, 10), outcome="extended"),
                date(2025, 3, 12), controller="meta-inc", law="lgpd")
    assert t.due == date(2025, 3, 18)
    assert any("provides none" in note for note in t.notes)


def test_needs_id_stops_the_clock_and_supplied_restarts_it_under_uk_gdpr():
    timeline = sent(date(2025, 4, 26), "app").add("reply", date(2025, 5, 1), outcome="needs-id")
    waiting = tracked(timeline, date(2025, 7, 1), controller="meta-inc", law="uk-gdpr")
    assert (waiting.state, waiting.due, waiting.days_left, waiting.overdue) == ("waiting-for-you", None, None, False)
    assert waiting.paused_since == date(2025, 5, 1)
    timeline.add("supplied", date(2025, 5, 6))
    t = tracked(timeline, date(2025, 5, 10), controller="meta-inc", law="uk-gdpr")
    assert (t.state, t.clock_start, t.due) == ("sent", date(2025, 5, 6), date(2025, 6, 6))
    assert any("under the UK GDPR the clock starts again" in step for step in t.derivation)


def test_gdpr_applies_the_same_restart_and_says_whose_rule_it_is():
    timeline = sent(date(2025, 1, 31)).add("reply", date(2025, 2, 5), outcome="needs-id").add("supplied",
                                                                                            date(2025, 2, 10))
    t = tracked(timeline, date(2025, 2, 11))
    assert (t.clock_start, t.due) == (date(2025, 2, 10), date(2025, 3, 10))
    assert any("UK GDPR's rule" in step and "objector applies the same restart" in step for step in t.derivation)


@pytest.mark.parametrize("outcome", ["complied", "refused", "partial", "other"])
def test_a_final_reply_answers_the_request(outcome):
    t = tracked(sent(date(2025, 1, 31)).add("reply", date(2025, 2, 14), outcome=outcome))
    assert (t.state, t.outcome, t.answered, t.days_to_reply, t.answered_late) == (
        "answered", outcome, date(2025, 2, 14), 14, False)
    assert (t.days_left, t.overdue) == (None, False)


def test_a_late_answer_is_marked_late():
    t = tracked(sent(date(2025, 1, 31)).add("reply", date(2025, 3, 5), outcome="refused"))
    assert (t.days_to_reply, t.answered_late) == (33, True)


def test_an_unknown_controller_gives_no_deadline_but_says_why():
    t = tracked(sent(date(2025, 1, 31)), controller="nobody")
    assert (t.state, t.due) == ("sent", None)
    assert any("nobody" in note for note in t.notes)


@settings(max_examples=60, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.sampled_from(CHANNELS),
       st.integers(0, 20), st.integers(0, 200))
def test_any_sending_gives_a_consistent_state(sent_on, via, confirm_after, today_after):
    timeline = Timeline().add("sent", sent_on, via=via).add("confirmed", sent_on + timedelta(days=confirm_after))
    t = track(make_request(created_on=date(2020, 1, 1)), timeline.events, sent_on + timedelta(days=today_after))
    assert t.state in STATES
    assert sent_on <= t.received <= sent_on + timedelta(days=POST_DAYS_ABROAD + 4)  # + a Sunday and holidays
    assert 28 <= (t.due - t.received).days <= 34
    assert t.overdue == (t.today > t.due)


# --------------------------------------------------------------------------- checking a new event


def check(timeline: Timeline, type_: str, on: date | None, today: date = TODAY, **data):
    return check_event(make_request(), timeline.events, type_, on, data, today)


@pytest.mark.parametrize(("type_", "data", "message"), [
    ("sent", {"via": "email"}, "in the future"),
    ("note", {"note": "x"}, "in the future"),
])
def test_no_event_in_the_future(type_, data, message):
    with pytest.raises(InputError, match=message):
        check(Timeline(), type_, TODAY + timedelta(days=1), **data)


def test_sent_before_the_letter_was_written_is_refused():
    with pytest.raises(InputError, match="before the letter was drafted"):
        check(Timeline(), "sent", date(2025, 1, 1), via="post")


@pytest.mark.parametrize("type_", ["confirmed", "reply", "supplied"])
def test_nothing_comes_back_before_it_was_sent(type_):
    with pytest.raises(InputError, match="has not been logged as sent"):
        check(Timeline(), type_, date(2025, 2, 1), outcome="complied")
    with pytest.raises(InputError, match="before the request was sent"):
        check(sent(date(2025, 2, 10)), type_, date(2025, 2, 1), outcome="complied")


def test_unknown_outcome_and_channel_are_named():
    with pytest.raises(InputError, match="'maybe' is not an outcome"):
        check(sent(date(2025, 2, 10)), "reply", date(2025, 2, 11), outcome="maybe")
    with pytest.raises(InputError, match="'fax' is not a way of sending"):
        check(Timeline(), "sent", date(2025, 2, 11), via="fax")


def test_received_on_must_fall_between_sending_and_today():
    with pytest.raises(InputError, match="before the request was sent"):
        check(Timeline(), "sent", date(2025, 2, 11), via="post", received_on="2025-02-10")
    with pytest.raises(InputError, match="in the future"):
        check(Timeline(), "sent", date(2025, 2, 11), via="post", received_on="2025-07-10")
    with pytest.raises(InputError, match="after the confirmation"):
        check(sent(date(2025, 2, 10)), "confirmed", date(2025, 2, 12), received_on="2025-02-13")


def test_supplied_needs_a_request_for_id_first():
    with pytest.raises(InputError, match="has not asked for ID"):
        check(sent(date(2025, 2, 10)), "supplied", date(2025, 2, 12))
    timeline = sent(date(2025, 2, 10)).add("reply", date(2025, 2, 15), outcome="needs-id")
    with pytest.raises(InputError, match="before the controller asked"):
        check(timeline, "supplied", date(2025, 2, 12))
    assert check(timeline, "supplied", date(2025, 2, 16))[0] == date(2025, 2, 16)


def test_a_sent_date_after_a_logged_reply_is_refused():
    timeline = sent(date(2025, 2, 10)).add("reply", date(2025, 2, 15), outcome="complied")
    with pytest.raises(InputError, match="reply is logged on 2025-02-15"):
        check(timeline, "sent", date(2025, 2, 20), via="post")


def test_a_sent_date_after_a_stated_receipt_date_is_refused():
    timeline = sent(date(2025, 2, 10), "post").add("confirmed", date(2025, 2, 20), received_on=date(2025, 2, 12))
    with pytest.raises(InputError, match="gives a receipt on 2025-02-12"):
        check(timeline, "sent", date(2025, 2, 14), via="post")


def test_logging_sent_again_without_a_date_only_adds_the_receipt_date():
    timeline = sent(date(2025, 2, 10), "post")
    on, data = check(timeline, "sent", None, received_on="2025-02-13")
    assert (on, data) == (date(2025, 2, 10), {"via": "post", "received_on": "2025-02-13"})


def test_defaults():
    assert check(Timeline(), "note", None, note="called")[0] == TODAY
    assert check(Timeline(), "sent", None)[1]["via"] == "post"  # letter.pdf
    assert [default_via(n) for n in ("a.pdf", "a.eml", "a.txt", "a.HTML", "a")] == [
        "post", "email", "webform", "post", "post"]
    with pytest.raises(InputError, match="needs some text"):
        check(Timeline(), "note", None, note="  ")


# --------------------------------------------------------------------------- assumed postal receipt


def posted_from(country: str, on: date, today: date = TODAY):
    from dataclasses import replace

    request = replace(make_request(), inputs={"purpose": "ai-training", "profile": {"address": {"country": country}}})
    return track(request, sent(on, "post").events, today)


def test_assumed_receipt_on_a_sunday_or_holiday_moves_to_the_next_working_day():
    domestic = posted_from("IE", date(2025, 3, 4))  # +5 = Sun 9 Mar -> Mon 10 Mar
    assert (domestic.received, domestic.receipt_assumed) == (date(2025, 3, 10), True)
    assert any("Sun 9 Mar 2025 is a Sunday" in note for note in domestic.notes)
    holiday = posted_from("IE", date(2025, 3, 12))  # +5 = Mon 17 Mar, St Patrick's Day -> Tue 18 Mar
    assert holiday.received == date(2025, 3, 18)
    assert any("St. Patrick" in step or "Patrick" in step for step in holiday.derivation)
    ordinary = posted_from("IE", date(2025, 3, 3))  # +5 = Sat 8 Mar: post is delivered on Saturdays
    assert ordinary.received == date(2025, 3, 8)


def test_international_post_is_assumed_to_take_longer():
    abroad = posted_from("DE", date(2025, 3, 3))  # Berlin to Dublin: +8 = Tue 11 Mar
    assert abroad.received == date(2025, 3, 3 + POST_DAYS_ABROAD) and abroad.receipt_assumed
    assert any("to another country" in step for step in abroad.derivation)
    assert posted_from("IE", date(2025, 3, 3)).received < abroad.received
