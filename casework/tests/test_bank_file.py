"""The real question bank (casework/bank/<version>/) validates, and every condition in it can go
both ways.

The condition test is the bank-wide half of "a parametrised test for every condition in the bank":
for each question with a ``when``, some combination of facts and earlier answers asks it and some
other combination does not (a condition that is always or never true is a transcription slip).
Scenario tests of whole cases belong beside the bank's content.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from casework.domain.bank import (
    COUNTRIES,
    DEFAULT_BANK_DIR,
    PROGRAMMES,
    Bank,
    BankInvalid,
    BankNotFound,
    load_bank,
    validate_folder,
)
from casework.domain.conditions import Answer, EvaluationContext, expanded_refs
from casework.domain.routing import Facts, route


def version_folders() -> list[Path]:
    if not DEFAULT_BANK_DIR.is_dir():
        return []
    return sorted(p for p in DEFAULT_BANK_DIR.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


@pytest.mark.parametrize("folder", version_folders(), ids=lambda folder: folder.name)
def test_bank_file_validates(folder: Path) -> None:
    if not any(folder.glob("view*.yaml")):
        pytest.skip(f"{folder.name} has no view<N>.yaml files yet: nothing to validate")
    problems = validate_folder(folder)
    assert [str(problem) for problem in problems] == []


def newest_bank() -> Bank | None:
    try:
        return load_bank()
    except (BankInvalid, BankNotFound):
        return None  # test_bank_file_validates reports why


BANK = newest_bank()
CONDITIONAL = [q for q in BANK.questions if q.condition is not None] if BANK else []
MAX_COMBINATIONS = 20_000


@pytest.mark.parametrize("question_id", [q.id for q in CONDITIONAL])
def test_bank_condition_can_go_both_ways(question_id: str) -> None:
    assert BANK is not None
    question = BANK.question(question_id)
    assert question.condition is not None
    refs = sorted(expanded_refs(question.condition, BANK.definitions))
    domains: list[tuple[Answer | None, ...]] = []
    for ref in refs:
        referenced = BANK.question(ref)
        if referenced.multiple:
            # Each option alone and all together is enough to exercise "contains" and "in".
            values: tuple[Answer | None, ...] = (
                None,
                *((option,) for option in referenced.options),
                referenced.options,
            )
        elif referenced.options:
            values = (None, *referenced.options)
        else:
            values = (None, "1")
        domains.append(values)
    fact_domains = list(
        itertools.product(PROGRAMMES, (*COUNTRIES, None), (False, True), (frozenset(), BANK.module_keys))
    )
    outcomes: set[bool] = set()
    combinations = 0
    for programme, country, alert, modules in fact_domains:
        for values in itertools.product(*domains):
            combinations += 1
            if combinations > MAX_COMBINATIONS or outcomes == {True, False}:
                break
            context = EvaluationContext(
                answers={ref: value for ref, value in zip(refs, values, strict=True) if value is not None},
                string_facts={"programme": programme, "country": country},
                boolean_facts={"alert": alert},
                modules=modules,
                definitions=BANK.definitions,
            )
            outcomes.add(question.condition.evaluate(context))
    assert outcomes == {True, False}, f"{question_id}: when {question.when!r} is always {outcomes}"


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(Facts("sqs", "England"), id="sqs-england"),
        pytest.param(Facts("fji", "Wales", alert=True), id="fji-wales-alert"),
    ],
)
def test_bank_routes_an_empty_case(facts: Facts) -> None:
    if BANK is None:
        pytest.skip("the bank does not load: test_bank_file_validates says why")
    case_route = route(BANK, facts, {})
    assert case_route.hidden == ()
    assert set(case_route.required) <= set(case_route.asked)
    assert all(BANK.question(qid).kind != "explanation" for qid in case_route.asked)
