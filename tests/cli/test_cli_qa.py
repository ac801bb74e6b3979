"""A new user's walk through the journey and the controllers: each test pins a message that read wrong."""

from __future__ import annotations

import json

import pytest

from helpers import ok, write_profile


@pytest.fixture
def profile(tmp_path, monkeypatch):
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-06-30")
    return write_profile(tmp_path)


def letter(invoke, profile, *args: str) -> str:
    result = ok(invoke("letter", "objection", "meta", "--profile", profile, "--json", "-f", "txt", *args))
    return json.loads(result.stdout)["reference"]


def test_days_are_counted_in_words_that_agree(invoke, profile):
    reference = letter(invoke, profile, "-o", "a.txt", "--date", "2026-06-29")
    ok(invoke("log", "sent", reference, "--via", "email", "--on", "2026-06-29"))
    early = invoke("followup", reference)
    assert early.exit_code == 3
    assert "day(s)" not in early.stderr and " days left" in early.stderr
    ok(invoke("log", "reply", reference, "--outcome", "refused", "--on", "2026-06-30"))
    shown = ok(invoke("show", reference)).stdout
    assert "after 1 day." in shown and "after 1 days" not in shown


def test_show_and_calendar_name_a_controller_from_a_file_after_the_file_is_gone(invoke, profile, tmp_path):
    from test_registry import FOTOCLUB

    path = tmp_path / "fotoclub.toml"
    path.write_text(FOTOCLUB, "utf-8")
    written = ok(invoke("letter", "access", "fotoclub", "--profile", profile, "--controller-file", path,
                        "-f", "txt", "--json"))
    reference = json.loads(written.stdout)["reference"]
    path.unlink()
    ok(invoke("log", "sent", reference, "--via", "email"))
    shown = ok(invoke("show", reference)).stdout
    assert "to Fotoclub Beispiel GmbH (fotoclub-gmbh)" in shown
    calendar = ok(invoke("calendar", "-o", "-")).stdout
    assert "Fotoclub Beispiel GmbH must answer" in calendar.replace("\r\n ", "")


# --------------------------------------------------------------------------- the guide says what the registry says


def _guide(invoke, *args: str) -> dict:
    result = invoke("guide", *args, "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


@pytest.mark.parametrize("country", ["IE", "DE", "GB", "US", "US-CA", "BR"])
@pytest.mark.parametrize("service", ["meta", "linkedin", "google", "microsoft", "x", "pinterest"])
def test_guide_forms_are_the_registry_routes_with_the_same_verified_flag(invoke, service, country):
    from objector.errors import NotFoundError
    from objector.letters import guide as guides
    from objector.people import registry

    try:
        controller = registry.resolve(service, guides.parse_where(country)[0])
    except NotFoundError:  # no entity for that country: the guide says so (tested elsewhere)
        return
    if controller.processing_for("ai-training") is None:
        return
    data = _guide(invoke, service, "--country", country)
    known = {f.url: f.verified for f in controller.web_forms}
    known |= {o.url or o.path: o.verified for o in controller.opt_outs if o.purpose == "ai-training"}
    if data["region"] == "uk" and service == "meta":  # the EEA entity's forms, each marked for the UK
        eea = registry.resolve(service, "IE")
        known = {f.url: False for f in eea.web_forms} | {o.url: False for o in eea.opt_outs}
    for form in data["forms"]:
        key = form["url"] or form["path"]
        assert key in known, (service, country, key)
        assert form["verified"] is known[key], (service, country, key)
    # Every AI-training route the registry knows for this person is in the guide.
    shown = {form["url"] or form["path"] for form in data["forms"]}
    if data["region"] != "uk" or service != "meta":
        for route in controller.opt_outs:
            if route.purpose == "ai-training" and (route.url or service != "meta"):
                assert (route.url or route.path) in shown, (service, country, route.label)


def test_guide_for_another_service_shows_its_own_setting_not_instagrams(invoke):
    text = ok(invoke("guide", "linkedin", "--country", "DE", "--lang", "en")).stdout
    assert "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement (verified)" in text
    assert "no in-app route" not in text and "Goodbye Meta AI" not in text
    us = ok(invoke("guide", "x", "--country", "US", "--lang", "en")).stdout
    assert "Instagram" not in us and "offers no objection form" not in us
    assert "Settings → Privacy and safety" in us and "(not verified)" in us
    german = ok(invoke("guide", "x", "--country", "US", "--lang", "de")).stdout
    assert "(nicht überprüft)" in german and "Einstellung oder Formular von X" in german


def test_guide_refusal_points_to_a_letter_only_where_one_can_be_written(invoke):
    whatsapp = invoke("guide", "whatsapp", "--country", "DE")
    assert whatsapp.exit_code == 4 and "`objector letter objection whatsapp`" in whatsapp.stderr
    us = invoke("guide", "linkedin", "--country", "US")  # no law gives an objection there
    assert us.exit_code == 4 and "objector letter objection" not in us.stderr
    assert "`objector controllers show linkedin`" in us.stderr


def test_guide_and_record_take_a_controller_file(invoke, profile, tmp_path):
    from test_registry import FOTOCLUB

    path = tmp_path / "fotoclub.toml"
    path.write_text(FOTOCLUB, "utf-8")
    text = ok(invoke("guide", "fotoclub", "--country", "AT", "--lang", "en", "--controller-file", path)).stdout
    assert "Fotoclub Beispiel GmbH is the controller of your data" in text
    recorded = ok(invoke("record", "objection", "fotoclub", "--profile", profile, "--controller-file", path,
                         "--via", "webform", "--on", "2026-06-01"))
    assert "objection to Fotoclub Beispiel GmbH recorded without a letter" in recorded.stdout


# --------------------------------------------------------------------------- controllers list/show


def test_controllers_take_a_state_like_the_guide(invoke):
    shown = invoke("controllers", "show", "meta", "--country", "US-CA")
    assert shown.exit_code == 0, shown.stderr
    assert "letters for a person in US-CA" in shown.stdout and "The CCPA gives Californians" in shown.stdout
    assert ".." not in shown.stdout  # the law's reason and what helps, one full stop between them
    data = json.loads(invoke("controllers", "show", "meta", "--country", "us-ca", "--json").stdout)
    assert (data["letters"]["country"], data["letters"]["region"]) == ("US", "CA")
    listed = invoke("controllers", "list", "--country", "US-CA")
    assert listed.exit_code == 0 and "meta-inc " in listed.stdout
    assert invoke("controllers", "list", "--country", "XX").exit_code == 3


def test_next_step_for_pasted_text_names_the_right_form(invoke, profile):
    access = ok(invoke("letter", "access", "linkedin", "--profile", profile, "-f", "txt"))
    assert "into LinkedIn's web form (`objector controllers show linkedin` lists its forms)" in access.stdout
    assert "objection form" not in access.stdout and "objector guide" not in access.stdout
    meta = ok(invoke("letter", "objection", "meta", "--profile", profile, "-f", "form"))
    assert "into Meta's objection form (`objector guide meta` shows where)" in meta.stdout and "--via app" in meta.stdout
    linkedin = ok(invoke("letter", "objection", "linkedin", "--profile", profile, "-f", "form"))
    assert "into LinkedIn's web form" in linkedin.stdout and "--via webform" in linkedin.stdout


def test_a_mistyped_state_is_refused_not_read_as_no_state(invoke):
    for command in (("guide",), ("controllers", "show", "meta")):
        result = invoke(*command, "--country", "US-CAL")
        assert result.exit_code == 3 and "CAL is not a US state code" in result.stderr, result.stderr
    assert invoke("guide", "--country", "US-TX").exit_code == 0


def test_exit_code_table_covers_what_the_registry_lacks():
    from objector.errors import EXIT_CODES, EXIT_NOT_FOUND

    assert "postal address" in EXIT_CODES[EXIT_NOT_FOUND] and "guide" in EXIT_CODES[EXIT_NOT_FOUND]


def test_french_guide_puts_a_no_break_space_before_the_colon_of_each_form(invoke):
    text = ok(invoke("guide", "--country", "FR", "--lang", "fr")).stdout
    assert "chez Meta\u00a0: https://www.facebook.com/help/contact/6359191084165019" in text  # French no-break space
    assert "Meta: https://" not in text
