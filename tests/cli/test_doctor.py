"""`objector doctor` reports what the machine has and what the data folder looks like."""

from __future__ import annotations

import json


def test_doctor_passes_on_a_prepared_machine(invoke):
    result = invoke("doctor", "--json")
    assert result.exit_code == 0, result.output
    checks = {c["check"]: c for c in json.loads(result.stdout)}
    assert set(checks) == {"python", "pango", "harfbuzz-subset", "fonts", "data dir", "journal", "authority"}
    assert checks["pango"]["status"] == "ok" and "Pango" in checks["pango"]["detail"]
    assert checks["fonts"]["status"] == "ok"


def test_doctor_flags_a_data_folder_others_can_read(invoke, objector_home):
    objector_home.mkdir(mode=0o755)
    objector_home.chmod(0o755)
    (objector_home / "profile.toml").write_text("name = 'x'\n")
    (objector_home / "profile.toml").chmod(0o644)
    result = invoke("doctor")
    assert result.exit_code == 6
    assert "FAIL  data dir" in result.stdout and "chmod 700" in result.stdout


def test_doctor_says_when_harfbuzz_subsetting_is_missing(invoke, monkeypatch):
    import weasyprint.text.ffi as ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    result = invoke("doctor")
    assert result.exit_code == 0  # slower, not broken
    assert "warn  harfbuzz-subset" in result.stdout and "apt-get install libharfbuzz-subset0" in result.stdout


def test_doctor_names_the_persons_authority_and_flags_an_unverified_address(invoke, objector_home):
    from helpers import write_profile

    objector_home.mkdir(mode=0o700)
    write_profile(objector_home).chmod(0o600)  # Prague: the Czech authority, verified
    assert "ok  authority        The Office for Personal Data Protection (cz-uoou)" in invoke("doctor").stdout
    write_profile(objector_home, address={"country": "FR", "city": "Lyon", "postcode": "69001"}).chmod(0o600)
    result = invoke("doctor")
    assert result.exit_code == 0  # a warning, not a failure
    assert "warn  authority" in result.stdout and "(fr-cnil): postal address UNVERIFIED" in result.stdout
