"""The controller registry: every record valid and sourced, the right entity per region, --controller-file."""

from __future__ import annotations

import copy
import json
import tomllib

import pytest

from helpers import flat, pdf_text, write_profile
from objector.errors import InputError, NotFoundError
from objector.people import registry
from objector.resources import data_file

BUILTIN = tomllib.loads(data_file("controllers.toml").read_text("utf-8"))

# A controller objector does not know, as a person would add it (fictional).
FOTOCLUB = """
[[controller]]
id = "fotoclub-gmbh"
service = "fotoclub"
name = "Fotoclub Beispiel GmbH"
brand = "Fotoclub"
aliases = ["fotoclub-app"]
products = ["Fotoclub"]
regions = ["EEA"]
establishment = "DE"
address = ["Musterweg 1", "10115 Berlin"]
address_country = "DE"
address_verified = true
email = "datenschutz@fotoclub.example"
verified = true
checked = "2026-12-01"
sources = ["fotoclub.example/datenschutz, read 2026-12-01"]

  [[controller.processing]]
  purpose = "ai-training"
  basis = "6(1)(f)"
  since = 2026-01-15
  source = "privacy policy, section 4"
"""


def parse(records: list[dict]):
    return registry.parse({"controller": records}, "test.toml")


# ----------------------------------------------------------------------------- the built-in records


def test_every_builtin_record_loads_validates_and_names_its_sources():
    controllers = registry.controllers()
    assert len(controllers) == len(BUILTIN["controller"]) >= 30
    for c in controllers:
        assert c.sources and all(s.strip() for s in c.sources), c.id
        assert c.checked and c.name and c.products and c.regions, c.id
        if not c.address:
            assert not c.address_verified, f"{c.id}: an unknown address is marked"
    # The services the issue names, each with at least one entity.
    assert set(registry.services()) >= {"meta", "whatsapp", "linkedin", "google", "microsoft", "x", "tiktok", "snap",
                                        "pinterest", "reddit", "amazon", "tumblr", "apple"}


def test_the_builtin_file_goes_through_the_same_validation():
    # The raw file, parsed by the function a --controller-file goes through, gives the same records.
    assert registry.parse(BUILTIN, "controllers.toml", builtin=True) == registry.controllers()


def good_record() -> dict:
    return copy.deepcopy(BUILTIN["controller"][0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("sources"), "missing 'sources'"),
        (lambda r: r.update(sources=[]), "'sources' must not be empty"),
        (lambda r: r.update(regions=["EEA", "XX"]), "'regions': 'XX' is not an ISO 3166-1 alpha-2 country code"),
        (lambda r: r.update(regions=["eu"]), "'regions': 'eu' is not an ISO 3166-1"),
        (lambda r: r.update(establishment="Ireland"), "'establishment': 'Ireland' is not an ISO"),
        (lambda r: r.update(address=[], address_verified=True), "'address_verified' is true but no address is given"),
        (lambda r: r.update(verified="yes"), "'verified' must be true or false"),
        (lambda r: r.update(checked="recently"), "'checked': 'recently' is not a date"),
        (lambda r: r.update(id="Meta Ireland"), "'id': 'Meta Ireland' is not valid"),
        (lambda r: r.update(colour="blue"), "unknown field 'colour'"),
        (lambda r: r.update(email="privacy-at-meta"), "is not an e-mail address"),
        (lambda r: r["processing"][0].update(basis="legitimate interests"), "'basis': 'legitimate interests' is not valid"),
        (lambda r: r["processing"][0].update(purpose="fun"), "'purpose': 'fun' is not one of"),
        (lambda r: r["opt_out"][0].update(url="facebook.com/form"), "is not a web address"),
    ],
)
def test_a_bad_record_fails_with_one_line_naming_it(change, message):
    record = good_record()
    change(record)
    with pytest.raises(InputError) as caught:
        parse([record])
    lines = caught.value.message.splitlines()
    assert len(lines) == 1 and lines[0].startswith("test.toml: controller 1") and message in lines[0], lines


def test_duplicate_ids_aliases_and_regions_fail():
    first, second = good_record(), good_record()
    with pytest.raises(InputError, match="the id 'meta-ireland' is used twice"):
        parse([first, second])
    second.update(id="other", service="other", aliases=["instagram"], regions=["US"])
    with pytest.raises(InputError, match="alias 'instagram' is already taken by the service 'meta'"):
        parse([first, second])
    second.update(service="meta", aliases=[], regions=["IE"])  # Ireland is in the EEA the first record covers
    with pytest.raises(InputError, match="meta-ireland is already the meta controller for IE"):
        parse([first, second])
    second.update(service="meta-ireland", regions=["US"])  # a service named like another record's id
    with pytest.raises(InputError, match="'meta-ireland' is already the id of a meta controller"):
        parse([first, second])


def test_every_problem_of_a_file_is_listed():
    record = good_record()
    record.pop("sources")
    record["regions"] = ["ZZ"]
    with pytest.raises(InputError) as caught:
        parse([record])
    assert len(caught.value.message.splitlines()) == 2


# ----------------------------------------------------------------------------- the right entity per region


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        ("meta", "DE", "meta-ireland"), ("instagram", "FR", "meta-ireland"), ("facebook", "NO", "meta-ireland"),
        ("threads", "IE", "meta-ireland"), ("messenger", "PL", "meta-ireland"),
        ("instagram", "GB", "meta-inc-uk"), ("threads", "GB", "meta-inc-uk"),
        ("instagram", "US", "meta-inc"), ("facebook", "BR", "meta-inc"),
        ("whatsapp", "NL", "whatsapp-ireland"), ("whatsapp", "GB", "whatsapp-llc-uk"), ("whatsapp", "US", "whatsapp-llc"),
        ("linkedin", "CH", "linkedin-ireland"), ("linkedin", "GB", "linkedin-corp-uk"), ("linkedin", "US", "linkedin-corp"),
        ("youtube", "DE", "google-ireland"), ("gmail", "GB", "google-llc"), ("gemini", "US", "google-llc"),
        ("google-maps", "DE", "google-llc-search"),  # Google LLC wherever you live
        ("bing", "GB", "microsoft-ireland"), ("copilot", "US", "microsoft-corp"),
        ("twitter", "GB", "x-ireland"), ("x", "US", "x-corp"),
        ("tiktok", "IT", "tiktok-ireland"), ("tiktok", "GB", "tiktok-uk"), ("tiktok", "US", "tiktok-usds"),
        ("snapchat", "SE", "snap-inc-europe"), ("snapchat", "US", "snap-inc"),
        ("pinterest", "GB", "pinterest-europe"), ("pinterest", "US", "pinterest-inc"),
        ("reddit", "AT", "reddit-netherlands"), ("reddit", "GB", "reddit-inc"),
        ("amazon", "DE", "amazon-europe"), ("tumblr", "ES", "tumblr-automattic-ireland"), ("tumblr", "US", "tumblr-inc"),
        ("icloud", "GB", "apple-distribution"), ("apple", "US", "apple-inc"),
        ("meta-inc", "DE", "meta-inc"),  # an id is taken as it is
        ("  Instagram ", "DE", "meta-ireland"),
    ],
)
def test_services_and_products_resolve_per_region(name, country, expected):
    assert registry.resolve(name, country).id == expected


def test_facts_that_are_not_verified_are_marked():
    get = registry.get
    assert get("meta-inc-uk").verified is False and get("meta-inc").verified is True
    assert get("whatsapp-llc-uk").name == "WhatsApp LLC" and get("whatsapp-llc-uk").address_verified is False
    assert get("whatsapp-ireland").address == ("Attn: Privacy Policy", "Merrion Road", "Dublin 4", "D04 X2K5")
    assert get("linkedin-corp-uk").name == "LinkedIn Corporation"
    assert get("tiktok-uk").verified is False and get("amazon-europe").verified is False
    assert get("snap-inc-europe").address == () and get("xai").address == ()
    meta_form = get("meta-ireland").opt_outs[0]
    assert meta_form.purpose == "ai-training" and meta_form.verified is False and "6359191084165019" in meta_form.url
    assert get("linkedin-ireland").opt_outs[0].verified is True
    ai = get("meta-ireland").processing_for("ai-training")
    assert (ai.basis, ai.since.isoformat()) == ("6(1)(f)", "2025-05-27")
    assert get("google-llc").processing_for("ai-training").basis == ""  # not confirmed outside the EEA


def test_unknown_names_suggest_the_closest():
    with pytest.raises(NotFoundError, match="unknown controller 'instagarm'; did you mean instagram"):
        registry.resolve("instagarm", "DE")
    with pytest.raises(NotFoundError, match="objector knows no xai entity that is the controller for people in US"):
        registry.resolve("xai", "US")


# ----------------------------------------------------------------------------- the commands


def test_controllers_list_for_a_country(invoke):
    result = invoke("controllers", "list", "--country", "gb")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
    assert "meta-inc-uk" in lines["meta"] and "controller unverified" in lines["meta"]
    assert "whatsapp-llc-uk" in lines["whatsapp"] and "linkedin-corp-uk" in lines["linkedin"]
    assert "no postal address" in lines["snap"]
    data = json.loads(invoke("controllers", "list", "--country", "US", "--json").stdout)
    assert {row["service"]: (row["controller"] or {}).get("id") for row in data}["xai"] is None


def test_controllers_list_rejects_a_bad_country(invoke):
    result = invoke("controllers", "list", "--country", "Narnia")
    assert result.exit_code == 3 and "ISO 3166-1" in result.stderr


def test_show_a_service_without_a_profile_shows_every_entity(invoke):
    result = invoke("controllers", "show", "meta")
    assert result.exit_code == 0, result.output
    for name in ("(meta-ireland)", "(meta-inc-uk)", "(meta-inc)"):
        assert name in result.stdout
    assert "letters" not in result.stdout  # no profile, no country: nobody to say it for


def test_show_a_product_for_the_profile_says_which_letters_it_can_send(invoke, tmp_path):
    profile = write_profile(tmp_path)  # Praha, CZ
    result = invoke("controllers", "show", "instagram", "--profile", profile)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Meta Platforms Ireland Limited  (meta-ireland)") and "(meta-inc)" not in out
    assert "letters for a person in CZ:" in out
    assert "objection: yes, under GDPR (Regulation (EU) 2016/679) (ai-training, direct-marketing)" in out
    assert "access: yes, under GDPR" in out
    assert "6359191084165019" in out and "[UNVERIFIED]" in out  # the AI objection form, marked


def test_show_uses_the_default_profile(invoke, objector_home, tmp_path):
    objector_home.mkdir(mode=0o700)
    write_profile(objector_home, address={"lines": ["1 High Street"], "postcode": "M1 1AA", "city": "Manchester", "country": "GB"})
    result = invoke("controllers", "show", "whatsapp")
    assert result.exit_code == 0, result.output
    assert "WhatsApp LLC  (whatsapp-llc-uk)" in result.stdout and "letters for a person in GB:" in result.stdout
    assert "access: yes, under UK GDPR" in result.stdout


def test_show_says_when_an_entity_is_not_yours_and_what_a_us_person_lacks(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = invoke("controllers", "show", "meta-inc", "--profile", profile)
    assert "not the controller for people in CZ: that is Meta Platforms Ireland Limited (meta-ireland)" in result.stdout
    us = invoke("controllers", "show", "snapchat", "--country", "US", "--json")
    data = json.loads(us.stdout)
    assert data["id"] == "snap-inc" and data["letters"]["by_post"] is False
    kinds = {k["kind"]: k for k in data["letters"]["kinds"]}
    assert kinds["objection"]["refusal"] and kinds["access"]["refusal"]


def test_show_unknown_controller_suggests(invoke):
    result = invoke("controllers", "show", "instagarm")
    assert result.exit_code == 4 and "did you mean instagram" in result.stderr


# ----------------------------------------------------------------------------- --controller-file


@pytest.fixture
def fotoclub(tmp_path):
    path = tmp_path / "fotoclub.toml"
    path.write_text(FOTOCLUB, "utf-8")
    return path


def test_controller_file_adds_a_controller_to_show_and_list(invoke, fotoclub):
    result = invoke("controllers", "show", "fotoclub-app", "--controller-file", fotoclub, "--country", "AT")
    assert result.exit_code == 0, result.output
    assert "Fotoclub Beispiel GmbH  (fotoclub-gmbh)" in result.stdout and "Musterweg 1, 10115 Berlin, DE" in result.stdout
    assert "objection: yes, under GDPR" in result.stdout and "from:      --controller-file" in result.stdout
    listed = invoke("controllers", "list", "--country", "AT", "--controller-file", fotoclub)
    assert "fotoclub-gmbh" in listed.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (FOTOCLUB.replace('sources = ["fotoclub.example/datenschutz, read 2026-12-01"]\n', ""), "missing 'sources'"),
        (FOTOCLUB.replace('regions = ["EEA"]', 'regions = ["EEA", "XY"]'), "'regions': 'XY' is not an ISO 3166-1"),
        (FOTOCLUB.replace('regions = ["EEA"]', 'regions = ["EU"]'), "'regions': 'EU' is not a region objector knows; write \"EEA\""),
        (FOTOCLUB.replace('aliases = ["fotoclub-app"]', 'aliases = ["youtube"]'), "alias 'youtube' is already taken by the service 'google'"),
        (FOTOCLUB.replace('id = "fotoclub-gmbh"', 'id = "meta-ireland"'), "the id 'meta-ireland' is used twice (by a built-in controller)"),
        ("controller = 1", "no [[controller]] records"),
        ("[[controller]\nid=", "is not valid TOML"),
    ],
)
def test_a_bad_controller_file_is_refused_in_one_line(invoke, tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, "utf-8")
    profile = write_profile(tmp_path)
    for args in (["controllers", "show", "meta"], ["letter", "objection", "meta", "--profile", profile],
                 ["controllers", "list"]):
        result = invoke(*args, "--controller-file", path)
        assert result.exit_code == 3, (args, result.output)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("objector: ") and message in lines[0], lines
    assert not list(tmp_path.glob("*.pdf"))


def test_a_missing_controller_file(invoke):
    result = invoke("controllers", "show", "meta", "--controller-file", "nope.toml")
    assert result.exit_code == 4 and "--controller-file: no file nope.toml" in result.stderr


def test_a_letter_to_a_new_controller_names_it_and_is_kept_in_the_journal(invoke, tmp_path, fotoclub):
    profile = write_profile(tmp_path)
    result = invoke("letter", "objection", "fotoclub", "--profile", profile, "--controller-file", fotoclub,
                    "--date", "2025-09-01")
    assert result.exit_code == 0, result.output
    assert "objection to Fotoclub Beispiel GmbH under GDPR" in result.stdout
    (pdf,) = tmp_path.glob("*-objection-fotoclub.pdf")
    text = flat(pdf_text(pdf))
    for expected in ("Fotoclub Beispiel GmbH", "Musterweg 1", "10115 Berlin", "GERMANY", "Article 21(1) GDPR",
                     "Article 6(1)(f) GDPR", "15 January 2026"):
        assert expected in text, expected
    reference = pdf.name.split("-objection-")[0]
    # The journal keeps the record: the deadline counts German holidays (3 October), and the reminder is
    # written without the file.
    assert invoke("log", "sent", reference, "--on", "2025-09-03", "--via", "email").exit_code == 0
    (row,) = json.loads(invoke("status", "--all", "--json").stdout)
    assert row["due"] == "2025-10-06"
    reminder = invoke("followup", reference, "--date", "2025-10-20")
    assert reminder.exit_code == 0, reminder.output
    (again,) = [p for p in tmp_path.glob(f"{reference}-reminder-*.pdf")]
    assert "Fotoclub Beispiel GmbH" in flat(pdf_text(again)) and "Musterweg 1" in flat(pdf_text(again))


# ----------------------------------------------------------------------------- letters and the registry's marks


def test_a_controller_without_address_is_refused_by_post_but_not_for_a_web_form(invoke, tmp_path):
    profile = write_profile(tmp_path)  # CZ: Snap Inc. for the EEA, no address known
    result = invoke("letter", "access", "snapchat", "--profile", profile)
    assert result.exit_code == 4
    assert "objector knows no postal address for Snap Inc." in result.stderr
    assert "https://help.snapchat.com/hc/requests/new" in result.stderr and "--format txt" in result.stderr
    assert not list(tmp_path.glob("*.pdf"))
    as_text = invoke("letter", "access", "snapchat", "--profile", profile, "--format", "txt")
    assert as_text.exit_code == 0, as_text.output
    assert "Snap Inc." in list(tmp_path.glob("*.txt"))[0].read_text("utf-8")
    assert "not verified" in as_text.stderr


def test_a_controller_with_only_an_email_is_written_to_by_email(invoke, tmp_path):
    profile = write_profile(tmp_path)  # CZ: X.AI LLC for grok.com, privacy@x.ai, no postal address
    refused = invoke("letter", "objection", "xai", "--profile", profile)
    assert refused.exit_code == 4 and "e-mail to privacy@x.ai (--format eml)" in refused.stderr
    result = invoke("letter", "objection", "xai", "--profile", profile, "--format", "eml")
    assert result.exit_code == 0, result.output
    (eml,) = tmp_path.glob("*.eml")
    assert 'To: "X.AI LLC" <privacy@x.ai>' in eml.read_text("utf-8").splitlines()


def test_unverified_controller_and_address_warn(invoke, tmp_path):
    uk = write_profile(tmp_path, address={"lines": ["1 High Street"], "postcode": "M1 1AA", "city": "Manchester", "country": "GB"})
    result = invoke("letter", "access", "tiktok", "--profile", uk, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "TikTok Information Technologies UK Limited is the controller for you is not verified" in result.stderr
    assert "controllers show tiktok-uk" in result.stderr
    result = invoke("letter", "access", "whatsapp", "--profile", uk, "--format", "html", "-o", "w.html")
    assert "the postal address of WhatsApp LLC is not verified" in result.stderr
    assert "is the controller for you is not verified" not in result.stderr  # WhatsApp LLC for the UK is verified


@pytest.mark.parametrize("country", ["CZ", "GB"])
def test_every_controller_of_a_region_gets_an_access_letter_with_its_name_and_address(country, tmp_path):
    from helpers import BASE_PROFILE
    from objector.letters import letter as letters
    from objector.people.profile import from_dict

    person = from_dict(BASE_PROFILE | {"address": BASE_PROFILE["address"] | {"country": country}})
    for service, controller in registry.for_country(country):
        if controller is None:
            continue
        request = letters.prepare("access", service, person, reference="ACC-2026-TEST00")
        assert request.controller is controller
        text = flat(letters.render_text(request))
        assert controller.name in text and all(line in text for line in controller.address), service
        assert ("UK GDPR" if country == "GB" else "GDPR") in text


def test_batch_takes_a_controller_file(invoke, tmp_path, fotoclub):
    import csv

    rows = [{"kind": "access", "controller": "fotoclub", "name": "Jana Nováková", "email": "jana@example.org",
             "street": "Dlouhá 12", "city": "Praha", "country": "CZ", "date": "2026-11-27", "format": "txt"},
            {"kind": "access", "controller": "fotoclubb", "name": "Jana Nováková", "email": "jana@example.org",
             "street": "Dlouhá 12", "city": "Praha", "country": "CZ", "date": "2026-11-27", "format": "txt"}]
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = invoke("batch", path, "-d", tmp_path / "out", "--jobs", "1", "--controller-file", fotoclub)
    assert result.exit_code == 3, result.output  # the second row's controller is unknown
    assert "row 2 (line 3): unknown controller 'fotoclubb'; did you mean fotoclub" in result.stderr
    (letter,) = (tmp_path / "out").glob("*.txt")
    assert "Fotoclub Beispiel GmbH" in letter.read_text("utf-8") and "Musterweg 1" in letter.read_text("utf-8")
