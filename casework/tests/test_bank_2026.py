"""Bank 2026-12: the corrections of issue 10 item 4, each with its routing test; the loader's new fields
(counts_as, reasons_in, per_answer_of, printed, cy); 2015-01 still loading; per-factor questions
(3.7.1, 4.12 once per priority factor chosen at 2.1.0) end to end through the services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casework.domain.bank import available_versions, load_bank, validate
from casework.domain.routing import Facts, route
from casework.domain.scores import Tally, score
from casework.domain.sufficiency import completion_problems
from casework.management.commands.route import ProfileError, read_profile
from casework.tests.test_bank import VIEW0, VIEW1, problems_of, with_question, write_bank

NEW, OLD = "2026-12", "2015-01"
FJI = Facts(programme="fji", country="England")
SQS = Facts(programme="sqs", country="England")
FACTORS = ("Lifestyle", "Substance use")  # two of 2.1.0's options, in its order


@pytest.fixture(scope="module")
def bank():
    return load_bank(NEW)


def asked(bank, answers: dict[str, Any], facts: Facts = FJI) -> tuple[str, ...]:
    return route(bank, facts, answers).asked


# --- Versions ------------------------------------------------------------------------------------


def test_the_new_version_is_the_newest_and_both_versions_validate() -> None:
    assert available_versions()[-2:] == (OLD, NEW)
    assert validate(OLD) == []
    assert validate(NEW) == []
    assert load_bank().version == NEW
    assert load_bank(NEW).history[-1].date == "2026-12"


def test_the_old_version_still_loads_as_it_was() -> None:
    old = load_bank(OLD)
    assert old.question("4.18.0").options == ("Yes", "No")
    assert old.question("4.1").kind == "judgement"
    assert old.question("12.b").options == ("Category 1", "Category 2", "Category 3")
    assert old.question("3.7.1").per_answer_of is None
    # Its routing is unchanged: fully complied at 4.18.0 removes 4.18.2.
    answers = {"4.18.0": "Yes", "4.18.1": "Sufficient"}
    assert "4.18.2" not in route(old, FJI, answers).asked
    assert "4.18.2" in route(old, FJI, {**answers, "4.18.0": "No"}).asked


# --- 4.1 and 4.6: information questions that route --------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "later"), [("4.1", "4.2.1"), ("4.6", "4.7.1")], ids=["4.1-risk-of-harm", "4.6-safeguarding"]
)
def test_4_1_and_4_6_are_unscored_information_that_routes(bank, question_id: str, later: str) -> None:
    question = bank.question(question_id)
    assert (question.kind, question.options, question.scored) == ("information", ("Yes", "No", "N/A"), False)
    assert later in asked(bank, {question_id: "Yes"})
    assert later in asked(bank, {question_id: "No"})
    assert later not in asked(bank, {question_id: "N/A"})
    assert later not in asked(bank, {})  # not asked until 4.1/4.6 is answered
    problems = completion_problems(bank, FJI, {question_id: "Sufficient"})
    assert [p.code for p in problems if p.question_id == question_id] == ["not_an_option"]
    assert question_id not in score(bank, [(1, FJI, {question_id: "Yes"})]).by_question


# --- 4.18.1: "Yes (fully)" removes 4.18.2 --------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "verdict", "asks_4_18_2"),
    [
        ("Yes (fully)", "Sufficient", False),
        ("Yes (sufficiently, after initial difficulties)", "Sufficient", True),
        ("No", "Insufficient", True),
        ("N/A", "N/A", False),
    ],
    ids=["fully-removes", "after-difficulties-asks", "no-asks", "na-removes"],
)
def test_4_18_1_yes_fully_removes_4_18_2(bank, answer: str, verdict: str, asks_4_18_2: bool) -> None:
    question = bank.question("4.18.1")
    assert question.verdict(answer) == verdict
    assert ("4.18.2" in asked(bank, {"4.18.1": answer}, SQS)) is asks_4_18_2
    assert "4.18.0" not in bank
    tally = score(bank, [(1, SQS, {"4.18.1": answer})]).by_question["4.18.1"]
    assert tally == {"Sufficient": Tally(1, 0), "Insufficient": Tally(0, 1), "N/A": Tally(0, 0)}[verdict]


def test_4_18_3_follows_an_insufficient_4_18_2(bank) -> None:
    answers = {"4.18.1": "No", "4.18.2": "Insufficient"}
    assert "4.18.3" in asked(bank, answers, SQS)
    assert "4.18.3" not in asked(bank, {**answers, "4.18.1": "Yes (fully)"}, SQS)


# --- 4.20 is required whenever 4.19.3 is answered ----------------------------------------------


def test_4_20_is_required_whenever_4_19_3_is_answered(bank) -> None:
    assert "4.20" not in route(bank, FJI, {}).required
    for option in bank.question("4.19.3").options:
        result = route(bank, FJI, {"4.19.3": option})
        assert "4.20" in result.required, option
    problems = completion_problems(bank, FJI, {"4.19.3": "No (no identifiable change)"})
    assert [p.code for p in problems if p.question_id == "4.20"] == ["other_needs_narrative"]
    assert "4.20" in bank.question("4.19.3").text


# --- 5.1.3-5.1.5 are explanations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "reason"),
    [
        ("5.1.3", "Insufficient access to services"),
        ("5.1.4", "Gaps in the availability of interventions"),
        ("5.1.5", "Interventions not suitable for specific diversity factors"),
    ],
)
def test_5_1_3_to_5_1_5_are_explanations_of_5_1_1(bank, question_id: str, reason: str) -> None:
    question = bank.question(question_id)
    assert (question.kind, question.explains, question.other_narrative) == (
        "explanation", ("5.1.1a", "5.1.1b", "5.1.1c"), "5.10",
    )  # fmt: skip
    insufficient = {"5.1.1a": "Sufficient", "5.1.1b": "Insufficient", "5.1.1c": "Sufficient", "5.1.2": [reason]}
    assert question_id in asked(bank, insufficient)
    assert question_id not in asked(bank, {**insufficient, "5.1.2": ["Gaps in staffing"]})
    assert question_id not in asked(bank, {**insufficient, "5.1.1b": "Sufficient"})
    # 'Other' now asks for the reasons in 5.10.
    with_other = {**insufficient, question_id: ["Other"]}
    assert "5.10" in route(bank, FJI, with_other).required
    reasons = score(bank, [(1, FJI, with_other)]).explanation_reasons
    assert reasons["5.1.1b"]["Other"] == 1


# --- 12.b is printed "Cat 1/2/3" ----------------------------------------------------------------


def test_12_b_answers_are_spelt_cat_1_2_3(bank) -> None:
    assert bank.question("12.b").options == ("Cat 1", "Cat 2", "Cat 3")
    assert "12.b" in asked(bank, {"12a": "Yes"})
    assert "12.b" not in asked(bank, {"12a": "No"})
    problems = completion_problems(bank, FJI, {"12a": "Yes", "12.b": "Category 1"})
    assert [p.code for p in problems if p.question_id == "12.b"] == ["not_an_option"]


# --- 3.7.1 and 4.12 once per priority factor chosen at 2.1.0 ------------------------------------


@pytest.mark.parametrize("question_id", ["3.7.1", "4.12"])
def test_per_factor_questions_are_asked_once_per_factor_chosen_at_2_1_0(bank, question_id: str) -> None:
    assert bank.question(question_id).per_answer_of == "2.1.0"
    assert question_id not in asked(bank, {})  # no factor chosen: nothing to ask
    result = route(bank, FJI, {"2.1.0": list(reversed(FACTORS))})
    assert question_id in result.required
    assert result.factors[question_id] == FACTORS  # in 2.1.0's order
    assert question_id not in asked(bank, {"2.1.0": list(FACTORS)}, SQS)  # FJI only


def test_a_per_factor_question_needs_every_current_factor_answered(bank) -> None:
    answers: dict[str, Any] = {"2.1.0": list(FACTORS), "3.7.1": {"Lifestyle": "Sufficient"}}
    problems = [p for p in completion_problems(bank, FJI, answers) if p.question_id == "3.7.1"]
    assert [p.message for p in problems] == [
        "3.7.1: choose Sufficient or Insufficient for each answer chosen at 2.1.0; still to answer: Substance use"
    ]
    answers["3.7.1"] = {"Lifestyle": "Sufficient", "Substance use": "N/A"}
    problems = [p for p in completion_problems(bank, FJI, answers) if p.question_id == "3.7.1"]
    assert [p.message for p in problems] == [
        "3.7.1: N/A is not allowed here: choose Sufficient or Insufficient (Substance use)"
    ]
    answers["3.7.1"] = {"Lifestyle": "Sufficient", "Substance use": "Insufficient", "Neighbourhood": "Sufficient"}
    assert [p for p in completion_problems(bank, FJI, answers) if p.question_id == "3.7.1"] == []


def test_one_insufficient_factor_asks_the_explanation_once(bank) -> None:
    base = {"2.1.0": list(FACTORS)}
    assert "3.7.2" not in asked(bank, {**base, "3.7.1": {"Lifestyle": "Sufficient", "Substance use": "Sufficient"}})
    assert "3.7.2" in asked(bank, {**base, "3.7.1": {"Lifestyle": "Sufficient", "Substance use": "Insufficient"}})
    # An answer for a factor no longer chosen is kept but counts for nothing.
    assert "3.7.2" not in asked(bank, {**base, "3.7.1": {"Lifestyle": "Sufficient", "Neighbourhood": "Insufficient"}})


def test_each_factor_counts_as_one_judgement_in_the_scores(bank) -> None:
    cases = [
        (1, FJI, {"2.1.0": list(FACTORS), "4.12": {"Lifestyle": "Sufficient", "Substance use": "Insufficient"}}),
        (2, FJI, {"2.1.0": ["Lifestyle"], "4.12": {"Lifestyle": "Sufficient", "Substance use": "Insufficient"}}),
        (3, FJI, {"2.1.0": ["Substance use"], "4.12": {"Substance use": "N/A"}}),
    ]
    result = score(bank, cases)
    assert result.by_question["4.12"] == Tally(2, 1)
    assert result.by_factor["4.12"] == {"Lifestyle": Tally(2, 0), "Substance use": Tally(0, 1)}
    assert result.by_criterion["1.1"] == Tally(2, 1)
    assert result.by_theme["reoffending"].total >= 3


# --- Printed ids -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [("2.17.a", "2.17.1"), ("2.17.A", "2.17.1"), ("7. a", "7.a"), ("9a.", "9a"), ("12.a", "12a"), ("12b", "12.b")],
)
def test_the_route_command_accepts_printed_ids(bank, printed: str, canonical: str) -> None:
    question = bank.question(canonical)
    value = question.options[0] if question.options else "x"
    _facts, answers = read_profile(bank, {"programme": "fji", "answers": {printed: value}})
    assert answers == {canonical: value}


def test_the_route_command_reads_per_factor_answers(bank) -> None:
    profile = {"programme": "fji", "answers": {"2.1.0": list(FACTORS), "3.7.1": {"Lifestyle": "sufficient"}}}
    _facts, answers = read_profile(bank, profile)
    assert answers["3.7.1"] == {"Lifestyle": "Sufficient"}
    with pytest.raises(ProfileError) as raised:
        read_profile(bank, {"programme": "fji", "answers": {"3.7.1": "Sufficient"}})
    assert raised.value.errors == ['question 3.7.1 takes one answer per answer of 2.1.0: write {"factor": "answer"}']


# --- The loader's new fields --------------------------------------------------------------------

PER_FACTOR_VIEW1: dict[str, Any] = {
    "view": 1,
    "title": "Assessment",
    "questions": [
        *VIEW1["questions"],
        {"id": "1.30", "kind": "information", "text": "Factors?", "options": ["A", "B"], "multiple": True,
         "programmes": ["sqs", "fji"]},
        {"id": "1.31", "kind": "judgement", "criterion": "1.2", "theme": "reoffending", "text": "Each?",
         "options": ["Sufficient", "Insufficient"], "scored": True, "programmes": ["sqs", "fji"],
         "per_answer_of": "1.30"},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("index", "changes", "expected"),
    [
        pytest.param(4, {"per_answer_of": "7.a"}, ["view1.yaml, question 1.31: per_answer_of '7.a' is not a question"
                     " where several answers are chosen"], id="per-answer-of-single-choice"),
        pytest.param(4, {"per_answer_of": "9.9"}, ["view1.yaml, question 1.31: per_answer_of '9.9' is not in the bank"],
                     id="per-answer-of-missing"),
        pytest.param(4, {"multiple": True}, ["view1.yaml, question 1.31: a judgement takes one answer: 'multiple'"
                     " must be false", "view1.yaml, question 1.31: only a single-choice information or judgement"
                     " question may have 'per_answer_of'"], id="per-answer-of-multiple"),
        pytest.param(4, {"when": '[1.30] contains "A"'}, [], id="per-factor-may-follow-its-source"),
        pytest.param(0, {"reasons_in": "1.20"}, [], id="reasons-in"),
        pytest.param(0, {"reasons_in": "3b"}, ["view1.yaml, question 1.1.1: reasons_in '3b' is a information, not a"
                     " narrative", "view1.yaml, question 1.1.1: reasons_in '3b' does not come later in the bank"],
                     id="reasons-in-not-a-later-narrative"),
        pytest.param(0, {"options": ["Yes", "No"], "counts_as": {"Yes": "Sufficient", "No": "Insufficient"}}, [],
                     id="counts-as"),
        pytest.param(0, {"options": ["Yes", "No"], "counts_as": {"Yes": "Sufficient", "No": "Good"}},
                     ["view1.yaml, question 1.1.1: 'counts_as' gives 'No' 'Good': use Sufficient, Insufficient or N/A",
                      "view1.yaml, question 1.1.1: 'counts_as' must give at least one option that counts as"
                      " Insufficient"], id="counts-as-bad-verdict"),
        pytest.param(0, {"options": ["Yes", "No"], "counts_as": {"Yes": "Sufficient"}},
                     ["view1.yaml, question 1.1.1: 'counts_as' must list every option, in order: Yes, No",
                      "view1.yaml, question 1.1.1: 'counts_as' must give at least one option that counts as"
                      " Insufficient"], id="counts-as-incomplete"),
        pytest.param(2, {"printed": ["1.1.1"]}, ["view1.yaml, question 1.20: printed id '1.1.1' is already"
                     " '1.1.1''s"], id="printed-clash"),
    ],
)  # fmt: skip
def test_validate_new_fields(tmp_path: Path, index: int, changes: dict[str, Any], expected: list[str]) -> None:
    view1 = with_question(PER_FACTOR_VIEW1, index, **changes)
    assert problems_of(tmp_path, views={0: VIEW0, 1: view1}) == expected


def test_a_condition_may_not_compare_a_per_factor_answer(tmp_path: Path) -> None:
    view1 = copy_with_extra(
        {"id": "1.32", "kind": "information", "text": "Then?", "options": ["Yes"], "programmes": ["sqs", "fji"],
         "when": '[1.31] == "Sufficient"'}
    )  # fmt: skip
    assert problems_of(tmp_path, views={0: VIEW0, 1: view1}) == [
        "view1.yaml, question 1.32: 'when' names question [1.31], which has one answer per 1.30 answer"
    ]


def copy_with_extra(question: dict[str, Any]) -> dict[str, Any]:
    return {**PER_FACTOR_VIEW1, "questions": [*PER_FACTOR_VIEW1["questions"], question]}


# --- Welsh (cy) ----------------------------------------------------------------------------------

WELSH = {"text": "Digonol?", "options": ["Digonol", "Annigonol"], "quality_indicators": "Dangosyddion", "guidance": ""}


def test_a_question_may_carry_its_welsh_and_exposes_it(tmp_path: Path) -> None:
    view1 = with_question(with_question(VIEW1, 0, cy=WELSH), 1, cy=None)
    folder = write_bank(tmp_path, views={0: VIEW0, 1: view1})
    bank = load_bank(folder.name, bank_dir=tmp_path)
    assert dict(bank.question("1.1.1").cy) == {**WELSH, "options": ("Digonol", "Annigonol")}
    assert dict(bank.question("1.1.2").cy) == {}  # none given: empty
    assert dict(load_bank(NEW).question("1.1.1").cy)["options"] == ("Digonol", "Annigonol")


@pytest.mark.parametrize(
    ("welsh", "expected"),
    [
        ({"options": ["Digonol"]}, ["view1.yaml, question 1.1.1: 'cy.options' has 1 option(s) but 'options' has 2:"
                                    " give the Welsh of each English option, in the same order"]),
        ({"title": "x"}, ["view1.yaml, question 1.1.1: unknown field 'cy.title' (the Welsh has text, options,"
                          " quality_indicators, guidance)"]),
        ("Digonol?", ["view1.yaml, question 1.1.1: 'cy' must be a mapping of text, options, quality_indicators,"
                      " guidance, not 'Digonol?' (str)"]),
        ({"text": 3}, ["view1.yaml, question 1.1.1: 'text' must be text (quote it in YAML), not 3 (int)"]),
    ],
    ids=["options-length", "unknown-key", "not-a-mapping", "text-not-text"],
)  # fmt: skip
def test_welsh_problems_are_reported(tmp_path: Path, welsh: Any, expected: list[str]) -> None:
    assert problems_of(tmp_path, views={0: VIEW0, 1: with_question(VIEW1, 0, cy=welsh)}) == expected


# --- Per-factor questions end to end through the services -----------------------------------------


@pytest.fixture
def fji_case(db):
    from casework.tests import factories as cf
    from inspections.enums import Programme

    return cf.team(programme=Programme.FJI)


def _answer(assessment, user, question_id: str, value: Any):
    from casework.models import Answer
    from casework.services import assessment as services

    current = Answer.objects.filter(assessment=assessment, question_id=question_id).first()
    return services.assessment_answer(
        assessment=assessment, question_id=question_id, value=value, user=user,
        expected_revision=current.revision if current else 0,
    )  # fmt: skip


def test_per_factor_answers_are_saved_completed_and_scored_through_the_services(fji_case) -> None:
    from django.core.exceptions import ValidationError

    from casework.services import assessment as services
    from casework.tests.test_assessment_pages import answer_all

    case, user = fji_case["case"], fji_case["people"]["assessor"]
    assessment = services.assessment_start(case=case, user=user)
    assert assessment.bank_version == NEW
    _answer(assessment, user, "2.1.0", list(FACTORS))
    # One factor at a time: each save keeps the other factors' answers.
    _answer(assessment, user, "3.7.1", {"Lifestyle": "Insufficient"})
    state = services.case_state(case, assessment)
    assert not state.is_answered("3.7.1")
    assert (
        "3.7.1: choose Sufficient or Insufficient for each answer chosen at 2.1.0; still to answer: Substance use"
        in [p.message for p in state.problems]
    )
    saved = _answer(assessment, user, "3.7.1", {"Substance use": "Sufficient"})
    assert saved.value == {"Lifestyle": "Insufficient", "Substance use": "Sufficient"}
    assert saved.revision == 2
    with pytest.raises(ValidationError) as refused:
        _answer(assessment, user, "4.12", {"Lifestyle": "Yes"})
    assert refused.value.messages == ["4.12 (Lifestyle): choose Sufficient, Insufficient or N/A"]
    with pytest.raises(ValidationError) as refused:
        _answer(assessment, user, "4.12", "Sufficient")
    assert refused.value.messages == ["4.12: give an answer for each factor"]
    state = services.case_state(case, assessment)
    assert state.is_answered("3.7.1")
    assert "3.7.2" in state.route.asked  # Lifestyle was Insufficient

    answer_all(assessment, user)  # every other question (judgements Insufficient, 4.12 per factor)
    services.assessment_complete(assessment=assessment, user=user)
    assert assessment.is_complete
    result = services.inspection_scores(case.inspection)
    assert result.scores.by_question["3.7.1"] == Tally(1, 1)
    assert result.scores.by_factor["3.7.1"] == {"Lifestyle": Tally(0, 1), "Substance use": Tally(1, 0)}
    assert result.scores.by_factor["4.12"] == {"Lifestyle": Tally(0, 1), "Substance use": Tally(0, 1)}
    assert services.scores_as_dict(result, case.inspection)["by_factor"]["4.12"]["Lifestyle"]["insufficient"] == 1

    # Unticking a factor at 2.1.0 keeps its answer (hidden) and re-opens nothing that is still whole.
    _answer(assessment, user, "2.1.0", ["Lifestyle"])
    state = services.case_state(case, assessment)
    assert state.route.factors["3.7.1"] == ("Lifestyle",)
    assert state.answers["3.7.1"] == {"Lifestyle": "Insufficient", "Substance use": "Sufficient"}
    assert [p for p in state.problems if p.question_id in ("3.7.1", "4.12")] == []


def test_the_answer_page_takes_one_radio_group_per_factor(fji_case, client) -> None:
    from django.urls import reverse

    from casework.models import Answer
    from casework.services import assessment as services

    case, user = fji_case["case"], fji_case["people"]["assessor"]
    assessment = services.assessment_start(case=case, user=user)
    _answer(assessment, user, "2.1.0", list(FACTORS))
    client.force_login(user)
    ref = case.inspection.reference
    page = client.get(reverse("casework:assess", args=[ref, case.pk, 3])).content.decode()
    lifestyle, substance = (load_bank(NEW).question("2.1.0").options.index(f) + 1 for f in FACTORS)
    assert f'name="value-{lifestyle}"' in page and f'name="value-{substance}"' in page
    response = client.post(
        reverse("casework:answer", args=[ref, case.pk, "3.7.1"]),
        {"expected_revision": "0", f"value-{lifestyle}": "Sufficient", f"value-{substance}": "Insufficient"},
    )
    assert response.status_code == 302
    assert Answer.objects.get(assessment=assessment, question_id="3.7.1").value == {
        "Lifestyle": "Sufficient", "Substance use": "Insufficient",
    }  # fmt: skip
    page = client.get(reverse("casework:assess", args=[ref, case.pk, 3])).content.decode()
    assert f'name="value-{lifestyle}" type="radio" value="Sufficient" checked' in page
    assert f'name="value-{substance}" type="radio" value="Insufficient" checked' in page


def test_a_per_factor_judgement_is_reviewed_factor_by_factor(fji_case, client) -> None:
    from django.urls import reverse

    from casework.models import Review
    from casework.services import assessment as services

    case, people = fji_case["case"], fji_case["people"]
    assessment = services.assessment_start(case=case, user=people["assessor"])
    _answer(assessment, people["assessor"], "2.1.0", list(FACTORS))
    _answer(assessment, people["assessor"], "3.7.1", {"Lifestyle": "Sufficient", "Substance use": "Sufficient"})
    state = services.case_state(case, assessment)
    assert "3.7.1" in services.judgements_to_review(state)
    client.force_login(people["assistant"])  # the local assessor's supervisor
    ref = case.inspection.reference
    page = client.get(reverse("casework:review", args=[ref, case.pk])).content.decode()
    lifestyle, substance = (load_bank(NEW).question("2.1.0").options.index(f) + 1 for f in FACTORS)
    assert f'name="reviewed_value-{lifestyle}"' in page
    assert f'name="reviewed_value-{substance}"' in page
    url = reverse("casework:review_judgement", args=[ref, case.pk, "3.7.1"])
    refused = client.post(url, {f"reviewed_value-{substance}": "Insufficient", "reason": ""})
    assert refused.status_code == 422
    assert not Review.objects.filter(assessment=assessment).exists()
    client.post(url, {f"reviewed_value-{substance}": "Insufficient", "reason": "No substance misuse work was done."})
    review = Review.objects.get(assessment=assessment, question_id="3.7.1")
    assert review.reviewed_value == {"Lifestyle": "Sufficient", "Substance use": "Insufficient"}
    assert review.agreed is False
    moderated = services.moderated_answers(services.case_state(case, assessment).answers, [review])
    result = score(load_bank(NEW), [(1, FJI, moderated)])
    assert result.by_factor["3.7.1"] == {"Lifestyle": Tally(1, 0), "Substance use": Tally(0, 1)}


def test_an_assessment_pinned_to_2015_01_keeps_its_bank(fji_case) -> None:
    from casework.models import Assessment
    from casework.services import assessment as services

    case, user = fji_case["case"], fji_case["people"]["assessor"]
    assessment = services.assessment_start(case=case, user=user)
    Assessment.objects.filter(pk=assessment.pk).update(bank_version=OLD)  # begun before 2026-12 existed
    assessment.refresh_from_db()
    _answer(assessment, user, "4.18.0", "No")  # only in 2015-01
    _answer(assessment, user, "12.b", "Category 1")
    _answer(assessment, user, "3.7.1", "Sufficient")  # one overall judgement there
    state = services.case_state(case, assessment)
    assert state.bank.version == OLD
    assert state.is_answered("3.7.1") and "3.7.1" not in state.route.factors
    assert services.assessment_start(case=case, user=user).bank_version == OLD  # never re-pinned
