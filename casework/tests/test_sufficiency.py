"""Completion checks against the small fixture bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.domain.bank import Bank, load_bank
from casework.domain.routing import Facts, route
from casework.domain.sufficiency import Problem, completion_problems

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"
SQS = Facts(programme="sqs", country="England")

# A complete SQS case in England, community sentence, no Insufficient judgement.
COMPLETE: dict[str, object] = {
    "1": "A. Inspector",
    "3b": "England",
    "5": "15",
    "7.a": "No",
    "10.a": "Referral Order",
    "13b": "Yes",
    "14": ("None",),
    "1.1.1": "Sufficient",
    "1.2.1": "N/A",
    "2.1.1": "Sufficient",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank("2015-01", bank_dir=FIXTURE_BANK)


def problems(bank: Bank, changes: dict[str, object], facts: Facts = SQS) -> list[Problem]:
    return completion_problems(bank, facts, {**COMPLETE, **changes})  # type: ignore[arg-type]


def test_completion_complete_case_has_no_problems(bank: Bank) -> None:
    assert problems(bank, {}) == []


def test_completion_empty_case_lists_every_required_question(bank: Bank) -> None:
    found = completion_problems(bank, SQS, {})
    assert [(p.question_id, p.view, p.code) for p in found] == [
        ("1", 0, "missing"),
        ("3b", 0, "missing"),
        ("5", 0, "missing"),
        ("7.a", 0, "missing"),
        ("10.a", 0, "missing"),
        ("13b", 0, "missing"),
        ("14", 0, "missing"),
        ("1.1.1", 1, "missing"),
        ("1.2.1", 1, "missing"),
        ("2.1.1", 2, "missing"),
    ]


@pytest.mark.parametrize(
    ("question_id", "message"),
    [
        pytest.param("1", "1: enter an answer", id="text"),
        pytest.param("5", "5: enter a number", id="number"),
        pytest.param("3b", "3b: choose an answer", id="single-choice"),
        pytest.param("14", "14: choose one or more answers", id="multiple-choice"),
        pytest.param("1.1.1", "1.1.1: choose Sufficient or Insufficient", id="judgement"),
        pytest.param("1.2.1", "1.2.1: choose Sufficient, Insufficient or N/A", id="judgement-with-na"),
    ],
)
def test_completion_missing_answer_message(bank: Bank, question_id: str, message: str) -> None:
    assert [p.message for p in problems(bank, {question_id: None})] == [message]


def test_completion_insufficient_without_explanation(bank: Bank) -> None:
    assert problems(bank, {"1.1.1": "Insufficient"}) == [
        Problem("1.1.2", 1, "missing", "1.1.2: choose at least one reason why 1.1.1 was Insufficient")
    ]


# 2.3.1.1 explains both 2.3.1a and 2.3.1b; all three are asked only in FJI with victims_rj.
VICTIMS = Facts(programme="fji", country="England", modules=frozenset({"victims_rj"}))
FJI_ONLY = {"15": "No", "1.4.1": "N/A"}  # the other FJI-only questions, answered


@pytest.mark.parametrize(
    ("judgements", "message"),
    [
        pytest.param(
            {"2.3.1a": "Sufficient", "2.3.1b": "Insufficient"},
            "2.3.1.1: choose at least one reason why 2.3.1b was Insufficient",
            id="second-insufficient",
        ),
        pytest.param(
            {"2.3.1a": "Insufficient", "2.3.1b": "N/A"},
            "2.3.1.1: choose at least one reason why 2.3.1a was Insufficient",
            id="first-insufficient",
        ),
        pytest.param(
            {"2.3.1a": "Insufficient", "2.3.1b": "Insufficient"},
            "2.3.1.1: choose at least one reason why 2.3.1a and 2.3.1b were Insufficient",
            id="both-insufficient",
        ),
    ],
)
def test_completion_explanation_of_several_judgements_names_the_insufficient_ones(
    bank: Bank, judgements: dict[str, str], message: str
) -> None:
    assert problems(bank, {**FJI_ONLY, **judgements}, VICTIMS) == [Problem("2.3.1.1", 2, "missing", message)]


def test_completion_explanation_of_several_judgements_all_sufficient(bank: Bank) -> None:
    answers = {**FJI_ONLY, "2.3.1a": "Sufficient", "2.3.1b": "Sufficient", "2.3.1.1": ("Other",)}
    assert problems(bank, answers, VICTIMS) == []


def test_completion_explanation_of_several_judgements_answered(bank: Bank) -> None:
    answers = {**FJI_ONLY, "2.3.1a": "Insufficient", "2.3.1b": "Insufficient", "2.3.1.1": ("Not reviewed", "Other")}
    assert problems(bank, answers, VICTIMS) == [
        Problem("2.20", 2, "other_needs_narrative", "2.20: write the reasons for 'Other', which was chosen at 2.3.1.1")
    ]
    assert problems(bank, {**answers, "2.20": "Reviews were planned but never held."}, VICTIMS) == []


def test_completion_other_without_narrative(bank: Bank) -> None:
    assert problems(bank, {"1.1.1": "Insufficient", "1.1.2": ("Other",)}) == [
        Problem("1.20", 1, "other_needs_narrative", "1.20: write the reasons for 'Other', which was chosen at 1.1.2")
    ]


def test_completion_other_in_two_explanations_names_both(bank: Bank) -> None:
    found = problems(bank, {"1.1.1": "Insufficient", "1.1.2": ("Other",), "1.2.1": "Insufficient", "1.2.2": ("Other",)})
    assert [p.message for p in found] == ["1.20: write the reasons for 'Other', which was chosen at 1.1.2 and 1.2.2"]


def test_completion_other_with_narrative_is_complete(bank: Bank) -> None:
    changes = {"1.1.1": "Insufficient", "1.1.2": ("Not timely", "Other"), "1.20": "The plan was copied."}
    assert problems(bank, changes) == []


def test_completion_whitespace_narrative_is_empty(bank: Bank) -> None:
    found = problems(bank, {"1.1.1": "Insufficient", "1.1.2": ("Other",), "1.20": "   "})
    assert [p.code for p in found] == ["other_needs_narrative"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        pytest.param(
            {"3b": "Scotland"},
            Problem("3b", 0, "not_an_option", "3b: 'Scotland' is not one of the options (England, Wales)"),
            id="not-an-option",
        ),
        pytest.param(
            {"14": ("None", "Adopted")},
            Problem(
                "14",
                0,
                "not_an_option",
                "14: 'Adopted' is not one of the options (Looked After, Child Protection, None)",
            ),
            id="one-of-several-not-an-option",
        ),
        pytest.param(
            {"1.1.1": "N/A"},
            Problem("1.1.1", 1, "na_not_allowed", "1.1.1: N/A is not allowed here: choose Sufficient or Insufficient"),
            id="na-not-allowed",
        ),
        pytest.param(
            {"3b": ("England", "Wales")},
            Problem("3b", 0, "one_answer_only", "3b: choose only one answer"),
            id="multiple-on-single-choice",
        ),
        pytest.param(
            {"1.1.1": ("Sufficient", "Insufficient")},
            Problem("1.1.1", 1, "one_answer_only", "1.1.1: choose only one answer"),
            id="two-judgements",
        ),
        pytest.param(
            {"5": "fifteen"},
            Problem("5", 0, "not_a_number", "5: 'fifteen' is not a number"),
            id="not-a-number",
        ),
        pytest.param(
            {"1": ("a", "b")},
            Problem("1", 0, "one_answer_only", "1: give one written answer"),
            id="several-written-answers",
        ),
    ],
)
def test_completion_inconsistent_answer(bank: Bank, changes: dict[str, object], problem: Problem) -> None:
    assert problems(bank, changes) == [problem]


def test_completion_na_allowed_where_the_guide_allows_it(bank: Bank) -> None:
    assert problems(bank, {"1.2.1": "N/A"}) == []


def test_completion_single_option_tuple_counts_as_one_answer(bank: Bank) -> None:
    assert problems(bank, {"3b": ("England",)}) == []


def test_completion_ignores_hidden_answers(bank: Bank) -> None:
    """7.b is not asked when 7.a is No: its (even invalid) stored answer does not block completion."""
    assert problems(bank, {"7.a": "No", "7.b": "Maybe", "1.1.2": ("Other",)}) == []


def test_completion_follows_the_route(bank: Bank) -> None:
    found = problems(bank, {"7.a": "Yes", "3b": "Wales"})
    assert [p.question_id for p in found] == ["7.b", "9a"]


def test_completion_accepts_a_precomputed_route(bank: Bank) -> None:
    answers = {**COMPLETE, "1.1.1": "Insufficient"}
    case_route = route(bank, SQS, answers)  # type: ignore[arg-type]
    assert [p.question_id for p in completion_problems(bank, SQS, answers, case_route=case_route)] == ["1.1.2"]  # type: ignore[arg-type]
