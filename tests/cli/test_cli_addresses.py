"""Addresses as people have them: a c/o line, up to the documented four lines in `init`, `profile edit` and a batch
row, and in Germany the Land, which decides where a complaint goes."""

from __future__ import annotations

import json
import tomllib

import pytest

from helpers import ok, write_profile
from objector.people.profile import MAX_ADDRESS_LINES


def answers(*address: str, country: str = "DE", region: tuple[str, ...] = ("Berlin",)) -> str:
    """The answers to `objector init`: name, e-mail, language, then the address questions, then no accounts."""
    return "\n".join(["Lukas Becker", "lukas@example.de", "de", *address, "10115", "Berlin", country, *region,
                      "", "", "", "y"]) + "\n"


def saved_address(objector_home) -> dict:
    return tomllib.loads((objector_home / "profile.toml").read_text("utf-8"))["address"]


def test_init_asks_for_a_c_o_line_and_up_to_the_maximum_of_lines(invoke, objector_home):
    lines = ["c/o Familie Schulze", "Lindenstraße 5", "Hinterhaus", "3. Obergeschoss"]
    result = ok(invoke("init", input=answers(*lines, region=("XX", "Berlin"))))
    assert saved_address(objector_home) == {"lines": lines, "postcode": "10115", "city": "Berlin", "country": "DE",
                                            "region": "BE"}
    assert len(lines) == MAX_ADDRESS_LINES and "1 more at most" in result.stdout  # the last question says so
    assert "Further address line (optional, 0" not in result.stdout  # and no fifth is asked for
    assert "'XX' is not a German Land" in result.output  # asked again, with the Länder listed
    assert "BE Berlin" in result.output


def test_init_in_germany_asks_for_the_land_and_elsewhere_not(invoke, objector_home, tmp_path):
    result = ok(invoke("init", input=answers("", "Lindenstraße 5", "", region=("", "be"))))
    assert result.stdout.count("Land (BW, BY, BE") == 2  # an empty answer is no Land: asked again
    assert saved_address(objector_home)["lines"] == ["Lindenstraße 5"] and saved_address(objector_home)["region"] == "BE"
    czech = ok(invoke("init", "--profile", tmp_path / "cz.toml",
                      input=answers("", "Dlouhá 12", "", country="CZ", region=())))
    assert "Land (" not in czech.stdout
    assert tomllib.loads((tmp_path / "cz.toml").read_text("utf-8"))["address"]["region"] == ""


def test_profile_edit_street_keeps_the_c_o_line(invoke, tmp_path):
    path = write_profile(tmp_path, address={"lines": ["c/o Familie Schulze", "Lindenstraße 5"], "postcode": "10115",
                                            "city": "Berlin", "country": "DE"})
    result = ok(invoke("profile", "edit", "street", "Hauptstraße 1", "--profile", path))
    assert "street: Lindenstraße 5 → Hauptstraße 1" in result.stdout
    assert tomllib.loads(path.read_text("utf-8"))["address"]["lines"] == ["c/o Familie Schulze", "Hauptstraße 1"]


def test_profile_edit_lines_by_position_and_as_a_list(invoke, tmp_path):
    path = write_profile(tmp_path)

    def lines() -> list[str]:
        return tomllib.loads(path.read_text("utf-8"))["address"]["lines"]

    ok(invoke("profile", "edit", "lines", "c/o Nováková", "Dlouhá 12", "Dvůr", "2. patro", "--profile", path))
    assert lines() == ["c/o Nováková", "Dlouhá 12", "Dvůr", "2. patro"]
    result = ok(invoke("profile", "edit", "street4", "3. patro", "--profile", path))
    assert "street4: 2. patro → 3. patro" in result.stdout and lines()[3] == "3. patro"
    assert "street3: Dvůr → (removed)" in ok(invoke("profile", "edit", "street3", "", "--profile", path)).stdout
    assert lines() == ["c/o Nováková", "Dlouhá 12", "3. patro"]
    too_many = invoke("profile", "edit", "lines", "a", "b", "c", "d", "e", "--profile", path)
    assert too_many.exit_code == 3 and f"at most {MAX_ADDRESS_LINES}" in too_many.stderr
    assert lines() == ["c/o Nováková", "Dlouhá 12", "3. patro"]  # nothing half-written
    assert invoke("profile", "edit", "street5", "x", "--profile", path).exit_code == 3


def test_profile_edit_region_takes_a_land_by_code_or_name(invoke, tmp_path):
    path = write_profile(tmp_path, address={"lines": ["Lindenstraße 5"], "postcode": "10115", "city": "Berlin",
                                            "country": "DE"})
    assert "region: (empty) → BE" in ok(invoke("profile", "edit", "region", "Berlin", "--profile", path)).stdout
    wrong = invoke("profile", "edit", "region", "Preußen", "--profile", path)
    assert wrong.exit_code == 3 and "not a German Land" in wrong.stderr and "NW Nordrhein-Westfalen" in wrong.stderr


BATCH_HEADER = "kind,controller,name,email,street,street2,street3,street4,postcode,city,country,region,format\n"


def test_batch_rows_take_four_address_lines(invoke, tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text(BATCH_HEADER + "access,meta,Lukas Becker,lukas@example.de,c/o Familie Schulze,Lindenstraße 5,"
                    "Hinterhaus,3. Obergeschoss,10115,Berlin,DE,BE,txt\n", "utf-8")
    report = json.loads(ok(invoke("batch", rows, "-d", tmp_path / "out", "--jobs", "1", "--json")).stdout)
    text = (tmp_path / "out" / report["written"][0]["path"].split("/")[-1]).read_text("utf-8")
    block = text[text.index("Lukas Becker"):]
    assert block.index("c/o Familie Schulze") < block.index("Lindenstraße 5") < block.index("Hinterhaus") \
        < block.index("3. Obergeschoss") < block.index("10115 Berlin")


@pytest.mark.parametrize("region, message", [("XX", "region: 'XX' is not a German Land")])
def test_batch_row_with_a_wrong_land_is_skipped(invoke, tmp_path, region, message):
    rows = tmp_path / "rows.csv"
    rows.write_text(BATCH_HEADER + f"access,meta,Lukas Becker,lukas@example.de,Lindenstraße 5,,,,10115,Berlin,DE,"
                    f"{region},txt\n", "utf-8")
    result = invoke("batch", rows, "-d", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 3 and message in result.stderr
