"""Loading and validating a question bank folder (small banks written to a temporary folder)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from casework.domain.bank import (
    BankInvalid,
    BankNotFound,
    available_versions,
    lenient_key,
    load_bank,
    validate,
    validate_folder,
)
from casework.domain.routing import Facts, route

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"

META: dict[str, Any] = {
    "version": "2099-01",
    "title": "Test bank",
    "source": "tests",
    "history": [{"date": "2099-01", "question": "All", "details": "First"}],
    "themes": [
        {"key": "reoffending", "label": "Reducing the likelihood of reoffending", "criteria": ["1"]},
        {"key": "public", "label": "Protecting the public", "criteria": ["2"]},
    ],
    "views": [{"id": 0, "title": "Details"}, {"id": 1, "title": "Assessment"}],
    "modules": [{"key": "court_work", "label": "Court Work"}],
    "definitions": {"wales": '[3b] == "Wales"'},
}
VIEW0: dict[str, Any] = {
    "view": 0,
    "title": "Details",
    "questions": [
        {
            "id": "3b",
            "kind": "information",
            "text": "Country?",
            "options": ["England", "Wales"],
            "programmes": ["sqs", "fji"],
        },
        {"id": "7.a", "kind": "information", "text": "PSR?", "options": ["Yes", "No"], "programmes": ["sqs", "fji"]},
    ],
}
VIEW1: dict[str, Any] = {
    "view": 1,
    "title": "Assessment",
    "questions": [
        {
            "id": "1.1.1", "kind": "judgement", "criterion": "1.2.1", "theme": "reoffending", "text": "Sufficient?",
            "options": ["Sufficient", "Insufficient"], "scored": True, "programmes": ["sqs", "fji"],
        },
        {
            "id": "1.1.2", "kind": "explanation", "criterion": "1.2.1", "theme": "reoffending", "text": "Why?",
            "options": ["Late", "Other"], "multiple": True, "programmes": ["sqs", "fji"],
            "explains": "1.1.1", "other_narrative": "1.20",
        },
        {"id": "1.20", "kind": "narrative", "text": "Other reasons", "input": "text", "programmes": ["sqs", "fji"]},
    ],
}  # fmt: skip


def write_bank(root: Path, *, meta: Any = None, views: dict[int, Any] | None = None, version: str = "2099-01") -> Path:
    folder = root / version
    folder.mkdir(parents=True)
    if meta is not False:
        (folder / "meta.yaml").write_text(yaml.safe_dump(META if meta is None else meta, sort_keys=False))
    for number, view in (views if views is not None else {0: VIEW0, 1: VIEW1}).items():
        text = view if isinstance(view, str) else yaml.safe_dump(view, sort_keys=False)
        (folder / f"view{number}.yaml").write_text(text)
    return folder


def with_question(view: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    """A copy of ``view`` with question ``index`` changed (a value of None removes the field)."""
    changed = copy.deepcopy(view)
    question = changed["questions"][index]
    for key, value in changes.items():
        if value is None:
            question.pop(key, None)
        else:
            question[key] = value
    return changed


def problems_of(tmp_path: Path, **kwargs: Any) -> list[str]:
    return [str(problem) for problem in validate_folder(write_bank(tmp_path, **kwargs))]


def test_validate_sound_bank_has_no_problems(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == []


@pytest.mark.parametrize(
    ("view1", "expected"),
    [
        pytest.param(
            with_question(VIEW1, 0, kind="opinion"),
            ["view1.yaml, question 1.1.1: kind 'opinion' is not one of information, judgement, explanation, narrative",
             "view1.yaml, question 1.1.1: 'scored' is for judgements only",
             "view1.yaml, question 1.1.2: explains '1.1.1', which is a opinion, not a judgement"],
            id="unknown-kind",
        ),
        pytest.param(
            with_question(VIEW1, 0, options=["Sufficient", "Insufficient", "N/A"]),
            ["view1.yaml, question 1.1.1: a judgement's options must be exactly [Sufficient, Insufficient]"
             " (na_allowed is false), not [Sufficient, Insufficient, N/A]"],
            id="na-without-na-allowed",
        ),
        pytest.param(
            with_question(VIEW1, 0, na_allowed=True),
            ["view1.yaml, question 1.1.1: a judgement's options must be exactly [Sufficient, Insufficient, N/A]"
             " (na_allowed is true), not [Sufficient, Insufficient]"],
            id="na-allowed-without-na",
        ),
        pytest.param(
            with_question(VIEW1, 0, options=["Yes", "No"]),
            ["view1.yaml, question 1.1.1: a judgement's options must be exactly [Sufficient, Insufficient]"
             " (na_allowed is false), not [Yes, No]"],
            id="judgement-yes-no",
        ),
        pytest.param(
            with_question(VIEW1, 1, options=["Late", "Other reasons"]),
            ["view1.yaml, question 1.1.2: an explanation's options must end with 'Other'"],
            id="explanation-without-other",
        ),
        pytest.param(
            with_question(VIEW1, 1, explains="1.9.9"),
            ["view1.yaml, question 1.1.2: explains '1.9.9', which is not in the bank"],
            id="explains-unknown",
        ),
        pytest.param(
            with_question(VIEW1, 1, explains="1.20"),
            ["view1.yaml, question 1.1.2: explains '1.20', which is a narrative, not a judgement",
             "view1.yaml, question 1.1.2: explains '1.20', which does not come earlier in the bank"],
            id="explains-not-a-judgement",
        ),
        pytest.param(
            with_question(VIEW1, 1, explains=None),
            ["view1.yaml, question 1.1.2: an explanation must name the judgement it 'explains'"],
            id="explains-missing",
        ),
        pytest.param(
            with_question(VIEW1, 1, other_narrative="1.1.1"),
            ["view1.yaml, question 1.1.2: other_narrative '1.1.1' is a judgement, not a narrative"],
            id="other-narrative-not-a-narrative",
        ),
        pytest.param(
            with_question(VIEW1, 1, other_narrative="2.20"),
            ["view1.yaml, question 1.1.2: other_narrative '2.20' is not in the bank"],
            id="other-narrative-unknown",
        ),
        pytest.param(
            with_question(VIEW1, 2, programmes=["fji"]),
            ["view1.yaml, question 1.1.2: other_narrative '1.20' is not asked in SQS, where this explanation is"],
            id="other-narrative-not-asked-where-explanation-is",
        ),
        pytest.param(
            with_question(VIEW1, 1, multiple=False),
            ["view1.yaml, question 1.1.2: an explanation takes several reasons: 'multiple' must be true"],
            id="explanation-single-choice",
        ),
        pytest.param(
            with_question(VIEW1, 0, theme="child"),
            ["view1.yaml, question 1.1.1: theme 'child' is not in meta.yaml",
             "view1.yaml, question 1.1.1: criterion 1.2.1 feeds theme 'reoffending' (meta.yaml), but theme is 'child'"],
            id="unknown-theme",
        ),
        pytest.param(
            with_question(VIEW1, 0, theme="public"),
            ["view1.yaml, question 1.1.1: criterion 1.2.1 feeds theme 'reoffending' (meta.yaml), but theme is 'public'"],
            id="theme-not-the-criterions",
        ),
        pytest.param(
            with_question(VIEW1, 0, programmes=["sqs", "jti"]),
            ["view1.yaml, question 1.1.1: programme 'jti' is not one of sqs, fji"],
            id="unknown-programme",
        ),
        pytest.param(
            with_question(VIEW1, 0, programmes=None),
            ["view1.yaml, question 1.1.1: 'programmes' is missing"],
            id="programmes-missing",
        ),
        pytest.param(
            with_question(VIEW1, 0, modules=["governance"]),
            ["view1.yaml, question 1.1.1: module 'governance' is not in meta.yaml"],
            id="unknown-module",
        ),
        pytest.param(
            with_question(VIEW1, 0, scored="yes"),
            ["view1.yaml, question 1.1.1: 'scored' must be true or false, not 'yes' (str)"],
            id="scored-not-boolean",
        ),
        pytest.param(
            with_question(VIEW1, 0, optoins=["Sufficient"]),
            ["view1.yaml, question 1.1.1: unknown field 'optoins'"],
            id="unknown-field",
        ),
        pytest.param(
            with_question(VIEW1, 2, id=1.2),
            ["view1.yaml, question 1.1.2: other_narrative '1.20' is not in the bank",
             "view1.yaml, question 1.2: 'id' must be quoted in YAML so it is kept as printed, not 1.2 (float)"],
            id="unquoted-numeric-id",
        ),
        pytest.param(
            with_question(VIEW1, 2, id="1.1.1"),
            ["view1.yaml, question 1.1.1: id is used twice (also in view1.yaml)",
             "view1.yaml, question 1.1.2: other_narrative '1.20' is not in the bank"],
            id="duplicate-id",
        ),
        pytest.param(
            with_question(VIEW1, 2, id="1.20 "),
            [],
            id="id-surrounding-space-is-trimmed",
        ),
        pytest.param(
            with_question(VIEW1, 2, id="1. 20"),
            # "1.20" still finds it (lenient ids accept the guide's printed spaces), but the id must be clean.
            ["view1.yaml, question 1. 20: 'id' must be letters and digits separated by single dots"
             " (no spaces, no trailing dot)"],
            id="id-with-space",
        ),
        pytest.param(
            with_question(VIEW1, 2, options=["a"]),
            ["view1.yaml, question 1.20: an input: text question must not have 'options'"],
            id="text-with-options",
        ),
        pytest.param(
            with_question(VIEW1, 2, na_allowed=True),
            ["view1.yaml, question 1.20: 'na_allowed' is for judgements only"],
            id="na-on-narrative",
        ),
    ],
)  # fmt: skip
def test_validate_question_problems(tmp_path: Path, view1: dict[str, Any], expected: list[str]) -> None:
    assert problems_of(tmp_path, views={0: VIEW0, 1: view1}) == expected


# A view where one explanation (1.1.2) explains two judgements, with a judgement (1.3.1) after it.
VIEW1_SEVERAL: dict[str, Any] = {
    "view": 1,
    "title": "Assessment",
    "questions": [
        VIEW1["questions"][0],
        {**VIEW1["questions"][0], "id": "1.1.1b", "text": "Sufficient, part b?"},
        {**VIEW1["questions"][1], "explains": ["1.1.1", "1.1.1b"]},
        VIEW1["questions"][2],
        {**VIEW1["questions"][0], "id": "1.3.1", "text": "Sufficient later?"},
    ],
}


@pytest.mark.parametrize(
    ("explains", "expected"),
    [
        pytest.param(["1.1.1", "1.1.1b"], [], id="sound"),
        pytest.param(["1.1.1"], [], id="list-of-one"),
        pytest.param(
            ["1.1.1", "1.9.9"],
            ["view1.yaml, question 1.1.2: explains '1.9.9', which is not in the bank"],
            id="list-names-a-missing-question",
        ),
        pytest.param(
            ["1.1.1", "1.3.1"],
            ["view1.yaml, question 1.1.2: explains '1.3.1', which does not come earlier in the bank"],
            id="list-names-a-later-judgement",
        ),
        pytest.param(
            ["1.1.1", "1.20"],
            ["view1.yaml, question 1.1.2: explains '1.20', which is a narrative, not a judgement",
             "view1.yaml, question 1.1.2: explains '1.20', which does not come earlier in the bank"],
            id="list-names-a-narrative",
        ),
        pytest.param(
            ["1.1.1", "1.1.2"],
            ["view1.yaml, question 1.1.2: explains '1.1.2', which is a explanation, not a judgement",
             "view1.yaml, question 1.1.2: explains '1.1.2', which does not come earlier in the bank"],
            id="list-names-itself",
        ),
        pytest.param(
            [],
            ["view1.yaml, question 1.1.2: 'explains' is an empty list: name at least one question"],
            id="empty-list",
        ),
        pytest.param(
            ["1.1.1", "1.1.1"],
            ["view1.yaml, question 1.1.2: 'explains' lists '1.1.1' twice"],
            id="same-id-twice",
        ),
        pytest.param(
            ["1.1.1b", "1.1.1.b"],
            ["view1.yaml, question 1.1.2: explains '1.1.1b' twice"],
            id="same-judgement-twice-leniently",
        ),
        pytest.param(
            ["1.1.1", 1.3],
            ["view1.yaml, question 1.1.2: 'explains' must hold text only (quote it in YAML), not 1.3 (float)",
             "view1.yaml, question 1.1.2: explains '1.3', which is not in the bank"],
            id="unquoted-id-in-list",
        ),
    ],
)  # fmt: skip
def test_validate_explains_list(tmp_path: Path, explains: list[Any], expected: list[str]) -> None:
    view1 = with_question(VIEW1_SEVERAL, 2, explains=explains)
    if not explains:
        view1["questions"][2]["explains"] = []  # with_question drops only None
    assert problems_of(tmp_path, views={0: VIEW0, 1: view1}) == expected


def test_validate_explains_only_on_explanations_list_or_not(tmp_path: Path) -> None:
    view1 = with_question(VIEW1_SEVERAL, 4, explains=["1.1.1"])
    assert problems_of(tmp_path, views={0: VIEW0, 1: view1}) == [
        "view1.yaml, question 1.3.1: only an explanation may have 'explains'"
    ]


def test_load_bank_keeps_explained_ids_canonical_and_in_bank_order(tmp_path: Path) -> None:
    view1 = with_question(VIEW1_SEVERAL, 2, explains=["1.1.1.B", "1.1.1"])
    bank = load_bank(bank_dir=write_bank(tmp_path, views={0: VIEW0, 1: view1}).parent)
    assert bank.question("1.1.2").explains == ("1.1.1", "1.1.1b")
    assert [q.id for q in bank.explanations_of("1.1.1b")] == [q.id for q in bank.explanations_of("1.1.1")] == ["1.1.2"]
    assert bank.explanations_of("1.3.1") == ()


def test_load_bank_single_explained_id_is_a_tuple_of_one(tmp_path: Path) -> None:
    bank = load_bank(bank_dir=write_bank(tmp_path).parent)
    assert bank.question("1.1.2").explains == ("1.1.1",)
    assert bank.question("1.1.1").explains == ()


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        pytest.param('[3b] == "Wales"', [], id="sound"),
        pytest.param('[3B] == "Wales" and [7a] == "Yes"', [], id="lenient-refs"),
        pytest.param(
            '[3b] in ()',
            ["view1.yaml, question 1.1.1: 'when' does not parse: at column 10: expected a string after 'in (', found ')'"],
            id="syntax-error",
        ),
        pytest.param(
            '[99] == "Yes"',
            ["view1.yaml, question 1.1.1: 'when' names question [99], which is not in the bank"],
            id="unknown-question",
        ),
        pytest.param(
            '[1.20] == "x"',
            ["view1.yaml, question 1.1.1: 'when' names question [1.20], which does not come earlier in the bank"],
            id="later-question",
        ),
        pytest.param(
            '[1.1.1] == "Sufficient"',
            ["view1.yaml, question 1.1.1: 'when' names question [1.1.1], which does not come earlier in the bank"],
            id="itself",
        ),
        pytest.param(
            "custodial",
            ["view1.yaml, question 1.1.1: 'when' names 'custodial', which is neither a fact (alert) nor a definition"],
            id="unknown-definition",
        ),
        pytest.param(
            "country",
            ["view1.yaml, question 1.1.1: 'when' 'country' is not true or false: compare it, e.g. country == \"...\""],
            id="string-fact-as-flag",
        ),
        pytest.param(
            'region == "North"',
            ["view1.yaml, question 1.1.1: 'when' compares 'region', which is not a fact (country, programme)"],
            id="unknown-fact",
        ),
        pytest.param(
            'country == "Scotland"',
            ["view1.yaml, question 1.1.1: 'when' compares country with 'Scotland', which it can never be (England, Wales)"],
            id="impossible-fact-value",
        ),
        pytest.param(
            'module("governance")',
            ["view1.yaml, question 1.1.1: 'when' names module 'governance', which is not in meta.yaml"],
            id="unknown-module",
        ),
        pytest.param(
            '[3b] == "wales"',
            ["view1.yaml, question 1.1.1: 'when' compares [3b] with 'wales', which is not one of its options (England, Wales)"],
            id="literal-not-an-option",
        ),
        pytest.param(
            '[7.a] in ("Yes", "Not known")',
            ["view1.yaml, question 1.1.1: 'when' compares [7.a] with 'Not known', which is not one of its options (Yes, No)"],
            id="in-literal-not-an-option",
        ),
        pytest.param("wales and alert", [], id="definition-and-fact"),
    ],
)  # fmt: skip
def test_validate_condition_problems(tmp_path: Path, when: str, expected: list[str]) -> None:
    assert problems_of(tmp_path, views={0: VIEW0, 1: with_question(VIEW1, 0, when=when)}) == expected


@pytest.mark.parametrize(
    ("definitions", "expected"),
    [
        pytest.param(
            {"a": "b", "b": "a"},
            ["meta.yaml: definitions refer to each other in a loop: a -> b -> a"],
            id="cycle",
        ),
        pytest.param(
            {"custodial": "[10.a] in ()"},
            ["meta.yaml: definition 'custodial' does not parse: at column 12: expected a string after 'in (', found ')'"],
            id="syntax-error",
        ),
        pytest.param(
            {"custodial": '[10.a] == "DTO"'},
            ["meta.yaml: definition 'custodial' names question [10.a], which is not in the bank"],
            id="unknown-question",
        ),
        pytest.param({"alert": "true"}, ["meta.yaml: definition 'alert' has the name of a fact"], id="fact-name"),
        pytest.param(
            {"and": "true"},
            ["meta.yaml: definition name 'and' must be a plain name that is not a keyword"],
            id="keyword-name",
        ),
        pytest.param(
            {"wales": '[3b] == "Cymru"'},
            ["meta.yaml: definition 'wales' compares [3b] with 'Cymru', which is not one of its options (England, Wales)"],
            id="literal-not-an-option",
        ),
    ],
)  # fmt: skip
def test_validate_definition_problems(tmp_path: Path, definitions: dict[str, str], expected: list[str]) -> None:
    assert problems_of(tmp_path, meta={**META, "definitions": definitions}) == expected


def test_validate_definition_naming_a_later_question(tmp_path: Path) -> None:
    meta = {**META, "definitions": {"late": '[1.20] == "x"'}}
    view0 = with_question(VIEW0, 1, when="late")
    assert problems_of(tmp_path, meta=meta, views={0: view0, 1: VIEW1}) == [
        "view0.yaml, question 7.a: 'when' uses a definition that names [1.20], which does not come earlier in the bank"
    ]


def test_validate_ids_differing_only_by_a_dot(tmp_path: Path) -> None:
    view0 = copy.deepcopy(VIEW0)
    view0["questions"].append({**view0["questions"][1], "id": "7a"})
    assert problems_of(tmp_path, views={0: view0, 1: VIEW1}) == [
        "view0.yaml, question 7a: id differs from '7.a' only by case or a dot before a letter"
    ]


def test_validate_missing_meta_and_views(tmp_path: Path) -> None:
    assert problems_of(tmp_path, meta=False, views={}) == [
        "meta.yaml: is missing",
        "2099-01: has no view<N>.yaml files",
    ]


def test_validate_meta_version_must_match_folder(tmp_path: Path) -> None:
    assert problems_of(tmp_path, meta={**META, "version": "2015-01"}) == [
        "meta.yaml: version '2015-01' does not match its folder name '2099-01'"
    ]


def test_validate_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    broken = 'view: 1\nquestions:\n  - id: "1.1.1\n    kind: judgement\n'
    problems = problems_of(tmp_path, views={0: VIEW0, 1: broken})
    assert len(problems) == 1
    assert problems[0].startswith("view1.yaml: is not valid YAML at line ")


def test_validate_view_number_must_match_the_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path, views={0: VIEW0, 1: {**VIEW1, "view": 2}}) == [
        "view1.yaml: 'view' is 2 but the file is view 1"
    ]


def test_validate_collects_every_problem(tmp_path: Path) -> None:
    view1 = with_question(with_question(VIEW1, 0, kind="guess"), 2, id="1.1.1")
    assert len(problems_of(tmp_path, views={0: VIEW0, 1: view1})) == 5


# --------------------------------------------------------------------------------------------------
# Loading


def test_load_bank_raises_with_every_problem(tmp_path: Path) -> None:
    write_bank(tmp_path, views={0: VIEW0, 1: with_question(VIEW1, 0, kind="guess", theme="child")})
    with pytest.raises(BankInvalid) as caught:
        load_bank(bank_dir=tmp_path)
    assert len(caught.value.problems) == 5
    assert "has 5 problem(s)" in str(caught.value)


def test_load_bank_resolves_lenient_refs_to_canonical_ids(tmp_path: Path) -> None:
    write_bank(tmp_path, views={0: VIEW0, 1: with_question(VIEW1, 0, when='[7A] == "Yes"')})
    bank = load_bank("2099-01", bank_dir=tmp_path)
    condition = bank.question("1.1.1").condition
    assert condition is not None and condition.refs == frozenset({"7.a"})
    assert bank.question("1.1.1").when == '[7A] == "Yes"'
    assert "1.1.1" in route(bank, Facts("sqs"), {"7.a": "Yes"}).asked


def test_load_bank_defaults_to_newest_version() -> None:
    assert available_versions(FIXTURE_BANK) == ("2014-06", "2015-01")
    assert load_bank(bank_dir=FIXTURE_BANK).version == "2015-01"
    assert load_bank("2014-06", bank_dir=FIXTURE_BANK).version == "2014-06"


def test_load_bank_is_cached() -> None:
    assert load_bank(bank_dir=FIXTURE_BANK) is load_bank("2015-01", bank_dir=str(FIXTURE_BANK))


def test_load_bank_unknown_version() -> None:
    with pytest.raises(BankNotFound, match="no question bank version '1999-01'"):
        load_bank("1999-01", bank_dir=FIXTURE_BANK)


def test_load_bank_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(BankNotFound, match="no question bank version folder"):
        load_bank(bank_dir=tmp_path)
    assert available_versions(tmp_path / "missing") == ()


def test_validate_by_version() -> None:
    assert validate("2014-06", bank_dir=FIXTURE_BANK) == []


def test_bank_questions_carry_their_data() -> None:
    bank = load_bank(bank_dir=FIXTURE_BANK)
    question = bank.question("1.2.1")
    assert (question.view, question.kind, question.options, question.na_allowed, question.scored, question.position) == (
        1, "judgement", ("Sufficient", "Insufficient", "N/A"), True, True, 16,
    )  # fmt: skip
    assert [q.id for q in bank.explanations_of("1.1.1")] == ["1.1.2"]
    assert [q.id for q in bank.questions_in_view(2)] == [
        "2.1.1",
        "2.1.2",
        "2.2.1",
        "2.3.1a",
        "2.3.1b",
        "2.3.1.1",
        "2.20",
    ]
    assert bank.question("1.1.2").explains == ("1.1.1",)
    assert bank.question("2.3.1.1").explains == ("2.3.1a", "2.3.1b")
    assert (
        [q.id for q in bank.explanations_of("2.3.1a")] == [q.id for q in bank.explanations_of("2.3.1b")] == ["2.3.1.1"]
    )
    assert bank.question("2.3.1a").explains == ()
    assert (bank.view(2).title, bank.theme("public").criteria) == ("Planning", ("2",))
    assert [entry.date for entry in bank.history] == ["2014-06", "2015-01"]


# --------------------------------------------------------------------------------------------------
# Lenient id lookup


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("7.a", "7.a", id="exact"),
        pytest.param("7a", "7.a", id="without-dot"),
        pytest.param("7.A", "7.a", id="upper-case"),
        pytest.param("10A", "10.a", id="upper-case-without-dot"),
        pytest.param("14A", "14a", id="upper-case-letter"),
        pytest.param("14.a", "14a", id="with-extra-dot"),
        pytest.param(" 3b ", "3b", id="surrounding-spaces"),
        pytest.param("1.20A", "1.20a", id="narrative"),
        pytest.param("1.1.1", "1.1.1", id="dots-between-digits-kept"),
        pytest.param("111", None, id="dots-between-digits-required"),
        pytest.param("99", None, id="unknown"),
    ],
)
def test_resolve_id_lenient(raw: str, expected: str | None) -> None:
    assert load_bank(bank_dir=FIXTURE_BANK).resolve_id(raw) == expected


def test_question_lookup_unknown_raises() -> None:
    with pytest.raises(KeyError):
        load_bank(bank_dir=FIXTURE_BANK).question("99")


@pytest.mark.parametrize(
    ("raw", "key"),
    [("12.a", "12a"), ("12a", "12a"), ("7.A", "7a"), ("1.1.2", "1.1.2"), ("5.1.1a", "5.1.1a"), ("5.1.1.a", "5.1.1a")],
)
def test_lenient_key(raw: str, key: str) -> None:
    assert lenient_key(raw) == key
