"""An address email-validator found valid and normal is not checked again: a letter skips its ~20 ms import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from objector.errors import InputError
from objector.people.profile import CHECKED_EMAILS, validate_email

PROBE = ("import sys\nfrom objector.people.profile import validate_email\nprint(validate_email(sys.argv[1]))\n"
         "print('validator' if 'email_validator' in sys.modules else 'cache')")


def probe(address: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, address], capture_output=True, text=True, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_normal_address_is_checked_once_and_kept_by_hash_only(objector_home):
    assert probe("jana.novakova@example.org") == ["jana.novakova@example.org", "validator"]
    assert probe("jana.novakova@example.org") == ["jana.novakova@example.org", "cache"]
    kept = objector_home / "cache" / CHECKED_EMAILS
    assert "example" not in kept.read_text() and len(kept.read_text().split()) == 1
    assert oct(kept.stat().st_mode & 0o777) == "0o600"


def test_an_address_that_normalizes_is_always_checked(objector_home):
    assert probe("Jana@EXAMPLE.org") == ["Jana@example.org", "validator"]
    assert probe("Jana@EXAMPLE.org") == ["Jana@example.org", "validator"]


def test_an_invalid_address_is_refused_every_time(objector_home):
    for _ in range(2):
        with pytest.raises(InputError, match="not a valid e-mail address"):
            validate_email("jana@@example")
    assert not (objector_home / "cache" / CHECKED_EMAILS).exists()


def test_a_cache_that_cannot_be_written_changes_nothing(objector_home):
    objector_home.mkdir(parents=True)
    (objector_home / "cache").write_text("a file where the folder would be")
    assert validate_email("jana@example.org") == "jana@example.org"
    assert Path(objector_home / "cache").read_text() == "a file where the folder would be"
