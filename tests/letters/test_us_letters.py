"""US letters end to end: every kind under every US state law that gives it, read back from the PDF; the
refusals name what the law gives; the CCPA's authorized agent; English only; deadlines in the journal; US
conventions (US Letter paper, "November 27, 2026", "Sincerely,", no country on a domestic return address)."""

from __future__ import annotations

import json

import pytest

from helpers import flat, pdf_text, write_profile

DATE = "2026-11-27"

# Written out by hand from ../shared/reference/controllers.md ("US state privacy laws"), not computed by the
# code under test: region → (the state, the section cited for each kind, the reply period's section).
CA_RIGHTS = {
    "access": "Cal. Civ. Code §§1798.100, 1798.110 and 1798.115",
    "erasure": "Cal. Civ. Code §1798.105",
    "rectification": "Cal. Civ. Code §1798.106",
    "opt-out": "Cal. Civ. Code §1798.120(a)",
    "limit-sensitive": "Cal. Civ. Code §1798.121(a)",
}
STATE_KINDS = ("access", "erasure", "rectification", "portability", "opt-out")
LAWS = {
    "CA": ("California", CA_RIGHTS, "Cal. Civ. Code §1798.130(a)(2)(A)"),
    "VA": ("Virginia", dict.fromkeys(STATE_KINDS, "Va. Code §59.1-577(A)"), "Va. Code §59.1-577(B)"),
    "CO": ("Colorado", dict.fromkeys(STATE_KINDS, "C.R.S. §6-1-1306"), "C.R.S. §6-1-1306"),
    "CT": ("Connecticut", dict.fromkeys(STATE_KINDS, "Conn. Gen. Stat. §42-518(a)"), "Conn. Gen. Stat. §42-518(c)(1)"),
    "TX": ("Texas", dict.fromkeys(STATE_KINDS, "Tex. Bus. & Com. Code §541.051"), "Tex. Bus. & Com. Code §541.052(b)"),
    "OR": ("Oregon", dict.fromkeys(STATE_KINDS, "ORS 646A.574"), "ORS 646A.576"),
    # P.L. 2023, c. 266: rights §56:8-166.10(a), the 45 (+45) days §56:8-166.7(a) (checked against the statute's text
    # on casetext.com and lexace.ai).
    "NJ": ("New Jersey", dict.fromkeys(STATE_KINDS, "N.J.S.A. 56:8-166.10(a)"), "N.J.S.A. 56:8-166.7(a)"),
}
# The section(s) a letter cites for the reasons and the way to appeal when the business declines: Virginia's
# §59.1-577(B)(2) with the appeal in (C); New Jersey's §56:8-166.7(c) (no section of its own for the appeal).
APPEALS = {"VA": "Va. Code §59.1-577(B)(2) and (C)", "TX": "Tex. Bus. & Com. Code §541.053", "OR": "ORS 646A.576",
           "NJ": "N.J.S.A. 56:8-166.7(c)"}
CITIES = {"CA": ("San Francisco", "94110"), "VA": ("Richmond", "23219"), "CO": ("Denver", "80202"),
          "CT": ("Hartford", "06103"), "TX": ("Austin", "78701"), "OR": ("Portland", "97204"), "NJ": ("Newark", "07102")}
CORRECTION = "Date of birth: 3 May 1990, not 5 March 1990"


def us_profile(folder, region, **changes):
    city, postcode = CITIES[region]
    address = {"lines": ["742 Valencia Street"], "postcode": postcode, "city": city, "country": "US", "region": region}
    return write_profile(folder, name="Jamie Rivera", email="jamie.rivera@example.org", address=address, **changes)


def letter(invoke, profile, *args):
    return invoke("letter", *args, "meta", "--profile", profile, "--date", DATE)


MATRIX = [(region, kind) for region, (_, rights, _) in LAWS.items() for kind in rights]


@pytest.mark.parametrize(("region", "kind"), MATRIX)
def test_every_kind_under_every_us_law_cites_its_section_and_meta_inc(invoke, tmp_path, region, kind):
    state, rights, reply = LAWS[region]
    extra = ["--correction", CORRECTION] if kind == "rectification" else []
    result = letter(invoke, us_profile(tmp_path, region), kind, *extra, "-o", "l.pdf")
    assert result.exit_code == 0, result.output
    assert "in English" in result.stdout
    text = flat(pdf_text(tmp_path / "l.pdf"))
    for expected in ("Meta Platforms, Inc.", "1 Meta Way", "Menlo Park, CA 94025", "Jamie Rivera", CITIES[region][0],
                     f"I am a resident of {state}", "November 27, 2026", "jamie.rivera@example.org", "Sincerely,"):
        assert expected in text, expected
    assert "UNITED STATES" not in text  # domestic post: no country, not even in the window's return line
    assert "27 November 2026" not in text and "Yours faithfully" not in text
    assert f"Under {rights[kind]}, I" in text
    if reply and kind not in ("opt-out", "limit-sensitive") or region != "CA" and reply:
        assert reply in text and "45 days" in text
    if region == "CA" and kind in ("access", "erasure", "rectification"):
        assert "within 10 business days" in text and "Cal. Code Regs. tit. 11, §7021(a)" in text
        assert "Cal. Code Regs. tit. 11, §7021(b)" in text and "California Privacy Protection Agency" in text
    if region != "CA":
        assert "appeal your decision" in text and f"Attorney General of {state}" in text
        if region in APPEALS:
            assert APPEALS[region] in text
    if kind == "rectification":  # each inaccurate value with the correct one, as the GDPR letter gives them
        assert "Date of birth, correct value: 3 May 1990, not 5 March 1990" in text
    for word in ("Article", "GDPR", "Art. "):
        assert word not in text


def test_california_letters_say_what_each_right_is(invoke, tmp_path):
    profile = us_profile(tmp_path, "CA")
    expected = {
        # Everything collected since 1 January 2022, not only 12 months (§1798.130(a)(2)(B), 11 CCR §7024(h)).
        "access": ["Cal. Civ. Code §1798.110", "Cal. Civ. Code §1798.115", "categories of sources", "AI models",
                   "Request to know the personal information you have collected about me",
                   "all the personal information you have collected about me since January 1, 2022, not only the 12 "
                   "months", "Cal. Civ. Code §1798.130(a)(2)(B)", "Cal. Code Regs. tit. 11, §7024(h)"],
        # Third parties it sold or shared the data to are told to delete it too (§1798.105(c)(1)).
        "erasure": ["delete the personal information about me that it has collected from me", "service providers",
                    "notify all third parties to whom it has sold or shared my personal information to delete it",
                    "Cal. Civ. Code §1798.105(c)(1)", "Cal. Code Regs. tit. 11, §7022(b)(3)"],
        "opt-out": ["not to sell and not to share my personal information", "cross-context behavioral advertising",
                    "no later than 15 business days", "Cal. Code Regs. tit. 11, §7026"],
        # Complied with no later than 15 business days from receipt (11 CCR §7027(g)(1)).
        "limit-sensitive": ["sensitive personal information", "no later than 15 business days from receipt",
                            "Cal. Code Regs. tit. 11, §7027(g)(1)"],
        "rectification": ["Cal. Civ. Code §1798.106", "Cal. Code Regs. tit. 11, §7023",
                          "Date of birth, correct value: 3 May 1990, not 5 March 1990"],
    }
    for kind, phrases in expected.items():
        extra = ["--correction", CORRECTION] if kind == "rectification" else []
        result = letter(invoke, profile, kind, *extra, "-o", f"{kind}.pdf")
        assert result.exit_code == 0, result.output
        text = flat(pdf_text(tmp_path / f"{kind}.pdf"))
        for phrase in phrases:
            assert phrase in text, (kind, phrase)
        if kind in ("opt-out", "limit-sensitive"):
            assert "10 business days" not in text  # 11 CCR §7021 covers requests to know, delete and correct


def test_state_opt_out_names_the_three_purposes_and_connecticut_profiling(invoke, tmp_path):
    for region in ("TX", "CT"):
        result = letter(invoke, us_profile(tmp_path, region), "opt-out", "-f", "txt", "-o", f"{region}.txt", "--force")
        assert result.exit_code == 0, result.output
        text = flat((tmp_path / f"{region}.txt").read_text("utf-8"))
        assert "targeted advertising" in text and "the sale of my personal data" in text and "profiling" in text
        assert ("solely automated decisions" in text) == (region == "CT")


def test_oregon_access_asks_for_the_specific_third_parties(invoke, tmp_path):
    result = letter(invoke, us_profile(tmp_path, "OR"), "access", "-f", "txt", "-o", "or.txt")
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "or.txt").read_text("utf-8"))
    assert "specific third parties" in text and "within 45 days of receiving it" in text  # ORS 646A.576(6)(d)


def test_new_jersey_letter_names_the_act_and_its_45_plus_45_days(invoke, tmp_path):
    result = letter(invoke, us_profile(tmp_path, "NJ"), "erasure", "-f", "txt", "-o", "nj.txt")
    assert result.exit_code == 0, result.output
    assert "no verified source" not in result.stderr
    text = flat((tmp_path / "nj.txt").read_text("utf-8"))
    assert "the New Jersey Data Privacy Act (P.L. 2023, c. 266, N.J.S.A. 56:8-166.4 et seq.)" in text
    assert "Under N.J.S.A. 56:8-166.10(a), I ask" in text
    assert "within 45 days of receipt (N.J.S.A. 56:8-166.7(a))" in text and "a further 45 days" in text
    assert "how I can appeal your decision (N.J.S.A. 56:8-166.7(c))" in text


@pytest.mark.parametrize(
    ("region", "kind", "gives"),
    [
        ("CA", "portability", "access, erasure, rectification, opt-out, limit-sensitive"),
        ("VA", "limit-sensitive", "access, erasure, portability, rectification, opt-out"),
        ("NJ", "limit-sensitive", "access, erasure, portability, rectification, opt-out"),
    ],
)
def test_a_kind_the_law_does_not_give_is_refused_naming_what_it_gives(invoke, tmp_path, region, kind, gives):
    result = letter(invoke, us_profile(tmp_path, region), kind)
    assert result.exit_code == 5, result.output
    assert f"gives no {kind} letter" in result.stderr and gives in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.pdf"))


def test_gdpr_kinds_are_refused_under_a_us_law_and_us_kinds_under_the_gdpr(invoke, tmp_path):
    result = letter(invoke, us_profile(tmp_path, "CA"), "objection")
    assert result.exit_code == 5
    assert "opt-out" in result.stderr and "§1798.120" in result.stderr  # the CCPA's answer to profiling
    result = letter(invoke, us_profile(tmp_path, "TX"), "objection")
    assert result.exit_code == 5 and "Texas" in result.stderr and "opt-out" in result.stderr
    eu = write_profile(tmp_path)
    result = invoke("letter", "opt-out", "meta", "--profile", eu, "--date", DATE)
    assert result.exit_code == 5 and "GDPR" in result.stderr and "objection, access" in result.stderr


def test_us_letters_are_english_only(invoke, tmp_path):
    profile = us_profile(tmp_path, "CA", language="es")
    result = letter(invoke, profile, "access", "-f", "txt", "-o", "en.txt")
    assert result.exit_code == 0, result.output  # the profile's Spanish does not apply to a US letter
    assert "Dear Sir or Madam" in (tmp_path / "en.txt").read_text("utf-8")
    result = letter(invoke, profile, "access", "--lang", "es")
    assert result.exit_code == 3 and "written in en only" in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_authorized_agent_letter_names_the_agent_and_the_signed_permission(invoke, tmp_path, objector_home):
    from objector.journal import Journal
    from objector.letters import compose
    from objector.letters import letter as letters

    profile = us_profile(tmp_path, "CA")
    result = letter(invoke, profile, "erasure", "--agent-name", "Privacy Helpers LLC", "--agent-email",
                    "requests@privacyhelpers.example", "-o", "agent.pdf", "--json")
    assert result.exit_code == 0, result.output
    assert "sign the letter yourself" in result.stderr
    text = flat(pdf_text(tmp_path / "agent.pdf"))
    for expected in ("Privacy Helpers LLC", "requests@privacyhelpers.example", "authorized agent",
                     "Cal. Code Regs. tit. 11, §7063", "signed permission", "Cal. Civ. Code §1798.105", "Jamie Rivera"):
        assert expected in text, expected
    reference = json.loads(result.stdout)["reference"]
    with Journal.open(objector_home / "journal.sqlite3", create=False) as journal:
        entry = journal.get_request(reference)
    assert entry.law == "ccpa" and entry.inputs["agent"] == {"name": "Privacy Helpers LLC",
                                                            "email": "requests@privacyhelpers.example"}
    again = letters.from_inputs(entry.inputs)
    assert again.agent == letters.Agent("Privacy Helpers LLC", "requests@privacyhelpers.example")
    assert "Privacy Helpers LLC" in compose.produce(again, "html")[0].decode("utf-8")


@pytest.mark.parametrize(
    ("region", "args", "code", "message"),
    [
        ("VA", ["access", "--agent-name", "A. Gent"], 5, "under the CCPA only"),
        ("CA", ["opt-out", "--agent-name", "A. Gent"], 5, "requests to know, delete and correct"),
        ("CA", ["access", "--agent-email", "a@example.org"], 3, "--agent-name"),
        ("CA", ["access", "--agent-name", "A. Gent", "--agent-email", "nope"], 3, "--agent-email"),
        ("CA", ["access", "--agent-name", " "], 3, "--agent-name"),
        ("CA", ["rectification"], 3, "--correction"),
        ("CA", ["rectification", "--correction", "Name: " + "x" * 1001], 3, "keep each to 1000"),
        ("CA", ["access", "--correction", "x"], 3, "applies to rectification"),
    ],
)
def test_bad_agent_and_correction_options_get_one_line_and_no_file(invoke, tmp_path, region, args, code, message):
    result = letter(invoke, us_profile(tmp_path, region), *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not [p for p in tmp_path.rglob("*") if p.suffix in {".pdf", ".tmp"}]


def status_of(invoke, reference):
    result = invoke("status", "--json")
    assert result.exit_code == 0, result.output
    return next(row for row in json.loads(result.stdout) if row["reference"] == reference)


@pytest.mark.parametrize(("region", "kind", "law"), [("VA", "access", "us-va"), ("OR", "opt-out", "us-or")])
def test_state_letters_are_recorded_with_45_days(invoke, tmp_path, region, kind, law):
    result = letter(invoke, us_profile(tmp_path, region), kind, "-f", "txt", "--json")
    reference = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", reference, "--on", "2026-11-27", "--via", "email").exit_code == 0
    row = status_of(invoke, reference)
    assert (row["law"], row["kind"], row["due"]) == (law, kind, "2027-01-11")  # 27 Nov 2026 + 45 days


def test_ccpa_opt_out_is_due_in_15_business_days_and_cannot_be_extended(invoke, tmp_path):
    result = letter(invoke, us_profile(tmp_path, "CA"), "opt-out", "-f", "txt", "--json")
    reference = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", reference, "--on", "2026-11-27", "--via", "email").exit_code == 0
    # Fri 27 Nov 2026 (received by e-mail, not counted) + 15 business days: Mon 30 Nov ... Fri 18 Dec 2026.
    assert status_of(invoke, reference)["due"] == "2026-12-18"
    assert invoke("log", "reply", reference, "--outcome", "extended", "--on", "2026-12-01").exit_code == 0
    row = status_of(invoke, reference)
    assert row["due"] == "2026-12-18"
    shown = flat(invoke("show", reference).stdout)
    assert "the CCPA provides none for opt-out requests: the original deadline stands" in shown


def test_followup_on_a_us_request_waits_for_the_statutes_period(invoke, tmp_path, monkeypatch):
    """The reminder and appeal themselves are tested in test_us_followup.py."""
    monkeypatch.setenv("OBJECTOR_TODAY", DATE)
    result = letter(invoke, us_profile(tmp_path, "TX"), "access", "-f", "txt", "--json")
    reference = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", reference, "--on", "2026-11-27", "--via", "email").exit_code == 0
    result = invoke("followup", reference)
    assert result.exit_code == 3
    assert "is not overdue (due 2027-01-11" in result.stderr


def test_each_state_resolves_to_its_own_law_and_kinds_live_on_the_law():
    from objector.law import laws

    expected = {"CA": "ccpa", "VA": "us-va", "CO": "us-co", "CT": "us-ct", "TX": "us-tx", "OR": "us-or", "NJ": "us-nj"}
    for region, law_id in expected.items():
        law = laws.law_for("US", region)
        assert law.id == law_id and law.languages == ("en",) and law.statute.state == LAWS[region][0]
        assert law.kinds == frozenset(LAWS[region][1])  # the test's table, written by hand
        assert set(laws.kinds_of(law)) == law.kinds and set(law.kinds) <= set(laws.ALL_KINDS)
    assert laws.law_for("US", "NY") is None and laws.law_for("US", "") is None


def test_law_option_cannot_claim_another_states_residence(invoke, tmp_path):
    result = letter(invoke, us_profile(tmp_path, "VA"), "access", "--law", "ccpa")
    assert result.exit_code == 5 and "residents of California" in result.stderr and "US-VA" in result.stderr
    result = letter(invoke, us_profile(tmp_path, "CA"), "access", "--law", "ccpa", "-f", "txt", "-o", "ok.txt")
    assert result.exit_code == 0, result.output


def test_the_example_californian_profile_writes_an_opt_out(invoke, tmp_path):
    from conftest import REPO

    result = invoke("letter", "opt-out", "meta", "--profile", REPO / "examples" / "profile-california.toml",
                    "--date", DATE, "-f", "txt", "-o", "example.txt")
    assert result.exit_code == 0, result.output
    assert "Cal. Civ. Code §1798.120(a)" in (tmp_path / "example.txt").read_text("utf-8")


def test_corrections_and_agent_name_are_data_not_markup(invoke, tmp_path):
    profile = us_profile(tmp_path, "CA")
    result = letter(invoke, profile, "rectification", "--correction", "<b>Name</b>: {{ 7*7 }}", "--correction",
                    "City: Fresno, not Reno", "--agent-name", "<i>Agent</i>", "-f", "html", "-o", "l.html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "l.html").read_text("utf-8")
    assert "<b>Name</b>" not in html and "&lt;b&gt;Name&lt;/b&gt;, correct value: {{ 7*7 }}" in html and ">49<" not in html
    assert "<i>Agent</i>" not in html and "&lt;i&gt;Agent&lt;/i&gt;" in html
    assert "<li>City, correct value: Fresno, not Reno</li>" in html
