"""Scores from hand-computed examples over the small fixture bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.domain.bank import Bank, load_bank
from casework.domain.routing import Facts
from casework.domain.scores import CaseAnswers, Scores, Tally, percentage, score

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank("2015-01", bank_dir=FIXTURE_BANK)


# Three cases. Scored judgements of the fixture bank: 1.1.1 (criterion 1.2.1, reoffending),
# 1.2.1 (2.1, public, N/A allowed), 1.3.1 (3.1, child, custodial only), 1.5.1 (1.3, reoffending,
# court work module), 1.6.1 (alert only), 1.8.1 (1.4, reoffending, only when 7.b is Yes),
# 2.1.1 (4.1, sentence), 2.2.1 (4.2, sentence, only when 13b is No). 1.4.1 is not scored.
CASE_A = CaseAnswers(
    "A",
    Facts("sqs", "England"),
    {
        "7.a": "Yes", "7.b": "Yes", "1.8.1": "Sufficient",
        "1.1.1": "Sufficient", "1.2.1": "Sufficient",
        "2.1.1": "Insufficient", "2.1.2": ("Not timely",),
    },
)  # fmt: skip
CASE_B = CaseAnswers(
    "B",
    Facts("sqs", "England"),
    {
        "7.a": "No", "7.b": "Yes", "1.8.1": "Insufficient",  # 7.b and 1.8.1 hidden: not scored
        "10.a": "Detention and Training Order", "1.3.1": "Insufficient",
        "1.1.1": "Insufficient", "1.1.2": ("Other", "Not timely"),
        "1.2.1": "N/A",  # not scored
        "2.1.1": "Sufficient",
    },
)  # fmt: skip
CASE_C = CaseAnswers(
    "C",
    Facts("fji", "England", frozenset({"court_work"})),
    {
        "1.1.1": "Sufficient",
        "1.2.1": "Insufficient", "1.2.2": ("Other",),
        "1.4.1": "Insufficient",  # not a scoring question
        "1.5.1": "Sufficient",
        "2.1.1": "Sufficient",
        "13b": "No",  # 2.2.1 asked but left unanswered
    },
)  # fmt: skip


def test_score_three_cases(bank: Bank) -> None:
    assert score(bank, [CASE_A, CASE_B, CASE_C]) == Scores(
        cases=3,
        overall=Tally(7, 4),
        by_question={
            "1.1.1": Tally(2, 1),
            "1.2.1": Tally(1, 1),
            "1.3.1": Tally(0, 1),
            "1.5.1": Tally(1, 0),
            "1.8.1": Tally(1, 0),
            "2.1.1": Tally(2, 1),
            "2.2.1": Tally(0, 0),
        },
        by_criterion={
            "1.2.1": Tally(2, 1),
            "2.1": Tally(1, 1),
            "3.1": Tally(0, 1),
            "1.3": Tally(1, 0),
            "1.4": Tally(1, 0),
            "4.1": Tally(2, 1),
            "4.2": Tally(0, 0),
        },
        by_theme={
            "reoffending": Tally(4, 1),
            "public": Tally(1, 1),
            "child": Tally(0, 1),
            "sentence": Tally(2, 1),
        },
        explanation_reasons={
            "1.1.1": {"Not timely": 1, "Insufficient analysis of offending behaviour": 0, "Other": 1},
            "1.2.1": {"No assessment": 0, "Other": 1},
            "2.1.1": {"Not timely": 1, "Other": 0},
        },
    )


# 2.3.1.1 explains both 2.3.1a and 2.3.1b (victims_rj only): its reasons count under each of them
# that the case answered Insufficient, and not under one answered Sufficient or N/A.
VICTIMS = Facts("fji", "England", frozenset({"victims_rj"}))
REVIEWS = {"Not reviewed": 0, "Review not recorded": 0, "Other": 0}


def test_score_explanation_of_several_judgements_counts_for_each_insufficient_one(bank: Bank) -> None:
    cases = [
        CaseAnswers("D", VICTIMS, {"2.3.1a": "Insufficient", "2.3.1b": "Insufficient", "2.3.1.1": ("Not reviewed", "Other")}),
        CaseAnswers("E", VICTIMS, {"2.3.1a": "Sufficient", "2.3.1b": "Insufficient", "2.3.1.1": ("Review not recorded",)}),
        CaseAnswers("F", VICTIMS, {"2.3.1a": "Insufficient", "2.3.1b": "N/A", "2.3.1.1": ("Not reviewed",)}),
        CaseAnswers("G", VICTIMS, {"2.3.1a": "Sufficient", "2.3.1b": "Sufficient", "2.3.1.1": ("Other",)}),  # hidden
    ]  # fmt: skip
    scores = score(bank, cases)
    assert scores.explanation_reasons == {
        "2.3.1a": {**REVIEWS, "Not reviewed": 2, "Other": 1},  # D and F
        "2.3.1b": {**REVIEWS, "Not reviewed": 1, "Review not recorded": 1, "Other": 1},  # D and E
    }
    assert (scores.by_question["2.3.1a"], scores.by_question["2.3.1b"]) == (Tally(2, 2), Tally(1, 2))


def test_score_explanation_of_several_judgements_only_sufficient_counts_nothing(bank: Bank) -> None:
    case = CaseAnswers("H", VICTIMS, {"2.3.1a": "Sufficient", "2.3.1b": "N/A"})
    assert score(bank, [case]).explanation_reasons == {}


def test_score_explanation_of_several_judgements_unanswered_lists_zeros(bank: Bank) -> None:
    case = CaseAnswers("I", VICTIMS, {"2.3.1a": "Sufficient", "2.3.1b": "Insufficient"})
    assert score(bank, [case]).explanation_reasons == {"2.3.1b": REVIEWS}


def test_score_percentages_hand_computed(bank: Bank) -> None:
    scores = score(bank, [CASE_A, CASE_B, CASE_C])
    assert scores.overall.percentage == 63.6  # 7 of 11
    assert {key: tally.percentage for key, tally in scores.by_theme.items()} == {
        "reoffending": 80.0,  # 4 of 5
        "public": 50.0,  # 1 of 2
        "child": 0.0,  # 0 of 1
        "sentence": 66.7,  # 2 of 3
    }
    assert scores.by_question["2.2.1"].percentage is None
    assert scores.by_question["1.1.1"].as_dict() == {
        "sufficient": 2,
        "insufficient": 1,
        "total": 3,
        "percentage": 66.7,
    }


def test_score_hidden_answer_comes_back_when_route_returns(bank: Bank) -> None:
    answers = {**CASE_B.answers, "7.a": "Yes"}
    scores = score(bank, [("B", CASE_B.facts, answers)])
    assert scores.by_question["1.8.1"] == Tally(0, 1)


def test_score_no_cases(bank: Bank) -> None:
    assert score(bank, []) == Scores(
        cases=0,
        overall=Tally(0, 0),
        by_theme={"reoffending": Tally(), "public": Tally(), "child": Tally(), "sentence": Tally()},
    )


def test_score_non_scored_judgement_left_out(bank: Bank) -> None:
    scores = score(bank, [CASE_C])
    assert "1.4.1" not in scores.by_question
    assert "3.2" not in scores.by_criterion


def test_score_accepts_a_generator(bank: Bank) -> None:
    assert score(bank, (case for case in [CASE_A])).overall == Tally(3, 1)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        pytest.param(0, 0, None, id="nothing-judged"),
        pytest.param(0, 4, 0.0, id="none"),
        pytest.param(4, 4, 100.0, id="all"),
        pytest.param(1, 3, 33.3, id="one-third"),
        pytest.param(2, 3, 66.7, id="two-thirds"),
        pytest.param(1, 8, 12.5, id="eighth"),
        pytest.param(1, 16, 6.3, id="half-rounds-up-6.25"),
        pytest.param(1, 80, 1.3, id="half-rounds-up-1.25"),
        pytest.param(7, 11, 63.6, id="seven-elevenths"),
    ],
)
def test_percentage_one_decimal(part: int, whole: int, expected: float | None) -> None:
    assert percentage(part, whole) == expected


def test_tally_totals() -> None:
    assert (Tally(3, 1).total, Tally(3, 1).percentage) == (4, 75.0)
