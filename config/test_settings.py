"""Settings come from the environment through strict readers; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import SettingError, env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("YES", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_clear_values(raw, expected):
    assert env_bool("X", False, environ={"X": raw}) is expected


@pytest.mark.parametrize("raw", ["yes please", "2", "enabled"])
def test_env_bool_refuses_anything_else(raw):
    with pytest.raises(SettingError, match="is not a boolean"):
        env_bool("X", False, environ={"X": raw})


def test_env_int_refuses_non_numbers_and_values_below_minimum():
    assert env_int("N", 5, environ={}) == 5
    assert env_int("N", 5, environ={"N": " 7 "}) == 7
    with pytest.raises(SettingError, match="is not a whole number"):
        env_int("N", 5, environ={"N": "7.5"})
    with pytest.raises(SettingError, match="below the minimum of 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_env_list_and_choice():
    assert env_list("L", ["a"], environ={"L": "x, y"}) == ["x", "y"]
    with pytest.raises(SettingError, match="empty item"):
        env_list("L", [], environ={"L": "x,,y"})
    with pytest.raises(SettingError, match="must be one of"):
        env_choice("E", "a", ("a", "b"), environ={"E": "c"})


def _manage(*args, **env):
    unwanted = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ENV", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ENV="production", DATABASE_URL="postgres://u@localhost/db")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_setting_stops_start_up():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="k" * 20 + "-not-a-real-secret-but-long-and-varied-0123456789!",
        DATABASE_URL="postgres://u@localhost/db",
        ALLOWED_HOSTS="inspections.example.gov.uk",
        SITE_URL="https://inspections.example.gov.uk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_site_url_that_is_not_https():
    result = _manage(
        "check",
        DJANGO_ENV="production",
        SECRET_KEY="k" * 20 + "-not-a-real-secret-but-long-and-varied-0123456789!",
        DATABASE_URL="postgres://u@localhost/db",
        SITE_URL="http://inspections.example.gov.uk",
    )
    assert result.returncode != 0
    assert "SITE_URL must be the service's https:// address" in result.stderr
