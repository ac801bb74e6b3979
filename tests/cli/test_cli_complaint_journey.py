"""The complaint as a person meets it: a letter written before the German Land was set, the address a complaint is
posted to named before the one that is outdated, and the step that follows printed by the command."""

from __future__ import annotations

import json

import pytest

from helpers import flat, ok, pdf_text, write_profile

BERLIN = {"lines": ["Lindenstraße 5"], "postcode": "10115", "city": "Berlin", "country": "DE", "region": ""}


@pytest.fixture
def refused(invoke, tmp_path, monkeypatch):
    """A refused access request of a person in Berlin whose profile named no Land when the letter was written."""
    def make(address: dict = BERLIN, **fields) -> tuple[str, object]:
        monkeypatch.setenv("OBJECTOR_TODAY", "2026-12-10")
        profile = write_profile(tmp_path, language="de", address=address, **fields)
        ref = json.loads(ok(invoke("letter", "access", "meta", "--profile", profile, "-f", "txt", "-o", "a.txt",
                                   "--date", "2026-11-30", "--json")).stdout)["reference"]
        ok(invoke("log", "sent", ref, "--via", "email", "--on", "2026-11-30"))
        ok(invoke("log", "reply", ref, "--outcome", "refused", "--on", "2026-12-10"))
        return ref, profile
    return make


def test_profile_edit_region_is_enough_for_a_letter_written_without_the_land(invoke, refused, objector_home, tmp_path):
    ref, profile = refused()
    first = invoke("complaint", ref, "-o", "c.txt")
    assert first.exit_code == 3 and "`objector profile edit region BE`" in first.stderr
    assert not (tmp_path / "c.txt").exists()
    objector_home.mkdir(exist_ok=True)
    (objector_home / "profile.toml").write_text(profile.read_text("utf-8"), "utf-8")  # the saved profile
    ok(invoke("profile", "edit", "region", "BE"))
    result = ok(invoke("complaint", ref, "-o", "c.txt"))
    assert "complaint to Berliner Beauftragte für Datenschutz und Informationsfreiheit (de-be)" in result.stdout
    assert "your region BE taken from your current profile" in result.stdout
    assert "Berlin, Deutschland" in flat((tmp_path / "c.txt").read_text("utf-8"))  # the Land's authority, in its Land


def test_the_current_profile_completes_only_the_same_persons_letter(invoke, refused, tmp_path):
    ref, _ = refused()
    (tmp_path / "other").mkdir()
    moved = write_profile(tmp_path / "other", address={**BERLIN, "city": "München", "postcode": "80331", "region": "BY"})
    result = invoke("complaint", ref, "--profile", moved, "-o", "c.txt")  # moved to Munich since: not Berlin's Land
    assert result.exit_code == 3 and "names no German Land" in result.stderr
    missing = invoke("complaint", ref, "--profile", tmp_path / "none.toml", "-o", "c.txt")
    assert missing.exit_code == 4


def test_berlin_names_the_address_used_before_the_outdated_one(invoke, refused):
    ref, _ = refused(address={**BERLIN, "region": "BE"})
    result = ok(invoke("complaint", ref, "-o", "c.txt"))
    warnings = [line for line in result.stderr.splitlines() if line.startswith("objector: warning:")]
    used = next(i for i, line in enumerate(warnings) if "addressed to" in line and "Alt-Moabit 59-61, 10555 Berlin" in line)
    outdated = next(i for i, line in enumerate(warnings) if "Friedrichstraße 219, 10969 Berlin is outdated" in line)
    assert used < outdated and "NOT verified" in warnings[used] and "do not post there" in warnings[outdated]
    shown = ok(invoke("authorities", "show", "de-be")).stdout
    assert "outdated address: Friedrichstraße 219 / 10969 Berlin" in shown


def test_a_pdf_complaint_ends_with_where_to_post_it(invoke, refused, tmp_path):
    ref, _ = refused(address={**BERLIN, "region": "BE"})
    result = ok(invoke("complaint", ref, "--authority", "dpc", "-o", "c.pdf"))
    assert result.stdout.splitlines()[-2] == (
        "Next: print c.pdf, sign it and post it to Data Protection Commission, 21 Fitzwilliam Square South, "
        "Dublin 2, D02 RD28, IRELAND.")
    assert f"`objector log note {ref} \"answer from Data Protection Commission (DPC)\" --evidence FILE`" in result.stdout
    assert "21 Fitzwilliam Square South" in flat(pdf_text(tmp_path / "c.pdf"))
    berlin = ok(invoke("complaint", ref, "-o", "be.html"))  # to print as well: posted, though Berlin has a web form
    assert ("Next: print be.html, sign it and post it to Berliner Beauftragte für Datenschutz und Informationsfreiheit, "
            "Alt-Moabit 59-61, 10555 Berlin (the address is UNVERIFIED: check it first).") in berlin.stdout


def test_a_text_complaint_goes_into_the_web_form_and_is_text(invoke, refused, tmp_path):
    ref, _ = refused(address={**BERLIN, "region": "BE"})
    result = ok(invoke("complaint", ref, "--authority", "dpc", "-o", "c.txt"))
    assert "Next: paste the text of c.txt into Data Protection Commission (DPC)'s online complaint route, " \
           "https://forms.dataprotection.ie/contact" in result.stdout
    assert (tmp_path / "c.txt").read_bytes()[:4] != b"%PDF"  # -o c.txt chooses text, as `letter -o` does
