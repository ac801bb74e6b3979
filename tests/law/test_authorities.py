"""The authorities' data: sourced, complete for the EU/EEA and the German Länder, UNVERIFIED marked."""

from __future__ import annotations

import pytest

from objector.law import authorities
from objector.law.laws import EEA

FIELDS = {"name", "name_en", "address", "email", "web", "route", "languages"}


def test_every_record_names_its_sources():
    for a in authorities.authorities():
        assert a.sources, f"{a.id} has no sources"
        assert all(source.strip() for source in a.sources), a.id


def test_a_record_without_sources_fails_to_pass(monkeypatch):
    import dataclasses

    broken = dataclasses.replace(authorities.authorities()[0], sources=())
    monkeypatch.setattr(authorities, "authorities", lambda: (broken,))
    with pytest.raises(AssertionError):
        test_every_record_names_its_sources()


def test_ids_unique_and_fields_known():
    ids = [a.id for a in authorities.authorities()]
    assert len(ids) == len(set(ids))
    for a in authorities.authorities():
        assert set(a.unverified) <= FIELDS, a.id
        if not a.verified:
            assert "address" in a.unverified, f"{a.id}: an unverified address must be marked as such"
        else:
            assert a.address and "address" not in a.unverified, a.id


def test_every_eea_country_germany_and_the_others_have_an_authority():
    for country in sorted(EEA):
        region = "BY" if country == "DE" else ""
        assert authorities.for_residence(country, region).country == country
    lands = {a.region for a in authorities.authorities() if a.country == "DE" and a.region}
    assert lands == {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"}
    for other in ("gb-ico", "ch-fdpic", "us-ca-cppa", "br-anpd"):
        assert authorities.get(other)
    assert authorities.for_residence("US", "CA").id == "us-ca-cppa"
    assert authorities.for_establishment("IE").id == "ie-dpc"


def test_spain_goes_to_the_aepd_not_a_regional_authority():
    assert authorities.for_residence("ES", "CT").id == "es-aepd"


def test_reference_corrections_are_carried():
    """authorities.md, "Corrections to carry into the registry"."""
    assert authorities.get("is-pv").address[0] == "Laugavegur 166, 4th floor"
    assert authorities.get("de-sn").address == ("Postfach 11 01 32", "01330 Dresden")
    assert "8 rue Vivienne" not in " ".join(authorities.get("fr-cnil").address)
    assert "Monte Citorio" not in " ".join(authorities.get("it-gpdp").address)
    assert authorities.get("cz-uoou").email == "posta@uoou.gov.cz"
    assert not authorities.get("us-ca-cppa").address


def test_short_ids():
    assert authorities.get("dpc").id == "ie-dpc" and authorities.get("DE-BY").id == "de-by"
