"""Tests for objector.law.deadlines: legal.md's worked examples, edge cases and properties."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from objector.law.deadlines import (
    LAWS,
    Deadline,
    add_business_days,
    add_months,
    compute_deadline,
    days_left,
    holiday_name,
    is_working_day,
    next_working_day,
)

# --------------------------------------------------------------------------- legal.md worked examples


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),  # Fri 31 Jan 2025 -> Fri 28 Feb 2025
        (date(2026, 1, 31), date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday -> Mon 2 Mar
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
        (date(2025, 2, 17), date(2025, 3, 18)),  # St Patrick's Day -> Tue 18 Mar
    ],
)
def test_gdpr_ireland_worked_examples(received, due):
    d = compute_deadline("gdpr", received, holiday_country="IE")
    assert isinstance(d, Deadline)
    assert d.law == "gdpr"
    assert d.start == received
    assert d.due == due
    assert d.extended is False
    assert d.acknowledge_by is None
    assert "Art. 12(3)" in d.rule and "1182/71" in d.rule


def test_gdpr_st_patricks_day_step():
    d = compute_deadline("gdpr", date(2025, 2, 17), holiday_country="IE")
    assert d.steps[0] == "Received Mon 17 Feb 2025; the day of receipt is not counted."
    assert "One month later is Mon 17 Mar 2025." in d.steps
    roll = [s for s in d.steps if "Patrick's Day" in s]
    assert len(roll) == 1
    assert "Ireland" in roll[0] and "Tue 18 Mar 2025" in roll[0]


@pytest.mark.parametrize(("start", "cited"), [(date(2026, 3, 2), "Art. 12A(1) UK GDPR and the ICO's guidance"),
                                               (date(2025, 4, 26), "the ICO's guidance")])
def test_uk_period_runs_from_the_day_of_receipt_to_the_corresponding_date(start, cited):
    """The UK counts the day of receipt itself (Art. 12A(1) UK GDPR: a month "beginning with" it; ICO guidance):
    no step says it is left out, and Article 12A is named once it is in force (5 February 2026)."""
    d = compute_deadline("uk-gdpr", start)
    assert d.steps[0].endswith(f"the period runs from that day to the corresponding date ({cited}).")
    assert not any("not counted" in step for step in d.steps)
    assert d.rule.startswith("UK GDPR Arts. 12(3) and 12A:" if start.year == 2026 else "UK GDPR Art. 12(3):")
    assert d.due == (date(2026, 4, 2) if start.year == 2026 else date(2025, 5, 27))


def test_gdpr_missing_date_and_weekend_steps():
    d = compute_deadline("gdpr", date(2026, 1, 31), holiday_country="IE")
    text = " ".join(d.steps)
    assert "last day of February" in text and "Sat 28 Feb 2026" in text
    assert "Saturday" in text and d.steps[-1].endswith("Mon 2 Mar 2026.")


def test_uk_gdpr_england_worked_example():
    d = compute_deadline("uk-gdpr", date(2025, 4, 26))
    assert d.due == date(2025, 5, 27)  # 26 May 2025 is the Spring Bank Holiday
    assert any("Mon 26 May 2025" in s and "bank holiday" in s for s in d.steps)


def test_uk_gdpr_subdivision_changes_calendar():
    # 4 Aug 2025 is the Summer Bank Holiday in Scotland only; 25 Aug 2025 in England only.
    eng = compute_deadline("uk-gdpr", date(2025, 7, 4))
    sct = compute_deadline("uk-gdpr", date(2025, 7, 4), holiday_subdivision="SCT")
    assert eng.due == date(2025, 8, 4)
    assert sct.due == date(2025, 8, 5)
    assert compute_deadline("uk-gdpr", date(2025, 7, 25)).due == date(2025, 8, 26)
    assert compute_deadline("uk-gdpr", date(2025, 7, 25), holiday_subdivision="SCT").due == date(
        2025, 8, 25
    )


def test_ccpa_worked_example():
    d = compute_deadline("ccpa", date(2025, 1, 31))
    assert d.acknowledge_by == date(2025, 2, 14)
    assert d.due == date(2025, 3, 17)
    assert d.extended is False
    assert any("calendar days" in s for s in d.steps)
    ext = compute_deadline("ccpa", date(2025, 1, 31), extended=True)
    assert ext.due == date(2025, 5, 1)
    assert ext.extended is True
    assert ext.acknowledge_by == date(2025, 2, 14)


def test_ccpa_acknowledgement_skips_california_holidays():
    # Fri 14 Feb 2025 + 10 business days: 17 Feb is Presidents' Day -> Mon 3 Mar 2025.
    assert compute_deadline("ccpa", date(2025, 2, 14)).acknowledge_by == date(2025, 3, 3)


def test_ccpa_due_does_not_roll_off_weekend():
    # 15 Jan 2025 + 45 days = Sat 1 Mar 2025: calendar days, no roll.
    d = compute_deadline("ccpa", date(2025, 1, 15))
    assert d.due == date(2025, 3, 1)
    assert d.due.weekday() == 5


# Each state's reply rule names the section controllers.md gives for it (New Jersey: N.J.S.A. 56:8-166.7(a), checked
# against the statute's text on casetext.com and lexace.ai).
@pytest.mark.parametrize(
    ("law", "cited"),
    [
        ("us-va", "VCDPA (Va. Code §59.1-577(B))"),
        ("us-co", "CPA (C.R.S. §6-1-1306)"),
        ("us-ct", "CTDPA (Conn. Gen. Stat. §42-518(c)(1))"),
        ("us-tx", "TDPSA (Tex. Bus. & Com. Code §541.052(b))"),
        ("us-or", "OCPA (ORS 646A.576)"),
        ("us-nj", "NJDPA (N.J.S.A. 56:8-166.7(a))"),
    ],
)
def test_us_state_laws_45_days_extended_to_90(law, cited):
    d = compute_deadline(law, date(2025, 1, 15))
    assert d.due == date(2025, 3, 1)  # Sat 1 Mar 2025: calendar days, no roll off the weekend
    assert d.rule.startswith(cited) and "45 days of receipt" in d.rule and d.acknowledge_by is None
    ext = compute_deadline(law, date(2025, 1, 15), extended=True)
    assert ext.due == date(2025, 4, 15) and ext.extended and "90 days" in ext.rule
    assert any("notice within the first 45 days" in a for a in ext.assumptions)
    assert not any("UNVERIFIED" in a for a in d.assumptions)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2025, 2, 14), date(2025, 3, 10)),  # Mon 17 Feb 2025 is Presidents' Day
        (date(2025, 3, 17), date(2025, 4, 8)),  # Mon 31 Mar 2025 is Cesar Chavez Day, a California holiday
        (date(2025, 3, 14), date(2025, 4, 7)),  # the same holiday: Mon 7 Apr, not Fri 4 Apr
    ],
)
def test_ccpa_opt_out_counts_15_california_business_days(received, due):
    d = compute_deadline("ccpa", received, kind="opt-out")
    assert d.due == due and d.acknowledge_by is None and "§7026" in d.rule
    assert not d.assumptions
    with pytest.raises(ValueError, match="no extension"):
        compute_deadline("ccpa", received, kind="opt-out", extended=True)


def test_ccpa_limit_request_is_due_in_15_business_days_under_7027_g_1():
    d = compute_deadline("ccpa", date(2025, 3, 17), kind="limit-sensitive")
    assert d.due == date(2025, 4, 8) and "11 CCR §7027(g)(1)" in d.rule and "no later than 15 business days" in d.rule
    assert not d.assumptions
    # The CCPA's other requests keep the 10-business-day confirmation and the 45 days.
    assert compute_deadline("ccpa", date(2025, 1, 31), kind="erasure").due == date(2025, 3, 17)


def test_extendable():
    from objector.law.deadlines import extendable

    assert extendable("ccpa", "access") and extendable("us-tx", "opt-out") and extendable("gdpr")
    assert not extendable("ccpa", "opt-out") and not extendable("ccpa", "limit-sensitive") and not extendable("lgpd")


@pytest.mark.parametrize(
    ("law", "days", "ext_days"),
    [("us-state", 45, 90), ("lgpd", 15, None), ("fadp", 30, None)],
)
def test_calendar_day_laws(law, days, ext_days):
    start = date(2025, 1, 31)
    d = compute_deadline(law, start)
    assert d.due == start + timedelta(days=days)
    assert d.acknowledge_by is None
    if ext_days is None:
        with pytest.raises(ValueError, match="extension"):
            compute_deadline(law, start, extended=True)
        assert any("UNVERIFIED" in a for a in d.assumptions)
    else:
        assert compute_deadline(law, start, extended=True).due == start + timedelta(days=ext_days)


def test_us_state_saturday_end_is_kept():
    d = compute_deadline("us-state", date(2025, 1, 15))
    assert d.due == date(2025, 3, 1)


# --------------------------------------------------------------------------- extension


def test_gdpr_extension_three_months_from_receipt():
    d = compute_deadline("gdpr", date(2025, 2, 17), holiday_country="IE", extended=True)
    # 17 May 2025 is a Saturday -> Mon 19 May 2025
    assert d.due == date(2025, 5, 19)
    assert d.extended is True
    assert "three months from receipt" in d.rule
    assert any("three months from receipt" in s for s in d.steps)
    assert any("Open question" in a and "first deadline" in a for a in d.assumptions)


def test_gdpr_extension_clamps_to_month_end():
    # 30 Nov 2024 + 3 months -> 28 Feb 2025 (Fri, working day in IE)
    d = compute_deadline("gdpr", date(2024, 11, 30), holiday_country="IE", extended=True)
    assert d.due == date(2025, 2, 28)


def test_uk_gdpr_extension():
    d = compute_deadline("uk-gdpr", date(2025, 2, 26), extended=True)
    assert d.due == date(2025, 5, 27)  # 26 May 2025 bank holiday -> Tue 27 May
    assert d.extended is True


# --------------------------------------------------------------------------- German Easter: 35 days


def test_gdpr_germany_easter_can_give_35_days():
    # 18 Apr 2025 is Good Friday; Sat, Sun, Easter Monday follow -> Tue 22 Apr 2025.
    d = compute_deadline("gdpr", date(2025, 3, 18), holiday_country="DE")
    assert d.due == date(2025, 4, 22)
    assert (d.due - d.start).days == 35
    assert "Good Friday" in " ".join(d.steps)  # English holiday names, not German


# --------------------------------------------------------------------------- errors


def test_unknown_law():
    with pytest.raises(ValueError, match="unknown law"):
        compute_deadline("hipaa", date(2025, 1, 1))


def test_all_laws_accepted():
    for law in LAWS:
        kwargs = {"holiday_country": "IE"} if law == "gdpr" else {}
        assert compute_deadline(law, date(2025, 1, 1), **kwargs).due > date(2025, 1, 1)


def test_gdpr_requires_holiday_country():
    with pytest.raises(ValueError, match="holiday_country"):
        compute_deadline("gdpr", date(2025, 1, 1))


def test_unknown_country():
    with pytest.raises(ValueError, match="unknown holiday country"):
        compute_deadline("gdpr", date(2025, 1, 1), holiday_country="XX")
    with pytest.raises(ValueError, match="unknown holiday country"):
        is_working_day(date(2025, 1, 4), "XX")  # a Saturday: still validated
    with pytest.raises(ValueError):
        next_working_day(date(2025, 1, 1), "ZZ")


def test_unknown_subdivision():
    with pytest.raises(ValueError, match="subdivision"):
        compute_deadline("uk-gdpr", date(2025, 1, 1), holiday_subdivision="XYZ")
    with pytest.raises(ValueError, match="subdivision"):
        holiday_name(date(2025, 1, 1), "DE", "QQ")


def test_lgpd_extended_error():
    with pytest.raises(ValueError):
        compute_deadline("lgpd", date(2025, 1, 1), extended=True)


def test_country_code_case_insensitive():
    assert compute_deadline("gdpr", date(2025, 2, 17), holiday_country="ie").due == date(2025, 3, 18)


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("d", "n", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day, next year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # 2000 is a leap year
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # 2100 is not
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # December -> January
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 1, 15), 0, date(2025, 1, 15)),
        (date(2025, 1, 15), 24, date(2027, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
    ],
)
def test_add_months(d, n, expected):
    assert add_months(d, n) == expected


def test_is_working_day_and_holiday_name():
    assert holiday_name(date(2025, 3, 17), "IE") == "Saint Patrick's Day"
    assert holiday_name(date(2025, 3, 18), "IE") is None
    assert holiday_name(date(2026, 5, 17), "NO", language="nb") == "Grunnlovsdag"  # Norway's calendar codes it "no"
    assert not is_working_day(date(2025, 3, 17), "IE")
    assert is_working_day(date(2025, 3, 17), "GB", "ENG")
    assert not is_working_day(date(2025, 3, 15), "IE")  # Saturday
    assert is_working_day(date(2025, 3, 18), "IE")
    assert holiday_name(date(2025, 12, 25), "DE") == "Christmas Day"


def test_next_working_day():
    assert next_working_day(date(2025, 3, 18), "IE") == date(2025, 3, 18)  # itself
    assert next_working_day(date(2025, 3, 15), "IE") == date(2025, 3, 18)  # Sat, Sun, St Patrick's
    # IE Christmas 2025: Thu 25 Dec, Fri 26 Dec St Stephen's, then the weekend -> Mon 29 Dec
    assert next_working_day(date(2025, 12, 25), "IE") == date(2025, 12, 29)
    # across a year boundary: Wed 31 Dec 2025 is a working day, Thu 1 Jan 2026 is not
    assert next_working_day(date(2026, 1, 1), "IE") == date(2026, 1, 2)


def test_add_business_days():
    assert add_business_days(date(2025, 1, 31), 10, "US", "CA") == date(2025, 2, 14)
    assert add_business_days(date(2025, 1, 31), 0, "US", "CA") == date(2025, 1, 31)
    assert add_business_days(date(2025, 1, 31), 1, "US", "CA") == date(2025, 2, 3)  # Fri -> Mon
    # Cesar Chavez Day (Mon 31 Mar 2025) is a California holiday but not a federal one
    assert add_business_days(date(2025, 3, 28), 1, "US", "CA") == date(2025, 4, 1)
    assert add_business_days(date(2025, 3, 28), 1, "US") == date(2025, 3, 31)
    with pytest.raises(ValueError):
        add_business_days(date(2025, 1, 1), -1, "US", "CA")


def test_days_left():
    assert days_left(date(2025, 3, 18), date(2025, 3, 18)) == 0
    assert days_left(date(2025, 3, 18), date(2025, 3, 8)) == 10
    assert days_left(date(2025, 3, 18), date(2025, 3, 20)) == -2


def test_deadline_is_frozen():
    d = compute_deadline("ccpa", date(2025, 1, 31))
    with pytest.raises(AttributeError):
        d.due = date(2030, 1, 1)  # type: ignore[misc]


def test_import_does_not_load_holidays():
    code = "import sys, objector.law.deadlines; print('holidays' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- properties

DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
EU = st.sampled_from(["IE", "DE", "FR"])
# Longest roll after the one-month end: 3 days for IE and FR (a holiday next to a weekend) after a
# 31-day month gives 34; DE Good Friday to Easter Monday (4 days) after a 31-day month gives 35.
MAX_DAYS = {"IE": 34, "FR": 34, "DE": 35}

FAST = settings(max_examples=150, deadline=None)


@FAST
@given(start=DATES, country=EU)
def test_gdpr_due_is_working_day(start, country):
    due = compute_deadline("gdpr", start, holiday_country=country).due
    assert due.weekday() < 5
    assert holiday_name(due, country) is None


@FAST
@given(start=DATES, country=EU)
def test_gdpr_due_28_to_34_days(start, country):
    d = compute_deadline("gdpr", start, holiday_country=country)
    assert 28 <= (d.due - start).days <= MAX_DAYS[country]
    # and the roll is exactly to the first working day on or after the month end
    end = add_months(start, 1)
    assert d.due == next_working_day(end, country)
    assert all(not is_working_day(end + timedelta(i), country) for i in range((d.due - end).days))


@FAST
@given(a=DATES, b=DATES, country=EU)
def test_gdpr_monotonic(a, b, country):
    d1, d2 = sorted((a, b))
    assert (compute_deadline("gdpr", d1, holiday_country=country).due
            <= compute_deadline("gdpr", d2, holiday_country=country).due)


@FAST
@given(start=DATES, country=EU)
def test_gdpr_extended_later(start, country):
    normal = compute_deadline("gdpr", start, holiday_country=country)
    ext = compute_deadline("gdpr", start, holiday_country=country, extended=True)
    assert ext.due > normal.due
    assert ext.due == next_working_day(add_months(start, 3), country)


@FAST
@given(d=DATES, n=st.integers(min_value=-48, max_value=48))
def test_add_months_properties(d, n):
    r = add_months(d, n)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day == d.day or (r.day < d.day and (r + timedelta(days=1)).day == 1)
