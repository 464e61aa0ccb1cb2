"""The question_bank and route management commands, against the fixture bank.

These tests have no database access: pytest-django would fail them if a command touched it.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURE_BANK = str(Path(__file__).parent / "fixtures" / "bank")


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, "--bank-dir", FIXTURE_BANK, stdout=out)
    return out.getvalue()


def run_json(command: str, *args: str) -> Any:
    return json.loads(run(command, *args, "--json"))


# --------------------------------------------------------------------------------------------------
# question_bank


def test_question_bank_json_describes_each_question() -> None:
    printed = run_json("question_bank")
    assert printed["version"] == "2015-01"
    assert len(printed["questions"]) == 32
    assert printed["questions"][16] == {
        "id": "1.2.1",
        "view": 1,
        "kind": "judgement",
        "criterion": "2.1",
        "theme": "public",
        "text": "Was there a sufficient assessment of risk of harm to others?",
        "options": ["Sufficient", "Insufficient", "N/A"],
        "multiple": False,
        "input": "choice",
        "na_allowed": True,
        "scored": True,
        "condition": None,
        "explains": [],
        "other_narrative": None,
        "programmes": ["sqs", "fji"],
        "modules": [],
    }
    explanation = next(q for q in printed["questions"] if q["id"] == "1.1.2")
    assert (explanation["explains"], explanation["other_narrative"]) == (["1.1.1"], "1.20")
    several = next(q for q in printed["questions"] if q["id"] == "2.3.1.1")
    assert several["explains"] == ["2.3.1a", "2.3.1b"]
    assert next(q for q in printed["questions"] if q["id"] == "9b")["condition"] == "welsh_or_unknown"


def test_question_bank_sqs_leaves_out_fji_only_questions() -> None:
    ids = [q["id"] for q in run_json("question_bank", "--programme", "sqs")["questions"]]
    assert ids == [
        "1", "3b", "5", "7.a", "7.b", "9a", "9b", "9c", "10.a", "10.c", "13b", "14", "14a",
        "1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.3.1", "1.6.1", "1.8.1", "1.20", "1.20a",
        "2.1.1", "2.1.2", "2.2.1", "2.20",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "has_module_question"),
    [
        pytest.param(("--programme", "fji"), True, id="no-module-filter"),
        pytest.param(("--programme", "fji", "--modules", "court_work"), True, id="court-work"),
        pytest.param(("--programme", "fji", "--modules", "victims_rj"), False, id="other-module"),
        pytest.param(("--programme", "fji", "--modules", ""), False, id="no-modules"),
        pytest.param(("--modules", "court_work,victims_rj"), True, id="two-modules"),
    ],
)
def test_question_bank_module_filter(args: tuple[str, ...], has_module_question: bool) -> None:
    ids = [q["id"] for q in run_json("question_bank", *args)["questions"]]
    assert ("1.5.1" in ids) is has_module_question
    assert "15" in ids


def test_question_bank_unknown_module_is_an_error() -> None:
    with pytest.raises(
        CommandError, match="unknown module\\(s\\): governance; the bank's modules are court_work, victims_rj"
    ):
        run("question_bank", "--modules", "governance")


def test_question_bank_other_version() -> None:
    assert [q["id"] for q in run_json("question_bank", "--version", "2014-06")["questions"]] == ["1"]


def test_question_bank_unknown_version_is_an_error() -> None:
    with pytest.raises(CommandError, match="no question bank version '1999-01'"):
        run("question_bank", "--version", "1999-01")


def test_question_bank_table() -> None:
    lines = run("question_bank", "--programme", "fji").splitlines()
    assert lines[0] == "Question bank 2015-01: 32 question(s)"
    assert lines[1].split() == ["id", "view", "kind", "criterion", "theme", "scored", "condition"]
    row = next(line for line in lines if line.startswith("1.5.1 "))
    assert row.split() == [
        "1.5.1",
        "1",
        "judgement",
        "1.3",
        "reoffending",
        "yes",
        "[modules:",
        "court_work;",
        "only",
        "FJI]",
    ]
    several = next(line for line in lines if line.startswith("2.3.1.1 "))
    assert several.endswith("[modules: victims_rj; only FJI; explains 2.3.1a, 2.3.1b]")


# --------------------------------------------------------------------------------------------------
# route


@pytest.fixture
def profile(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(data: Any) -> str:
        path = tmp_path / "profile.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data))
        return str(path)

    return write


def test_route_prints_asked_and_required(profile: Any) -> None:
    path = profile(
        {
            "programme": "sqs",
            "modules": [],
            "answers": {"3b": "Wales", "9a": "Welsh", "1.1.1": "Insufficient", "1.1.2": ["Other"]},
        }
    )
    assert run_json("route", path) == {
        "asked": [
            "1", "3b", "5", "7.a", "9a", "9b", "10.a", "13b", "14",
            "1.1.1", "1.1.2", "1.2.1", "1.20", "1.20a", "2.1.1", "2.20",
        ],
        "required": [
            "1", "3b", "5", "7.a", "9a", "9b", "10.a", "13b", "14",
            "1.1.1", "1.1.2", "1.2.1", "1.20", "2.1.1",
        ],
    }  # fmt: skip


def test_route_labels_and_ids_are_lenient(profile: Any) -> None:
    path = profile(
        {
            "programme": "FJI",
            "modules": ["court_work"],
            "country": "wales",
            "alert": True,
            "answers": {"3B": "wales", "9A": "not known", "7a": "YES", "10A": "section 90/91", "14": "looked after"},
        }
    )
    asked = run_json("route", path)["asked"]
    assert [qid for qid in ("9b", "7.b", "10.c", "14a", "1.5.1", "1.6.1", "15") if qid in asked] == [
        "9b", "7.b", "10.c", "14a", "1.5.1", "1.6.1", "15",
    ]  # fmt: skip


def test_route_unknown_ids_and_labels_are_errors(profile: Any) -> None:
    path = profile(
        {
            "programme": "sqs",
            "answers": {"3z": "Wales", "9a": "Cornish", "3b": ["England", "Wales"], "7a": "Yes", "7.a": "No"},
        }
    )
    with pytest.raises(CommandError) as caught:
        run("route", path, "--json")
    assert caught.value.returncode == 1
    assert str(caught.value).splitlines() == [
        "the profile has problems:",
        "- unknown question id '3z'",
        "- question 9a: 'Cornish' is not one of its answers; allowed: English, Welsh, Other, Not Known",
        "- question 3b takes one answer; allowed: England, Wales",
        "- question 7.a is answered twice (as '7a' and '7.a')",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"programme": "pqs"}, "- 'programme' must be one of sqs, fji, not 'pqs'", id="programme"),
        pytest.param({"programme": "fji", "modules": ["x"]}, "- unknown module 'x'; the bank's modules are court_work, victims_rj", id="module"),
        pytest.param({"programme": "sqs", "country": "France"}, "- 'country' must be one of England, Wales, not 'France'", id="country"),
        pytest.param({"programme": "sqs", "alert": "yes"}, "- 'alert' must be true or false, not 'yes'", id="alert"),
        pytest.param({"programme": "sqs", "answer": {}}, "- unknown profile field 'answer'", id="unknown-field"),
        pytest.param({"programme": "sqs", "answers": {"1": ["a"]}}, "- question 1 takes a written answer, not ['a']", id="written-answer"),
    ],
)  # fmt: skip
def test_route_profile_errors(profile: Any, data: dict[str, Any], message: str) -> None:
    with pytest.raises(CommandError) as caught:
        run("route", profile(data))
    assert message in str(caught.value).splitlines()


def test_route_invalid_json(profile: Any) -> None:
    with pytest.raises(CommandError, match="the profile is not valid JSON"):
        run("route", profile("{"))


def test_route_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read the profile"):
        run("route", str(tmp_path / "none.json"))


def test_route_readable_output(profile: Any) -> None:
    path = profile({"programme": "sqs", "answers": {"7.a": "No", "7.b": "Yes", "1": "A. Inspector"}})
    lines = run("route", path).splitlines()
    assert lines[0] == "Bank 2015-01, SQS: 13 question(s) asked, 10 required (*)"
    assert lines[1] == "* 1        information Inspector's name  = A. Inspector"
    assert lines[-1] == "Hidden answers (kept, not scored): 7.b"
