"""The two file-based commands. They touch no database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from casework.longlist.sample_data import longlist_workbook, synthetic_rows

ANNOUNCED = dt.date(2026, 3, 13)


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "longlist.xlsx"
    path.write_bytes(longlist_workbook(synthetic_rows(80, announced=ANNOUNCED, seed=2), announced=ANNOUNCED))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "longlist.pdf"
    path.write_bytes(b"%PDF-1.4")
    return path


def test_longlist_check_prints_ok(good_file, capsys):
    call_command("longlist_check", str(good_file), "--announced", "2026-03-13", "--json")
    assert json.loads(capsys.readouterr().out) == {"ok": True, "rows": 80, "errors": [], "readings": []}


def test_longlist_check_exits_1_with_errors(bad_file, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("longlist_check", str(bad_file), "--announced", "2026-03-13", "--json")
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out) == {
        "ok": False,
        "rows": 0,
        "errors": [
            {
                "sheet": None,
                "row": None,
                "column": None,
                "message": "This file is not a spreadsheet. Upload the long-list as an Excel workbook (.xlsx) "
                "made from the template, or as a CSV file.",
            }
        ],
        "readings": [],
    }


def test_longlist_check_window_depends_on_the_announcement(good_file, capsys):
    with pytest.raises(SystemExit):
        call_command("longlist_check", str(good_file), "--announced", "2027-03-13", "--json")
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert errors[0]["column"] == "Sentence date"
    assert "is outside the window for" in errors[0]["message"]


def test_select_sample_prints_cases_reasons_and_mix(good_file, capsys):
    call_command(
        "select_sample",
        str(good_file),
        "--announced",
        "2026-03-13",
        "--size",
        "20",
        "--programme",
        "fji",
        "--seed",
        "3",
        "--json",
    )
    out = json.loads(capsys.readouterr().out)
    assert len(out["selected"]) == 20
    assert [s["heading"] for s in out["selected"]].count("1st tier") == 4
    assert all(s["reasons"] and s["case_id"] for s in out["selected"])
    assert {"rule", "message"} <= set(out["unmet"][0]) if out["unmet"] else True
    heading_lines = [m for m in out["mix"] if m["dimension"] == "Heading"]
    assert [(m["value"], m["sample_count"]) for m in heading_lines] == [
        ("1st tier", 4),
        ("Community", 10),
        ("Custodial", 6),
    ]
    call_command(
        "select_sample",
        str(good_file),
        "--announced",
        "2026-03-13",
        "--size",
        "20",
        "--programme",
        "fji",
        "--seed",
        "3",
        "--json",
    )
    assert json.loads(capsys.readouterr().out) == out


def test_select_sample_exits_1_on_a_bad_file(bad_file, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("select_sample", str(bad_file), "--announced", "2026-03-13", "--size", "20", "--json")
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_csv_fixture_checks_clean(capsys):
    fixture = Path(__file__).parent / "fixtures" / "longlist" / "valid_announced_2026-03-13.csv"
    call_command("longlist_check", str(fixture), "--announced", "2026-03-13", "--json")
    assert json.loads(capsys.readouterr().out) == {"ok": True, "rows": 60, "errors": [], "readings": []}
