"""`objector init`, `profile show` and `controllers list|show`."""

from __future__ import annotations

import json
import stat
import tomllib

from helpers import write_profile

ANSWERS = [
    "Jana Nováková",       # name
    "not-an-email",        # invalid: asked again
    "jana@example.org",
    "en",
    "",                    # no c/o line
    "Dlouhá 12",
    "",                    # no further line
    "110 00",
    "Praha",
    "Czechia",             # invalid: asked again
    "cz",
    "jana.novak",          # instagram
    "",                    # facebook
    "",                    # threads
    "y",                   # save the profile shown
]


def test_init_asks_validates_and_saves_privately(invoke, objector_home):
    result = invoke("init", input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.output
    path = objector_home / "profile.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(objector_home.stat().st_mode) == 0o700
    assert "not a valid e-mail address" in result.output
    assert "ISO 3166-1 alpha-2" in result.output
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["name"] == "Jana Nováková" and data["email"] == "jana@example.org"
    assert data["address"] == {"lines": ["Dlouhá 12"], "postcode": "110 00", "city": "Praha", "country": "CZ", "region": ""}
    assert data["accounts"] == {"instagram": "jana.novak"}
    shown = invoke("profile", "show", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["address"]["country"] == "CZ"


def test_init_keeps_an_existing_profile_unless_confirmed(invoke, objector_home):
    objector_home.mkdir(mode=0o700)
    (objector_home / "profile.toml").write_text("name = 'kept'\n")
    result = invoke("init", input="n\n")
    assert result.exit_code == 6
    assert (objector_home / "profile.toml").read_text() == "name = 'kept'\n"


def test_init_writes_to_profile_path(invoke, tmp_path):
    result = invoke("init", "--profile", "me.toml", input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "me.toml").stat().st_mode) == 0o600


def test_profile_show_prints_toml(invoke, tmp_path):
    path = write_profile(tmp_path)
    result = invoke("profile", "show", "--profile", path)
    assert result.exit_code == 0
    assert tomllib.loads(result.stdout)["address"]["city"] == "Praha"


def test_controllers_list_and_show(invoke):
    result = invoke("controllers", "list")
    assert result.exit_code == 0
    assert "meta-ireland" in result.stdout and "Meta Platforms Ireland Limited" in result.stdout
    assert "whatsapp-llc-uk" in result.stdout and "[address unverified]" in result.stdout
    shown = invoke("controllers", "show", "meta-ireland")
    assert shown.exit_code == 0
    assert "Merrion Road, Dublin 4, D04 X2K5, IE" in shown.stdout and "verified:  yes" in shown.stdout
    assert "Grand Canal" in shown.stdout  # the note that the old address is outdated
    whatsapp = invoke("controllers", "show", "whatsapp-llc-uk", "--json")
    data = json.loads(whatsapp.stdout)
    assert data["address_verified"] is False and data["verified"] is True
    resolved = invoke("controllers", "show", "meta", "--country", "GB")
    assert "Meta Platforms, Inc." in resolved.stdout and "verified:  NO" in resolved.stdout


def test_controllers_show_unknown(invoke):
    result = invoke("controllers", "show", "acme")
    assert result.exit_code == 4 and "unknown controller 'acme'" in result.stderr


def test_init_without_answers_saves_nothing(invoke, objector_home):
    result = invoke("init", input="Jana\n")  # the input ends before the questions do
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert not (objector_home / "profile.toml").exists()
