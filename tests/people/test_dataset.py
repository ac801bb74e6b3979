"""The open controller dataset as the registry's second tier: the shipped snapshot, search, letters, updates."""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import stat
import subprocess
import sys

import pytest

from helpers import BASE_PROFILE, flat, pdf_text, write_profile
from objector.errors import InputError, NotFoundError
from objector.people import dataset, registry, secondary
from objector.people.postal import AddressProblem, parse_address
from objector.people.search import search

SNAPSHOT_RECORDS = 3069  # companies in the snapshot of commit 0a29c3d6 (shared/reference/datenanfragen/README.md)
COMMIT = "0a29c3d6feee53b02e73204a3dbd312eafe56629"


@pytest.fixture(scope="module")
def shipped() -> dataset.Snapshot:
    return dataset.parse(dataset.data_file(dataset.SHIPPED).read_bytes(), "shipped")


def company(slug: str, **changes) -> dict:
    """A record in the dataset's schema (fictional)."""
    record = {"slug": slug, "name": f"{slug.title()} GmbH", "address": "Musterweg 1\n10115 Berlin\nDeutschland",
              "email": f"datenschutz@{slug}.example", "relevant-countries": ["de"], "quality": "verified",
              "sources": [f"https://{slug}.example/datenschutz"]}
    return {k: v for k, v in (record | changes).items() if v is not None}


def snapshot(*companies: dict, commit: str = "1" * 40) -> dict:
    return {"commit": commit, "commit_date": "2026-11-30", "companies": list(companies)}


# ----------------------------------------------------------------------------- the shipped snapshot


def test_every_record_of_the_snapshot_loads_or_is_refused_with_a_reason(shipped):
    loaded, refused = len(shipped.records), len(shipped.refused)
    assert loaded + refused == SNAPSHOT_RECORDS and loaded >= 3000, (loaded, refused)
    assert all(reason.strip() for reason in shipped.refused.values())
    assert shipped.commit == COMMIT and shipped.commit_date == "2026-07-21"
    records = shipped.records.values()
    with_email = sum("email" in r for r in records)
    readable = sum("address" in r for r in records)
    unreadable = [r for r in records if "address" not in r]
    assert with_email == 2960 and sum("webform" in r for r in records) == 213
    assert readable + len(unreadable) == loaded and all(r["address_problem"] for r in unreadable)
    for r in records:  # what the letters need, checked once here for every record
        assert r["name"] and r["sources"] and r["regions"], r["slug"]
        if "address" in r:
            assert r["address"] and len(r["country"]) == 2, r["slug"]


def test_the_shipped_file_is_small_and_the_conversion_is_repeatable(shipped):
    blob = dataset.data_file(dataset.SHIPPED).read_bytes()
    assert len(blob) < 500_000
    assert dataset.dump(shipped) == blob  # the same snapshot, the same bytes: the script's output is reproducible


@pytest.mark.parametrize(("text", "lines", "country"), [
    ("Musterweg 1\n10115 Berlin\nDeutschland", ("Musterweg 1", "10115 Berlin"), "DE"),
    ("Beneluxlaan 4B\n3527 HT Utrecht\nThe Netherlands", ("Beneluxlaan 4B", "3527 HT Utrecht"), "NL"),
    ("255 Executive Drive\nPlainview New York 11803\nUnited States of America", ("255 Executive Drive", "Plainview New York 11803"), "US"),
    ("Rue de la Loi 1, 1000 Bruxelles, Belgique", ("Rue de la Loi 1", "1000 Bruxelles"), "BE"),
    ("42266 Wuppertal\nDEUTSCHLAND", ("42266 Wuppertal",), "DE"),
])
def test_addresses_are_read_into_lines_and_a_country(text, lines, country):
    assert parse_address(text) == (lines, country)


@pytest.mark.parametrize(("text", "reason"), [
    ("Musterweg 1\n10115 Berlin", "'10115 Berlin' names no country"),
    ("Deutschland", "names a country and nothing else"),
    ("  \n ", "empty"),
])
def test_an_address_that_cannot_be_read_is_refused_with_the_reason(text, reason):
    with pytest.raises(AddressProblem, match=reason):
        parse_address(text)


def test_a_bad_record_is_refused_with_its_reason_and_the_others_load():
    converted = dataset.convert(snapshot(
        company("gut"),
        company("ohne-adresse", address="Musterweg 1\n10115 Berlin"),  # loads: for e-mail, not by post
        company("falsche-mail", email="datenschutz at example"),
        company("kein-weg", address="irgendwo", email=None),
        company("Gross", name=None),
        company("gut"),
    ), "test")
    assert set(converted.records) == {"gut", "ohne-adresse"}
    assert converted.records["ohne-adresse"]["address_problem"] == "its last line '10115 Berlin' names no country"
    assert "is not an e-mail address" in converted.refused["falsche-mail"]
    assert "no way to reach it" in converted.refused["kein-weg"]
    assert "'slug': 'Gross' is not valid" in converted.refused["Gross"] and "missing 'name'" in converted.refused["Gross"]
    assert "used by an earlier record" in converted.refused["gut (record 6)"]


def test_a_file_that_is_no_snapshot_is_refused_whole():
    for data, message in (([], "not a snapshot"), ({"companies": [], "commit": "x"}, "'commit'"),
                          (snapshot(company("x", name=None)), "none of its 1 company records")):
        with pytest.raises(InputError, match=message):
            dataset.convert(data, "test")


# ----------------------------------------------------------------------------- verified records win


def test_the_verified_meta_wins_over_the_datasets_record():
    for name in ("facebook", "oculuscom", "instagram"):  # dataset slugs (oculuscom by its legal name)
        assert registry.resolve(name, "DE").id == "meta-ireland", name
    assert secondary.find("facebook", registry.controllers()) is None and secondary.find("oculuscom", registry.controllers()) is None
    hits, _ = search("Meta Platforms Ireland", "DE")
    assert hits[0].name == "meta" and hits[0].tier == "verified"
    assert all(hit.name not in {"facebook", "oculuscom"} for hit in hits)
    assert registry.resolve("amazon-de", "DE").id == "amazon-europe"  # Amazon Europe Core SARL, verified


def test_a_letter_to_facebook_goes_to_the_verified_address(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = invoke("letter", "access", "facebook", "--profile", profile, "-f", "txt", "-o", "fb.txt", "--no-record")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "fb.txt").read_text("utf-8")
    assert "Merrion Road" in text and "Dublin 4" in text and "Grand Canal" not in text
    assert "secondary" not in result.output


def test_neither_help_nor_a_letter_to_meta_reads_the_dataset(tmp_path):
    probe = ("import sys\nfrom objector.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('dataset' if 'objector.people.dataset' in sys.modules else 'none')")
    profile = write_profile(tmp_path)
    env = os.environ | {"OBJECTOR_HOME": str(tmp_path / "home")}
    for args in (["--help"], ["letter", "objection", "meta", "-f", "txt", "--no-record", "-o", str(tmp_path / "m.txt"),
                              "--profile", str(profile)], ["controllers", "show", "meta-ireland"]):
        done = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True, cwd=tmp_path)
        assert done.stdout.strip().splitlines()[-1] == "none", (args, done.stderr)


# ----------------------------------------------------------------------------- search


@pytest.mark.parametrize(("text", "country", "expected", "matched"), [
    ("Topshop", None, "asos-shop", "brand Topshop"),  # a brand the company runs
    ("GMX Mail", "DE", "1und1-gmx", "brand GMX Mail"),
    ("asos.com", None, "asos-shop", "domain asos.com"),  # a domain, as typed or as a web address
    ("https://www.zalando.de/damen/", "DE", "zalando", "domain zalando.de"),
    ("zalndo", "DE", "zalando", "name Zalando SE"),  # typos
    ("spotfy", None, "spotify", "name Spotify AB"),
    ("deutsche bahn", "DE", "deutsche-bahn", "slug deutsche bahn"),
    ("instagram", None, "meta", "service instagram"),  # the verified tier too
])
def test_search_finds_by_brand_domain_and_typo(text, country, expected, matched):
    hits, _ = search(text, country)
    assert hits and hits[0].name == expected and hits[0].matched == matched, [(h.name, h.matched) for h in hits]


def test_search_is_country_aware(invoke):
    hits, elsewhere = search("zalando", "CZ")  # the dataset lists Zalando SE for Germany
    assert "zalando" not in [h.name for h in hits] and elsewhere >= 1
    result = invoke("controllers", "search", "zalando", "--country", "CZ")
    assert result.exit_code == 0 and "--country all shows them" in result.stdout
    found = json.loads(invoke("controllers", "search", "zalando", "--country", "all", "--json").stdout)
    assert found["hits"][0]["name"] == "zalando" and found["hits"][0]["tier"] == "secondary"


def test_show_gives_a_secondary_records_address_sources_and_tier(invoke):
    result = invoke("controllers", "show", "bundesjustizamt", "--country", "DE")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "tier:      secondary" in out and f"commit {COMMIT[:12]}, record 'bundesjustizamt'" in out
    assert "Adenauerallee 99 – 103, 53113 Bonn, DE" in out and "e-mail:" in out and "Geburtsdatum (birthdate)" in out
    assert "asks for an ID document" in out and "requests in 'de'" in out
    assert "objection: yes, under GDPR" in out and "(direct-marketing)" in out
    data = json.loads(invoke("controllers", "show", "asos-shop", "--json").stdout)
    assert data["tier"] == "secondary" and data["dataset"]["slug"] == "asos-shop" and data["dataset"]["commit"] == COMMIT


def test_an_unknown_name_points_to_search(invoke):
    result = invoke("controllers", "show", "zalandoo")
    assert result.exit_code == 4 and "did you mean zalando" in result.stderr and "controllers search" in result.stderr


# ----------------------------------------------------------------------------- letters


KIND_OPTIONS = {
    "objection": {}, "access": {}, "erasure": {"grounds": ("no-longer-needed",)},
    "portability": {}, "rectification": {"corrections": ("Surname: Nováková",)},
    "restriction": {"grounds": ("accuracy-contested",)}, "withdraw-consent": {"consents": ("newsletters",)},
}
SAMPLE_PEOPLE = [("DE", "de"), ("FR", "fr"), ("GB", "en"), ("IT", "it"), ("ES", "es"), ("NL", "nl"), ("PL", "pl"),
                 ("SE", "sv"), ("PT", "pt"), ("RO", "ro"), ("CZ", "en")]


def test_twenty_sampled_companies_get_letters_with_their_name_and_address(shipped):
    from objector import i18n
    from objector.letters import letter as letters
    from objector.people.profile import from_dict

    rng = random.Random(19)
    readable = sorted(slug for slug, r in shipped.records.items() if "address" in r and not secondary.superseded_by(r, registry.controllers()))
    sample = rng.sample(readable, 20)
    countries = set()
    for n, slug in enumerate(sample):
        country, lang = SAMPLE_PEOPLE[n % len(SAMPLE_PEOPLE)]
        kind = list(KIND_OPTIONS)[n % len(KIND_OPTIONS)]
        person = from_dict(BASE_PROFILE | {"language": lang, "address": BASE_PROFILE["address"] | {"country": country}})
        request = letters.prepare(kind, slug, person, reference="ACC-2026-TEST00", options=KIND_OPTIONS[kind])
        record = shipped.records[slug]
        assert request.controller.secondary and request.controller.name == record["name"]
        text = flat(letters.render_text(request))
        assert record["name"] in text, slug
        for line in record["address"]:
            assert flat(line) in text, (slug, line)
        if record["country"] != country:
            assert i18n.country_name(record["country"], lang).upper() in text, slug
        countries.add(record["country"])
    assert len(countries) >= 3, countries


def test_a_pdf_to_a_dataset_company_names_it_and_its_address(invoke, tmp_path):
    profile = write_profile(tmp_path, language="de", address={"country": "AT", "postcode": "1010", "city": "Wien", "lines": ["Graben 1"]})
    result = invoke("letter", "access", "spotify", "--profile", profile, "-f", "pdf", "-o", "s.pdf", "--no-record")
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(tmp_path / "s.pdf"))
    for expected in ("Spotify AB", "Birger Jarlsgatan 61", "113 56 Stockholm", "SCHWEDEN", "Art. 15"):
        assert expected in text, expected
    assert "datenanfragen" not in text and "secondary" not in text.lower()  # the letter itself says nothing of tiers
    assert "a secondary record, from the open dataset" in result.stdout
    assert "Spotify AB is a secondary record" in result.stderr


def test_by_email_the_eml_is_addressed_to_the_company_and_is_the_default(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = invoke("letter", "access", "zalando", "--profile", profile, "--no-record")  # no --format given
    assert result.exit_code == 0, result.output
    (eml,) = tmp_path.glob("*.eml")
    assert 'To: Zalando SE <datenschutz@zalando.de>' in eml.read_text("utf-8").splitlines()
    assert "the dataset suggests sending to Zalando SE by email" in result.stderr
    assert "lists Zalando SE for DE, not for CZ" in result.stderr


def test_what_the_record_asks_for_is_said_and_details_go_in_the_letter(invoke, tmp_path):
    profile = write_profile(tmp_path)
    args = ("letter", "access", "bundesjustizamt", "--profile", profile, "-f", "txt", "--no-record")
    result = invoke(*args, "-o", "a.txt")
    assert result.exit_code == 0, result.output
    err = flat(result.stderr)
    assert "needs these details to find you: Geburtsdatum, Geburtsort" in err and "--detail 'Geburtsdatum: ...'" in err
    assert "asks for an ID document with every request" in err
    assert "takes requests in German: --lang de" in err
    result = invoke(*args, "-o", "b.txt", "--detail", "Geburtsdatum: 4. Mai 1990", "--detail", "Geburtsort: Brno")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "b.txt").read_text("utf-8")
    assert "Geburtsdatum: 4. Mai 1990" in text and "Geburtsort: Brno" in text
    assert "needs these details" not in result.stderr
    bad = invoke(*args, "-o", "c.txt", "--detail", "Kundennummer")
    assert bad.exit_code == 3 and "is not 'LABEL: VALUE'" in bad.stderr


def test_an_unreadable_address_refuses_a_letter_by_post_but_not_by_email(invoke, tmp_path):
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(snapshot(company("postlos", address="Musterweg 1\n10115 Berlin"))), "utf-8")
    assert invoke("controllers", "update", path).exit_code == 0
    profile = write_profile(tmp_path)
    refused = invoke("letter", "access", "postlos", "--profile", profile, "-f", "pdf")
    assert refused.exit_code == 4
    assert ("the dataset's address for Postlos GmbH cannot be read as a postal address (its last line '10115 Berlin' "
            "names no country)") in refused.stderr and "datenschutz@postlos.example" in refused.stderr
    by_mail = invoke("letter", "access", "postlos", "--profile", profile, "-f", "eml")
    assert by_mail.exit_code == 0, by_mail.output


def test_a_letter_to_a_dataset_company_is_kept_in_the_journal_with_its_record(invoke, tmp_path):
    profile = write_profile(tmp_path)
    result = invoke("letter", "access", "spotify", "--profile", profile, "-f", "txt", "--date", "2026-10-01", "--json")
    assert result.exit_code == 0, result.output
    reference = json.loads(result.stdout)["reference"]
    assert invoke("log", "sent", reference, "--on", "2026-10-01", "--via", "email").exit_code == 0
    reminder = invoke("followup", reference, "--date", "2026-11-20", "-f", "txt", "-o", "r.txt")
    assert reminder.exit_code == 0, reminder.output
    text = (tmp_path / "r.txt").read_text("utf-8")
    assert "Spotify AB" in text and "Birger Jarlsgatan 61" in text


def test_batch_rows_and_a_controller_file_work_with_dataset_companies(invoke, tmp_path):
    fotoclub = tmp_path / "more.toml"
    fotoclub.write_text("""[[controller]]
id = "fotoclub-gmbh"
service = "fotoclub"
name = "Fotoclub Beispiel GmbH"
brand = "Fotoclub"
products = ["Fotoclub"]
regions = ["EEA"]
establishment = "DE"
address = ["Musterweg 1", "10115 Berlin"]
address_country = "DE"
address_verified = true
verified = true
checked = "2026-12-01"
sources = ["fotoclub.example/datenschutz, read 2026-12-01"]
""", "utf-8")
    rows = [{"kind": "access", "controller": slug, "name": "Jana Nováková", "email": "jana@example.org",
             "street": "Dlouhá 12", "city": "Praha", "country": "CZ", "date": "2026-11-27", "format": "txt"}
            for slug in ("asos-shop", "fotoclub")]
    path = tmp_path / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = invoke("batch", path, "-d", tmp_path / "out", "--jobs", "1", "--controller-file", fotoclub)
    assert result.exit_code == 0, result.output
    assert "secondary records from the open dataset, not verified by objector (row 1: asos-shop)" in result.stderr
    texts = sorted(p.read_text("utf-8") for p in (tmp_path / "out").glob("*.txt"))
    assert any("ASOS" in t and "WD25 7GR" in t for t in texts) and any("Fotoclub Beispiel GmbH" in t for t in texts)
    shown = invoke("controllers", "show", "asos-shop", "--controller-file", fotoclub)
    assert shown.exit_code == 0 and "tier:      secondary" in shown.stdout


# ----------------------------------------------------------------------------- updating the dataset


def test_update_validates_reports_changes_and_is_used_from_then_on(invoke, tmp_path, objector_home):
    path = tmp_path / "newer.json.gz"
    path.write_bytes(gzip.compress(json.dumps(snapshot(
        company("neufirma"), company("spotify", name="Spotify AB", address="Regeringsgatan 19\n111 53 Stockholm\nSweden"),
        company("kaputt", email="nope"))).encode("utf-8")))
    result = invoke("controllers", "update", path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2 companies from the snapshot of 2026-11-30" in out and "1 added, 3068 removed, 1 changed" in out
    assert "added: neufirma" in out and "changed: spotify" in out and "kaputt: 'email': 'nope'" in out
    kept = objector_home / dataset.USER_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert registry.resolve("spotify", "DE").address == ("Regeringsgatan 19", "111 53 Stockholm")
    assert registry.resolve("neufirma", "DE").secondary.commit == "1" * 40
    with pytest.raises(NotFoundError):
        registry.resolve("zalando", "DE")  # not in the newer snapshot


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "is not JSON"),
    (json.dumps({"companies": []}).encode(), "'commit' must name the dataset's commit"),
    (json.dumps(snapshot(company("X Y"))).encode(), "none of its 1 company records could be read"),
])
def test_update_refuses_a_bad_file_in_one_line_and_keeps_the_dataset(invoke, tmp_path, objector_home, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = invoke("controllers", "update", path)
    assert result.exit_code == 3 and len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert not (objector_home / dataset.USER_FILE).exists()
