"""Routing against the small fixture bank (casework/tests/fixtures/bank/2015-01)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.domain.bank import Bank, Question, load_bank
from casework.domain.conditions import parse
from casework.domain.routing import Facts, Route, insufficient_explained, route

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"

SQS = Facts(programme="sqs", country="England")
FJI = Facts(programme="fji", country="England")

# The questions every case is asked, by programme, before any answer is given.
ALWAYS_SQS = ("1", "3b", "5", "7.a", "10.a", "13b", "14", "1.1.1", "1.2.1", "1.20", "1.20a", "2.1.1", "2.20")
NARRATIVES = {"1.20", "1.20a", "2.20"}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank("2015-01", bank_dir=FIXTURE_BANK)


def asked(bank: Bank, facts: Facts, answers: dict[str, object]) -> tuple[str, ...]:
    return route(bank, facts, answers).asked  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Whole cases


def test_route_sqs_england_without_answers(bank: Bank) -> None:
    assert route(bank, SQS, {}) == Route(
        asked=ALWAYS_SQS,
        required=tuple(q for q in ALWAYS_SQS if q not in NARRATIVES),
        hidden=(),
    )


def test_route_fji_wales_custodial_alert_with_court_work(bank: Bank) -> None:
    facts = Facts(programme="fji", country="Wales", modules=frozenset({"court_work"}), alert=True)
    answers = {
        "3b": "Wales",
        "7.a": "Yes",
        "7.b": "Yes",
        "9a": "Welsh",
        "9b": "Yes",
        "10.a": "Detention and Training Order",
        "13b": "No",
        "14": ("Looked After", "Child Protection"),
        "1.1.1": "Insufficient",
        "1.1.2": ("Not timely", "Other"),
        "1.2.1": "Insufficient",
        "1.2.2": ("No assessment",),
        "2.1.1": "Sufficient",
    }
    assert route(bank, facts, answers) == Route(
        asked=(
            "1", "3b", "5", "7.a", "7.b", "9a", "9b", "9c", "10.a", "10.c", "13b", "14", "14a", "15",
            "1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.3.1", "1.4.1", "1.5.1", "1.6.1", "1.8.1", "1.20", "1.20a",
            "2.1.1", "2.2.1", "2.20",
        ),
        required=(
            "1", "3b", "5", "7.a", "7.b", "9a", "9b", "9c", "10.a", "10.c", "13b", "14", "14a", "15",
            "1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.3.1", "1.4.1", "1.5.1", "1.6.1", "1.8.1", "1.20",
            "2.1.1", "2.2.1",
        ),
        hidden=(),
    )  # fmt: skip


def test_route_sqs_wales_english_speaker_community_sentence(bank: Bank) -> None:
    answers = {"3b": "Wales", "9a": "English", "10.a": "Referral Order", "13b": "Yes", "1.1.1": "Sufficient"}
    assert asked(bank, Facts(programme="sqs", country="Wales"), answers) == (
        "1", "3b", "5", "7.a", "9a", "10.a", "13b", "14", "1.1.1", "1.2.1", "1.20", "1.20a", "2.1.1", "2.20",
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# Each rule


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param({}, False, id="country-unanswered"),
        pytest.param({"3b": "England"}, False, id="england"),
        pytest.param({"3b": "Wales"}, True, id="wales"),
    ],
)
def test_route_wales_only_question(bank: Bank, answers: dict[str, str], expected: bool) -> None:
    assert ("9a" in asked(bank, SQS, answers)) is expected


@pytest.mark.parametrize(
    ("first_language", "expected"),
    [
        pytest.param("Welsh", True, id="welsh"),
        pytest.param("Not Known", True, id="not-known"),
        pytest.param("English", False, id="english"),
        pytest.param("Other", False, id="other"),
        pytest.param(None, False, id="unanswered"),
    ],
)
def test_route_9b_onwards_only_for_welsh_or_not_known(bank: Bank, first_language: str | None, expected: bool) -> None:
    answers = {"3b": "Wales", "9a": first_language}
    assert ("9b" in asked(bank, SQS, answers)) is expected


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        pytest.param("Yes", True, id="offered-welsh"),
        pytest.param("No", False, id="not-offered"),
        pytest.param(None, False, id="unanswered"),
    ],
)
def test_route_9c_follows_9b(bank: Bank, offered: str | None, expected: bool) -> None:
    answers = {"3b": "Wales", "9a": "Welsh", "9b": offered}
    assert ("9c" in asked(bank, SQS, answers)) is expected


def test_route_welsh_chain_falls_when_country_changes(bank: Bank) -> None:
    answers = {"3b": "England", "9a": "Welsh", "9b": "Yes", "9c": "Yes"}
    case_route = route(bank, SQS, answers)
    assert ("9a" in case_route.asked, "9b" in case_route.asked, "9c" in case_route.asked) == (False, False, False)
    assert case_route.hidden == ("9a", "9b", "9c")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("Detention and Training Order", True, id="dto"),
        pytest.param("Section 90/91", True, id="section-90-91"),
        pytest.param("Referral Order", False, id="referral-order"),
        pytest.param("Youth Rehabilitation Order", False, id="yro"),
        pytest.param(None, False, id="unanswered"),
    ],
)
def test_route_custodial_only_questions(bank: Bank, sentence: str | None, expected: bool) -> None:
    questions = asked(bank, SQS, {"10.a": sentence})
    assert ("10.c" in questions, "1.3.1" in questions) == (expected, expected)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(Facts("fji", modules=frozenset({"court_work"})), True, id="fji-court-work"),
        pytest.param(Facts("fji", modules=frozenset({"court_work", "victims_rj"})), True, id="fji-two-modules"),
        pytest.param(Facts("fji", modules=frozenset({"victims_rj"})), False, id="fji-other-module"),
        pytest.param(Facts("fji"), False, id="fji-no-modules"),
        pytest.param(Facts("sqs", modules=frozenset({"court_work"})), False, id="sqs-never"),
    ],
)
def test_route_module_only_question(bank: Bank, facts: Facts, expected: bool) -> None:
    assert ("1.5.1" in asked(bank, facts, {})) is expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [pytest.param(FJI, True, id="fji"), pytest.param(SQS, False, id="sqs")],
)
def test_route_fji_only_questions(bank: Bank, facts: Facts, expected: bool) -> None:
    questions = asked(bank, facts, {})
    assert ("15" in questions, "1.4.1" in questions) == (expected, expected)


@pytest.mark.parametrize(
    ("alert", "expected"), [pytest.param(True, True, id="alert"), pytest.param(False, False, id="no-alert")]
)
def test_route_alert_only_question(bank: Bank, alert: bool, expected: bool) -> None:
    assert ("1.6.1" in asked(bank, Facts("sqs", alert=alert), {})) is expected


def test_route_first_interview_questions(bank: Bank) -> None:
    assert "2.2.1" in asked(bank, SQS, {"13b": "No"})
    assert "2.2.1" not in asked(bank, SQS, {"13b": "Yes"})


def test_route_contains_condition(bank: Bank) -> None:
    assert "14a" in asked(bank, SQS, {"14": ("Child Protection", "Looked After")})
    assert "14a" not in asked(bank, SQS, {"14": ("Child Protection",)})


@pytest.mark.parametrize(
    ("judgement", "expected"),
    [
        pytest.param("Insufficient", True, id="insufficient"),
        pytest.param("Sufficient", False, id="sufficient"),
        pytest.param(None, False, id="unanswered"),
    ],
)
def test_route_explanation_asked_exactly_when_insufficient(bank: Bank, judgement: str | None, expected: bool) -> None:
    case_route = route(bank, SQS, {"1.1.1": judgement})
    assert ("1.1.2" in case_route.asked, "1.1.2" in case_route.required) == (expected, expected)


def test_route_explanation_not_asked_for_na(bank: Bank) -> None:
    assert "1.2.2" not in asked(bank, SQS, {"1.2.1": "N/A"})


def test_route_explanation_not_asked_when_its_judgement_is_not(bank: Bank) -> None:
    """1.3.1 is custodial-only: an Insufficient stored for it does not bring in anything later."""
    answers = {"10.a": "Referral Order", "1.3.1": "Insufficient"}
    assert route(bank, SQS, answers).hidden == ("1.3.1",)


# 2.3.1.1 explains both 2.3.1a and 2.3.1b (``explains`` a list); all three are victims_rj only.
VICTIMS = Facts(programme="fji", country="England", modules=frozenset({"victims_rj"}))


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param({"2.3.1a": "Insufficient", "2.3.1b": "Sufficient"}, True, id="first-insufficient"),
        pytest.param({"2.3.1a": "Sufficient", "2.3.1b": "Insufficient"}, True, id="second-insufficient"),
        pytest.param({"2.3.1b": "Insufficient"}, True, id="second-insufficient-first-unanswered"),
        pytest.param({"2.3.1a": "Insufficient", "2.3.1b": "Insufficient"}, True, id="both-insufficient"),
        pytest.param({"2.3.1a": "Sufficient", "2.3.1b": "Sufficient"}, False, id="both-sufficient"),
        pytest.param({"2.3.1a": "Sufficient", "2.3.1b": "N/A"}, False, id="sufficient-and-na"),
        pytest.param({}, False, id="unanswered"),
    ],
)
def test_route_explanation_of_several_judgements_asked_when_any_is_insufficient(
    bank: Bank, answers: dict[str, str], expected: bool
) -> None:
    case_route = route(bank, VICTIMS, answers)
    assert ("2.3.1.1" in case_route.asked, "2.3.1.1" in case_route.required) == (expected, expected)


def test_route_explanation_of_several_judgements_needs_one_of_them_asked(bank: Bank) -> None:
    """Without the module none of the judgements is asked: stored Insufficients ask nothing."""
    answers = {"2.3.1a": "Insufficient", "2.3.1b": "Insufficient", "2.3.1.1": ("Not reviewed",)}
    case_route = route(bank, Facts(programme="fji", country="England"), answers)
    assert "2.3.1.1" not in case_route.asked
    assert case_route.hidden == ("2.3.1a", "2.3.1b", "2.3.1.1")


def test_route_explanation_of_several_judgements_goes_when_the_last_insufficient_changes(bank: Bank) -> None:
    answers = {"2.3.1a": "Sufficient", "2.3.1b": "Insufficient", "2.3.1.1": ("Other",)}
    assert "2.20" in route(bank, VICTIMS, answers).required
    changed = route(bank, VICTIMS, {**answers, "2.3.1b": "Sufficient"})
    assert "2.3.1.1" not in changed.asked
    assert changed.hidden == ("2.3.1.1",)
    assert "2.20" not in changed.required


def test_insufficient_explained_names_the_insufficient_judgements(bank: Bank) -> None:
    explanation = bank.question("2.3.1.1")
    answers = {"2.3.1a": "Insufficient", "2.3.1b": "Sufficient"}
    assert insufficient_explained(explanation, route(bank, VICTIMS, answers), answers) == ("2.3.1a",)
    answers = {"2.3.1a": "Insufficient", "2.3.1b": ["Insufficient"]}
    assert insufficient_explained(explanation, route(bank, VICTIMS, answers), answers) == ("2.3.1a", "2.3.1b")
    assert insufficient_explained(explanation, route(bank, FJI, answers), answers) == ()
    assert insufficient_explained(bank.question("2.3.1a"), route(bank, VICTIMS, answers), answers) == ()


@pytest.mark.parametrize(
    ("reasons", "narrative_required"),
    [
        pytest.param(("Other",), True, id="other-only"),
        pytest.param(("Not timely", "Other"), True, id="other-among-reasons"),
        pytest.param(("Not timely",), False, id="no-other"),
        pytest.param((), False, id="no-reason-yet"),
    ],
)
def test_route_other_makes_narrative_required(bank: Bank, reasons: tuple[str, ...], narrative_required: bool) -> None:
    case_route = route(bank, SQS, {"1.1.1": "Insufficient", "1.1.2": reasons})
    assert "1.20" in case_route.asked
    assert ("1.20" in case_route.required) is narrative_required


def test_route_narrative_shared_by_two_explanations(bank: Bank) -> None:
    answers = {"1.1.1": "Insufficient", "1.1.2": ("Not timely",), "1.2.1": "Insufficient", "1.2.2": ("Other",)}
    assert "1.20" in route(bank, SQS, answers).required


def test_route_other_on_a_hidden_explanation_requires_nothing(bank: Bank) -> None:
    case_route = route(bank, SQS, {"1.1.1": "Sufficient", "1.1.2": ("Other",)})
    assert "1.20" not in case_route.required
    assert case_route.hidden == ("1.1.2",)


def test_route_narrative_without_explanation_is_never_required(bank: Bank) -> None:
    case_route = route(bank, SQS, {"1.1.1": "Insufficient", "1.1.2": ("Other",)})
    assert "1.20a" in case_route.asked
    assert "1.20a" not in case_route.required


def test_route_changed_answer_hides_later_questions_and_brings_them_back(bank: Bank) -> None:
    answers: dict[str, object] = {"7.a": "Yes", "7.b": "Yes", "1.8.1": "Sufficient"}
    first = route(bank, SQS, answers)  # type: ignore[arg-type]
    assert ("7.b" in first.asked, "1.8.1" in first.asked, first.hidden) == (True, True, ())

    answers["7.a"] = "No"
    changed = route(bank, SQS, answers)  # type: ignore[arg-type]
    # 7.b goes because 7.a is No; 1.8.1 goes because 7.b is no longer asked (transitively).
    assert ("7.b" in changed.asked, "1.8.1" in changed.asked, changed.hidden) == (False, False, ("7.b", "1.8.1"))

    answers["7.a"] = "Yes"
    assert route(bank, SQS, answers) == first  # type: ignore[arg-type]


def test_route_hidden_lists_only_answered_questions(bank: Bank) -> None:
    case_route = route(bank, SQS, {"7.a": "No", "7.b": "", "1.8.1": None, "no-such-question": "x"})
    assert case_route.hidden == ()


def test_route_accepts_lists_for_multiple_answers(bank: Bank) -> None:
    answers = {"1.1.1": "Insufficient", "1.1.2": ["Other"], "14": ["Looked After"]}
    case_route = route(bank, SQS, answers)  # type: ignore[arg-type]
    assert ("1.20" in case_route.required, "14a" in case_route.asked) == (True, True)


def test_route_is_asked_helper(bank: Bank) -> None:
    case_route = route(bank, SQS, {})
    assert (case_route.is_asked("1"), case_route.is_asked("15")) == (True, False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"programme": "SQS"}, "programme must be one of sqs, fji, not 'SQS'", id="programme"),
        pytest.param(
            {"programme": "sqs", "country": "wales"}, "country must be one of England, Wales or None", id="country"
        ),
    ],
)
def test_facts_reject_unknown_values(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Facts(**kwargs)  # type: ignore[arg-type]


def test_facts_accept_any_iterable_of_modules() -> None:
    assert Facts("fji", modules=["court_work"]) == Facts("fji", modules=frozenset({"court_work"}))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Properties over random answers


def random_case(bank: Bank) -> st.SearchStrategy[tuple[Facts, dict[str, object]]]:
    def answer(question: Question) -> st.SearchStrategy[object]:
        if question.multiple:
            return st.lists(st.sampled_from(question.options), unique=True).map(tuple)
        if question.options:
            return st.sampled_from(question.options)
        return st.just("text")

    facts = st.builds(
        Facts,
        programme=st.sampled_from(["sqs", "fji"]),
        country=st.sampled_from(["England", "Wales", None]),
        modules=st.frozensets(st.sampled_from(["court_work", "victims_rj"])),
        alert=st.booleans(),
    )
    answers = st.fixed_dictionaries({}, optional={q.id: answer(q) for q in bank.questions})
    return st.tuples(facts, answers)


FIXTURE = load_bank("2015-01", bank_dir=FIXTURE_BANK)


@settings(database=None, max_examples=300, deadline=None)
@given(case=random_case(FIXTURE))
def test_route_properties_hold_for_any_answers(case: tuple[Facts, dict[str, object]]) -> None:
    facts, answers = case
    case_route = route(FIXTURE, facts, answers)  # type: ignore[arg-type]
    assert set(case_route.required) <= set(case_route.asked)
    assert not set(case_route.hidden) & set(case_route.asked)
    for question_id in case_route.asked:
        question = FIXTURE.question(question_id)
        if question.kind == "explanation":
            assert any(answers.get(judgement_id) == "Insufficient" for judgement_id in question.explains)
    # Answers to questions not asked are inert: dropping them changes nothing.
    visible = {qid: value for qid, value in answers.items() if qid not in case_route.hidden}
    assert route(FIXTURE, facts, visible) == Route(case_route.asked, case_route.required, ())  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Speed: a bank of about 300 questions routes in well under a millisecond per question.


def synthetic_bank(size: int = 300) -> Bank:
    questions = []
    for index in range(size):
        when = None
        if index % 3 == 1:
            when = f'[q{index - 1}] in ("Yes", "Not Known") and not alert'
        elif index % 3 == 2:
            when = f"answered([q{index - 2}]) or custodial"
        questions.append(
            Question(
                id=f"q{index}",
                view=0,
                kind="information",
                text="?",
                options=("Yes", "No", "Not Known"),
                when=when,
                condition=parse(when) if when else None,
                position=index,
            )
        )
    return Bank.build(
        version="synthetic",
        title="synthetic",
        source="",
        path=Path("."),
        history=(),
        themes=(),
        views=(),
        modules=(),
        definitions={"custodial": parse('[q0] == "Yes"')},
        questions=questions,
    )


def test_route_whole_bank_is_fast() -> None:
    bank = synthetic_bank()
    answers = {f"q{index}": "Yes" for index in range(300)}
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        case_route = route(bank, SQS, answers)
    per_question = (time.perf_counter() - started) / runs / len(bank.questions)
    assert len(case_route.asked) == 300
    assert per_question < 0.0002  # 0.2 ms: generous, so a slow test machine does not flake
