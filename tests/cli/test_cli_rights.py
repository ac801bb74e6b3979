"""The rights beyond objection and access under the GDPR and the UK GDPR: erasure, portability, rectification,
restriction and withdrawal of consent, from the command line to the PDF, the journal, batch and reminders."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from helpers import flat, pdf_text, write_profile

DATE = "2026-11-27"
UK_ADDRESS = {"lines": ["1 High Street"], "postcode": "M1 1AA", "city": "Manchester", "country": "GB"}

# Per kind: the options given, and what the letter must then say (article references without the law's name,
# which is added per law below; the person's own words as given).
CASES = {
    "erasure": (
        ["--ground", "a", "--ground", "unlawful", "--made-public", "--reason", "I closed my account in March 2024."],
        ["17(1)(a)", "17(1)(d)", "17(2)", "17(3)", "12(4)", "19", "12(3)", "77"],
        ["I closed my account in March 2024.", "no longer necessary", "unlawfully processed", "links to, or copies"],
        ["17(1)(b)", "17(1)(c)", "17(1)(e)", "17(1)(f)"],
    ),
    "portability": (
        ["--transmit-to", "Example Social B.V."],
        ["20(1)", "20(2)", "20(3)", "6(1)(a)", "6(1)(b)", "17", "12(3)", "77"],
        ["Example Social B.V.", "structured, commonly used and machine-readable format"],
        [],
    ),
    "rectification": (
        ["--correction", "Date of birth: 4 May 1990", "--correction", "Surname: Nováková",
         "--completion", "Former name: Jana Dvořáková"],
        ["16", "18(1)(a)", "19", "12(3)", "77"],
        ["Date of birth 4 May 1990", "Surname Nováková", "Former name Jana Dvořáková", "supplementary statement"],
        [],
    ),
    "restriction": (
        ["--ground", "accuracy-contested", "--ground", "d"],
        ["18(1)(a)", "18(1)(d)", "21(1)", "18(2)", "18(3)", "19", "12(3)", "77"],
        ["I contest the accuracy", "pending the verification"],
        ["18(1)(b)", "18(1)(c)"],
    ),
    "withdraw-consent": (
        ["--consent", "personalised advertising based on my activity", "--consent", "face recognition"],
        ["7(3)", "17(1)(b)", "19", "12(3)", "77"],
        # Art. 7(3): as easy to withdraw as to give, so this letter is enough (not "no particular form").
        ["personalised advertising based on my activity", "face recognition",
         "It must be as easy to withdraw consent as to give it (Article 7(3) {law}); this letter suffices."],
        [],
    ),
}
SUBJECTS = {
    "erasure": "Request for erasure of my personal data under Article 17 {law}",
    "portability": "Request to receive my personal data under Article 20 {law} (data portability)",
    "rectification": "Request for rectification of my personal data under Article 16 {law}",
    "restriction": "Request for restriction of the processing of my personal data under Article 18 {law}",
    "withdraw-consent": "Withdrawal of my consent under Article 7(3) {law}",
}
PREFIXES = {"erasure": "ERA", "portability": "POR", "rectification": "REC", "restriction": "RST", "withdraw-consent": "WDC"}
LAWS = {
    "gdpr": ({}, "GDPR", ["Meta Platforms Ireland Limited", "Merrion Road", "D04 X2K5", "IRELAND"]),
    "uk-gdpr": ({"address": UK_ADDRESS}, "UK GDPR", ["Meta Platforms, Inc.", "1 Meta Way", "UNITED STATES"]),
}


def letter(invoke, profile, kind, *args):
    return invoke("letter", kind, "meta", "--profile", profile, "--date", DATE, *args)


def cite(ref: str, law: str) -> str:
    """How the letter cites `ref`. UK letters dated from 5 February 2026 cite the one-month period with Art. 12A."""
    if law == "UK GDPR" and ref == "12(3)":
        return "Articles 12(3) and 12A UK GDPR"
    return f"Article {ref} {law}"


@pytest.mark.parametrize("law", LAWS)
@pytest.mark.parametrize("kind", CASES)
def test_every_kind_under_every_law_says_what_a_person_would_check(invoke, tmp_path, kind, law):
    changes, name, controller_lines = LAWS[law]
    options, articles, phrases, not_chosen = CASES[kind]
    profile = write_profile(tmp_path, **changes)
    result = letter(invoke, profile, kind, *options, "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    reference = written["reference"]
    assert reference.startswith(f"{PREFIXES[kind]}-2026-")
    pdf = Path(written["path"])
    assert pdf.name == f"{reference}-{kind}-meta.pdf"
    text = flat(pdf_text(pdf))
    assert SUBJECTS[kind].format(law=name) in text
    for ref in articles:
        if ref == "77" and law == "uk-gdpr":  # since 19 June 2026: section 165 DPA 2018 alone, no Art. 77 UK GDPR
            assert "Article 77" not in text and "Information Commissioner under section 165 of that Act" in text
            continue
        assert cite(ref, name) in text, (kind, law, ref)
    for ref in not_chosen:  # a ground the person did not pick is not claimed
        assert cite(ref, name) not in text, (kind, law, ref)
    for expected in [*controller_lines, *(phrase.format(law=name) for phrase in phrases), reference, "Jana Nováková",
                     "jana.novak", "27 November 2026", "Yours faithfully"]:
        assert expected in text, (kind, law, expected)
    if law == "uk-gdpr":
        assert "Information Commissioner" in text and not re.search(r"(?<!UK )GDPR", text)  # never the EU text
        assert "not verified" in result.stderr  # Meta's UK controller is not verified (controllers.md)


def test_erasure_grounds_name_each_point_in_the_law_order(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = letter(invoke, profile, "erasure", "--ground", "child", "--ground", "B", "--ground", "c",
                    "--ground", "legal-obligation", "-f", "txt", "-o", "e.txt")
    assert result.exit_code == 0, result.output
    text = flat((tmp_path / "e.txt").read_text("utf-8"))
    positions = [text.index(f"(Article 17(1)({point}) GDPR)") for point in "bcef"]
    assert positions == sorted(positions)
    assert "Article 7(3) GDPR" in text and "Article 21(1) GDPR" in text and "Article 21(2) GDPR" in text
    assert "Article 8(1) GDPR" in text and "compliance with a legal obligation" in text
    assert "(Article 17(1)(f) GDPR)." in text  # the last ground ends the list
    assert "Article 17(2)" not in text  # not made public: no 17(2) paragraph


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["erasure"], 3, "--ground: name at least one ground of Art. 17(1) for erasure: a (no-longer-needed)"),
        (["erasure", "--ground", "g"], 3, "'g' is not a ground of Art. 17(1)"),
        (["restriction"], 3, "--ground: name at least one ground of Art. 18(1) for restriction"),
        (["restriction", "--ground", "e"], 3, "'e' is not a ground of Art. 18(1); choose from a (accuracy-contested)"),
        (["rectification"], 3, '--correction: say what is wrong and what is right'),
        (["rectification", "--correction", "just a value"], 3, 'is not "FIELD: correct value"'),
        (["rectification", "--correction", "Name: "], 3, 'is not "FIELD: correct value"'),
        (["rectification", "--completion", ": value"], 3, "--completion:"),
        (["rectification", "--correction", "Bio: " + "x" * 1001], 3, "keep each to 1000"),
        (["withdraw-consent"], 3, "--consent: name what your consent covered"),
        (["withdraw-consent", "--consent", "   "], 3, "--consent: the text is empty"),
        (["portability", "--transmit-to", ""], 3, "--transmit-to: the text is empty"),
        (["portability", "--ground", "a"], 3, "--ground: applies to erasure and restriction letters, not to portability"),
        (["access", "--correction", "Name: X"], 3, "--correction: applies to rectification letters, not to access"),
        (["objection", "--consent", "ads"], 3, "--consent: applies to withdraw-consent letters"),
        (["restriction", "--ground", "a", "--made-public"], 3, "--made-public: applies to erasure letters"),
        (["erasure", "--ground", "a", "--transmit-to", "X"], 3, "--transmit-to: applies to portability letters"),
        (["portability", "--reason", "x"], 3, "--reason: applies to objection, erasure and restriction letters"),
        (["erasure", "--ground", "a", "--purpose", "ai-training"], 3, "--purpose: applies to objections"),
    ],
)
def test_bad_options_get_one_line_and_no_file(invoke, tmp_path, args, code, message):
    profile = write_profile(tmp_path)
    result = letter(invoke, profile, *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not [p for p in tmp_path.rglob("*") if p.suffix in {".pdf", ".tmp"}]


def test_option_checks_serve_a_law_without_grounds():
    """rights.check is the one place for kind options: a law that lists no grounds (a US deletion right) refuses
    --ground and needs none, while corrections are checked the same way under any law."""
    from objector.errors import InputError
    from objector.law import rights

    assert rights.check("erasure", "ccpa") == rights.Options()
    with pytest.raises(InputError, match="--ground: erasure under this law needs no grounds"):
        rights.check("erasure", "ccpa", grounds=["a"])
    checked = rights.check("rectification", "ccpa", corrections=["  Date of birth :  4 May 1990 "])
    assert checked.corrections == (rights.Correction("Date of birth", "4 May 1990"),)
    assert rights.check("erasure", "uk-gdpr", grounds=["F", "no-longer-needed", "a"]).grounds == ("a", "f")
    assert set(rights.ground_choices("restriction", "gdpr")) == set("abcd")


def test_too_many_corrections_are_refused(invoke, tmp_path):
    profile = write_profile(tmp_path)
    many = [arg for i in range(21) for arg in ("--correction", f"Field {i}: value")]
    result = letter(invoke, profile, "rectification", *many)
    assert result.exit_code == 3 and "at most 20" in result.stderr


def test_a_us_resident_is_told_no_law_objector_covers_gives_the_right(invoke, tmp_path):
    us = write_profile(tmp_path, address={"lines": ["1 Main St"], "postcode": "10001", "city": "New York",
                                          "country": "US", "region": "NY"})
    result = letter(invoke, us, "erasure", "--ground", "a")
    assert result.exit_code == 5 and "have their data erased" in result.stderr


def test_user_text_in_corrections_is_data_not_markup(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = letter(invoke, profile, "rectification", "--correction", "<b>Name</b>: {{ 7*7 }} <script>", "-f", "html",
                    "-o", "r.html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r.html").read_text("utf-8")
    assert "<b>Name</b>" not in html and "&lt;b&gt;Name&lt;/b&gt;" in html and "{{ 7*7 }} &lt;script&gt;" in html


@pytest.mark.parametrize("kind", CASES)
def test_letter_is_reproducible_from_its_journal_entry(invoke, tmp_path, objector_home, kind):
    from objector.journal import Journal
    from objector.letters import compose
    from objector.letters import letter as letters

    profile = write_profile(tmp_path)
    result = letter(invoke, profile, kind, *CASES[kind][0], "-f", "txt", "--json")
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    with Journal.open(objector_home / "journal.sqlite3", create=False) as journal:
        entry = journal.get_request(written["reference"])
    assert entry.kind == kind and entry.inputs["options"]
    again, *_ = compose.produce(letters.from_inputs(entry.inputs), "txt")
    assert hashlib.sha256(again).hexdigest() == entry.sha256 == written["sha256"]


def test_objection_and_access_inputs_are_unchanged(invoke, tmp_path, objector_home):
    """Journal entries of the older kinds keep the same inputs (no empty options key)."""
    from objector.journal import Journal

    profile = write_profile(tmp_path)
    written = json.loads(letter(invoke, profile, "access", "-f", "txt", "--json").stdout)
    with Journal.open(objector_home / "journal.sqlite3", create=False) as journal:
        assert "options" not in journal.get_request(written["reference"]).inputs


@pytest.mark.parametrize(("kind", "article"), [("erasure", "Article 17 GDPR"), ("withdraw-consent", "Article 7(3) GDPR"),
                                               ("rectification", "Article 16 GDPR")])
def test_reminder_names_the_request_it_follows_up(invoke, tmp_path, monkeypatch, kind, article):
    profile = write_profile(tmp_path)
    monkeypatch.setenv("OBJECTOR_TODAY", "2026-11-30")
    written = letter(invoke, profile, kind, *CASES[kind][0], "-f", "txt", "--json")
    reference = json.loads(written.stdout)["reference"]
    assert invoke("log", "sent", reference, "--via", "email", "--on", "2026-11-30").exit_code == 0
    monkeypatch.setenv("OBJECTOR_TODAY", "2027-01-04")
    result = invoke("followup", reference, "-o", "reminder.pdf")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "reminder.pdf"))
    assert f"Reminder: my request under {article} of 27 November 2026, reference {reference}" in text
    assert f"my request under {article}, dated 27 November 2026" in text and "that is by 30 December 2026" in text


def test_batch_rows_carry_each_kinds_options(invoke, tmp_path, objector_home):
    header = ["kind", "controller", "name", "email", "street", "postcode", "city", "country", "date", "format",
              "ground", "made_public", "correction", "completion", "consent", "transmit_to"]
    base = {"controller": "meta", "name": "Jana Nováková", "email": "jana@example.org", "street": "Dlouhá 12",
            "postcode": "110 00", "city": "Praha", "country": "CZ", "date": DATE, "format": "txt"}
    rows = [
        base | {"kind": "erasure", "ground": "a, unlawful", "made_public": "yes"},
        base | {"kind": "rectification", "correction": "Date of birth: 4 May 1990\nSurname: Nováková"},
        base | {"kind": "withdraw-consent", "consent": "personalised advertising"},
        base | {"kind": "portability", "transmit_to": "Example Social B.V.", "format": "pdf"},
        base | {"kind": "restriction", "ground": "q"},
        base | {"kind": "erasure", "ground": "a", "made_public": "perhaps"},
        base | {"kind": "access", "consent": "ads"},
    ]
    with (tmp_path / "b.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    result = invoke("batch", "b.csv", "--jobs", "1", "--json")
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert len(report["written"]) == 4
    assert {(f["row"], f["field"]) for f in report["failed"]} == {(5, "ground"), (6, "made_public"), (7, "consent")}
    letters = {p.name[:3]: p for p in Path("letters").iterdir()}
    erasure = flat(letters["ERA"].read_text("utf-8"))
    assert "Article 17(1)(a) GDPR" in erasure and "Article 17(1)(d) GDPR" in erasure and "Article 17(2) GDPR" in erasure
    rectification = flat(letters["REC"].read_text("utf-8"))
    assert "Date of birth: 4 May 1990" in rectification and "Surname: Nováková" in rectification
    assert "personalised advertising" in letters["WDC"].read_text("utf-8")
    assert "Example Social B.V." in flat(pdf_text(letters["POR"]))
