"""The condition language: parsing to a tree, evaluating it, and every kind of error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.domain.conditions import (
    AllOf,
    Answer,
    Answered,
    AnyOf,
    Compare,
    ConditionError,
    ConditionSyntaxError,
    Const,
    Contains,
    DefinitionCycleError,
    EvaluationContext,
    FactName,
    Flag,
    ModuleIncluded,
    Not,
    OneOf,
    Ref,
    Text,
    UnknownNameError,
    compile_definitions,
    definition_cycles,
    expanded_refs,
    parse,
)

# --------------------------------------------------------------------------------------------------
# Parsing


@pytest.mark.parametrize(
    ("source", "tree"),
    [
        pytest.param("true", Const(True), id="true"),
        pytest.param("false", Const(False), id="false"),
        pytest.param("alert", Flag("alert"), id="bare-name"),
        pytest.param('module("court_work")', ModuleIncluded("court_work"), id="module"),
        pytest.param("answered([7.a])", Answered("7.a"), id="answered"),
        pytest.param('[3b] == "Wales"', Compare(Ref("3b"), "==", Text("Wales")), id="ref-equals-string"),
        pytest.param('[3b] != "Wales"', Compare(Ref("3b"), "!=", Text("Wales")), id="ref-not-equals"),
        pytest.param('"Wales" == [3b]', Compare(Text("Wales"), "==", Ref("3b")), id="string-on-the-left"),
        pytest.param('country == "Wales"', Compare(FactName("country"), "==", Text("Wales")), id="fact-compare"),
        pytest.param("[1.1] == [1.2]", Compare(Ref("1.1"), "==", Ref("1.2")), id="ref-equals-ref"),
        pytest.param('[9a] in ("Welsh", "Not Known")', OneOf(Ref("9a"), ("Welsh", "Not Known")), id="in-list"),
        pytest.param('[9a] not in ("English")', OneOf(Ref("9a"), ("English",), True), id="not-in-list"),
        pytest.param('programme in ("sqs")', OneOf(FactName("programme"), ("sqs",)), id="fact-in-list"),
        pytest.param('[14] contains "Looked After"', Contains("14", "Looked After"), id="contains"),
        pytest.param("not alert", Not(Flag("alert")), id="not"),
        pytest.param("not not alert", Not(Not(Flag("alert"))), id="double-not"),
        pytest.param("a and b and c", AllOf((Flag("a"), Flag("b"), Flag("c"))), id="and-chain-is-flat"),
        pytest.param("a or b and c", AnyOf((Flag("a"), AllOf((Flag("b"), Flag("c"))))), id="and-binds-tighter-than-or"),
        pytest.param("(a or b) and c", AllOf((AnyOf((Flag("a"), Flag("b"))), Flag("c"))), id="parentheses"),
        pytest.param("not a and b", AllOf((Not(Flag("a")), Flag("b"))), id="not-binds-tighter-than-and"),
        pytest.param(
            'wales and [9a] in ("Welsh", "Not Known")',
            AllOf((Flag("wales"), OneOf(Ref("9a"), ("Welsh", "Not Known")))),
            id="guide-example-9b",
        ),
        pytest.param("  alert\n", Flag("alert"), id="whitespace-ignored"),
        pytest.param('[ 9a ] == "x"', Compare(Ref("9a"), "==", Text("x")), id="spaces-inside-ref"),
        pytest.param('[x] == ""', Compare(Ref("x"), "==", Text("")), id="empty-string"),
    ],
)
def test_parse_builds_tree(source: str, tree: object) -> None:
    assert parse(source).root == tree


def test_parse_exposes_what_a_condition_names() -> None:
    condition = parse(
        'custodial and ([3b] == "Wales" or answered([7.a])) and [14] contains "x"'
        ' and country != "Wales" and module("court_work") and not alert'
    )
    assert condition.refs == frozenset({"3b", "7.a", "14"})
    assert condition.flags == frozenset({"custodial", "alert"})
    assert condition.fact_names == frozenset({"country"})
    assert condition.modules == frozenset({"court_work"})
    assert str(condition) == condition.source


def test_parse_renaming_refs_keeps_the_source() -> None:
    condition = parse('[7a] == "Yes" and answered([7a]) and [7a] contains "Yes"').with_refs_renamed(
        lambda ref: {"7a": "7.a"}.get(ref, ref)
    )
    assert condition.refs == frozenset({"7.a"})
    assert condition.source == '[7a] == "Yes" and answered([7a]) and [7a] contains "Yes"'


@pytest.mark.parametrize(
    ("source", "column", "message"),
    [
        pytest.param("", 1, "at column 1: expected a condition, found nothing", id="empty"),
        pytest.param("and", 1, "at column 1: expected a condition, found 'and'", id="keyword-at-start"),
        pytest.param(
            "alert and", 10, "at column 10: expected a condition, found the end of the condition", id="dangling-and"
        ),
        pytest.param("not", 4, "at column 4: expected a condition, found the end of the condition", id="dangling-not"),
        pytest.param("()", 2, "at column 2: expected a condition, found ')'", id="empty-parentheses"),
        pytest.param(
            "(alert",
            7,
            "at column 7: expected ')' to close the '(' at column 1, found the end of the condition",
            id="unclosed-parenthesis",
        ),
        pytest.param(
            "alert alert",
            7,
            "at column 7: expected 'and', 'or' or the end of the condition, found 'alert'",
            id="two-conditions-side-by-side",
        ),
        pytest.param(
            "alert)", 6, "at column 6: expected 'and', 'or' or the end of the condition, found ')'", id="stray-close"
        ),
        pytest.param(
            "a & b", 3, "at column 3: expected 'and', 'or' or the end of the condition, found '&'", id="ampersand"
        ),
        pytest.param("%", 1, "at column 1: expected a condition, found '%'", id="stray-character"),
        pytest.param(
            '[3b] = "Wales"', 6, "at column 6: expected '==' (a single '=' is not an operator)", id="single-equals"
        ),
        pytest.param(
            '[3b] == "Wales',
            9,
            "at column 9: expected a closing '\"' for the string opened here",
            id="unterminated-string",
        ),
        pytest.param(
            '[3b == "Wales"',
            1,
            "at column 1: expected ']' to close the question reference opened here",
            id="unclosed-ref",
        ),
        pytest.param('[] == "x"', 2, "at column 2: expected a question id after '[', found ']'", id="empty-ref"),
        pytest.param(
            '[9 a] == "x"',
            2,
            "at column 2: expected a question id (letters, digits and dots) after '[', found '9 a'",
            id="bad-question-id",
        ),
        pytest.param(
            "[3b]",
            5,
            "at column 5: expected '==', '!=', 'in', 'not in' or 'contains' after [3b], found the end of the condition",
            id="ref-without-operator",
        ),
        pytest.param(
            '"Wales"',
            8,
            "at column 8: expected '==', '!=' or 'in' after the string \"Wales\", found the end of the condition",
            id="string-without-operator",
        ),
        pytest.param(
            "[3b] == and",
            9,
            "at column 9: expected a question reference, a name or a string after '==', found 'and'",
            id="missing-right-operand",
        ),
        pytest.param(
            "[3b] == 9",
            9,
            "at column 9: expected a question reference, a name or a string after '==', found '9'",
            id="bare-number",
        ),
        pytest.param(
            '[9a] in "Welsh"',
            9,
            "at column 9: expected '(' after 'in', found the string \"Welsh\"",
            id="in-without-list",
        ),
        pytest.param("[9a] in ()", 10, "at column 10: expected a string after 'in (', found ')'", id="empty-in-list"),
        pytest.param('[9a] in ("a",)', 14, "at column 14: expected a string after ',', found ')'", id="trailing-comma"),
        pytest.param(
            '[9a] in ("a" "b")',
            14,
            "at column 14: expected ',' or ')' after a string in the 'in (...)' list, found the string \"b\"",
            id="missing-comma",
        ),
        pytest.param(
            '[9a] not "x"', 10, "at column 10: expected 'in' after 'not', found the string \"x\"", id="not-without-in"
        ),
        pytest.param(
            '"a" contains "b"',
            5,
            "at column 5: expected '==', '!=' or 'in' ('contains' needs a question reference on its left), found 'contains'",
            id="contains-on-a-string",
        ),
        pytest.param(
            "[14] contains",
            14,
            "at column 14: expected a string after 'contains', found the end of the condition",
            id="contains-without-string",
        ),
        pytest.param(
            "module",
            7,
            "at column 7: expected '(' after 'module', found the end of the condition",
            id="module-without-parenthesis",
        ),
        pytest.param(
            "module(court)",
            8,
            "at column 8: expected a module key string after 'module(', found 'court'",
            id="module-key-unquoted",
        ),
        pytest.param(
            'module("a"',
            11,
            "at column 11: expected ')' after the module key, found the end of the condition",
            id="module-unclosed",
        ),
        pytest.param(
            "answered(7a)",
            10,
            "at column 10: expected a question reference like [9a] after 'answered(', found '7a'",
            id="answered-without-brackets",
        ),
        pytest.param(
            "answered",
            9,
            "at column 9: expected '(' after 'answered', found the end of the condition",
            id="answered-without-parenthesis",
        ),
        pytest.param(
            "answered([7a]",
            14,
            "at column 14: expected ')' after the question reference, found the end of the condition",
            id="answered-unclosed",
        ),
    ],
)
def test_parse_error_names_position_and_expectation(source: str, column: int, message: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(source)
    assert str(caught.value) == message
    assert caught.value.column == column


@settings(database=None, max_examples=500)
@given(
    source=st.one_of(
        st.text(max_size=40),
        st.lists(
            st.sampled_from(
                [
                    "[9a]",
                    '"x"',
                    "alert",
                    "and",
                    "or",
                    "not",
                    "in",
                    "(",
                    ")",
                    ",",
                    "==",
                    "!=",
                    "contains",
                    "module",
                    "answered",
                    "true",
                ]
            ),
            max_size=12,
        ).map(" ".join),
    )
)
def test_parse_any_text_either_parses_or_raises_syntax_error(source: str) -> None:
    try:
        condition = parse(source)
    except ConditionSyntaxError as error:
        assert 1 <= error.column <= len(source) + 1
    else:
        assert condition.source == source


def test_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="column 1"):
        parse("")


# --------------------------------------------------------------------------------------------------
# Evaluating


def context(
    answers: dict[str, Answer] | None = None,
    *,
    country: str | None = "England",
    programme: str = "fji",
    alert: bool = False,
    modules: frozenset[str] = frozenset(),
    definitions: dict[str, str] | None = None,
) -> EvaluationContext:
    return EvaluationContext(
        answers=answers or {},
        string_facts={"programme": programme, "country": country},
        boolean_facts={"alert": alert},
        modules=modules,
        definitions=compile_definitions(definitions or {}),
    )


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        pytest.param('[3b] == "Wales"', {"3b": "Wales"}, True, id="equals-true"),
        pytest.param('[3b] == "Wales"', {"3b": "England"}, False, id="equals-false"),
        pytest.param('[3b] == "wales"', {"3b": "Wales"}, False, id="labels-are-case-sensitive"),
        pytest.param('[3b] != "Wales"', {"3b": "England"}, True, id="not-equals-true"),
        pytest.param('[9a] in ("Welsh", "Not Known")', {"9a": "Not Known"}, True, id="in-true"),
        pytest.param('[9a] in ("Welsh", "Not Known")', {"9a": "English"}, False, id="in-false"),
        pytest.param('[9a] not in ("Welsh")', {"9a": "English"}, True, id="not-in-true"),
        pytest.param('[9a] not in ("Welsh")', {"9a": "Welsh"}, False, id="not-in-false"),
        pytest.param('[14] contains "LAC"', {"14": ("CP", "LAC")}, True, id="contains-true"),
        pytest.param('[14] contains "LAC"', {"14": ("CP",)}, False, id="contains-false"),
        pytest.param('[14] contains "LAC"', {"14": "LAC"}, True, id="contains-on-a-single-answer"),
        pytest.param('[14] == "LAC"', {"14": ("LAC",)}, True, id="one-option-multiple-equals-it"),
        pytest.param('[14] == "LAC"', {"14": ("LAC", "CP")}, False, id="several-options-never-equal-one"),
        pytest.param('[14] in ("LAC", "CP")', {"14": ("LAC", "CP")}, True, id="multiple-in-when-all-inside"),
        pytest.param('[14] in ("LAC")', {"14": ("LAC", "CP")}, False, id="multiple-not-in-when-one-outside"),
        pytest.param("[a] == [b]", {"a": "x", "b": "x"}, True, id="ref-equals-ref"),
        pytest.param("answered([7.a])", {"7.a": "No"}, True, id="answered-true"),
        pytest.param("answered([7.a])", {}, False, id="answered-false"),
        pytest.param("answered([7.a])", {"7.a": ""}, False, id="empty-string-is-unanswered"),
        pytest.param("answered([14])", {"14": ()}, False, id="empty-tuple-is-unanswered"),
        pytest.param('"a" == "a"', {}, True, id="two-strings"),
        pytest.param("true and not false", {}, True, id="constants"),
        pytest.param('[a] == "1" or [b] == "1"', {"b": "1"}, True, id="or-second-true"),
        pytest.param('[a] == "1" and [b] == "1"', {"a": "1"}, False, id="and-one-missing"),
    ],
)
def test_evaluate_answers(source: str, answers: dict[str, Answer], expected: bool) -> None:
    assert parse(source).evaluate(context(answers)) is expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('[3b] == "Wales"', id="equals"),
        pytest.param('[3b] != "Wales"', id="not-equals"),
        pytest.param('"Wales" != [3b]', id="not-equals-on-the-right"),
        pytest.param('[3b] in ("Wales", "England")', id="in"),
        pytest.param('[3b] not in ("Wales")', id="not-in"),
        pytest.param('[3b] contains "Wales"', id="contains"),
        pytest.param("[3b] != [4]", id="two-refs"),
        pytest.param('country != "Wales"', id="unknown-country-fact"),
    ],
)
def test_evaluate_comparison_with_unanswered_question_is_false(source: str) -> None:
    """Whatever the operator: a question that depends on an answer waits for it."""
    assert parse(source).evaluate(context({}, country=None)) is False


def test_evaluate_negated_unanswered_comparison_is_true() -> None:
    """``not`` applies after the unanswered-is-false rule: write conditions positively."""
    assert parse('not [3b] == "Wales"').evaluate(context({})) is True


@pytest.mark.parametrize(
    ("source", "facts", "expected"),
    [
        pytest.param("alert", {"alert": True}, True, id="alert-raised"),
        pytest.param("alert", {"alert": False}, False, id="alert-not-raised"),
        pytest.param('country == "Wales"', {"country": "Wales"}, True, id="country-wales"),
        pytest.param('country == "Wales"', {"country": "England"}, False, id="country-england"),
        pytest.param('programme == "sqs"', {"programme": "sqs"}, True, id="programme"),
        pytest.param('module("court_work")', {"modules": frozenset({"court_work"})}, True, id="module-in"),
        pytest.param('module("court_work")', {"modules": frozenset({"governance"})}, False, id="module-out"),
    ],
)
def test_evaluate_facts(source: str, facts: dict[str, object], expected: bool) -> None:
    assert parse(source).evaluate(context({}, **facts)) is expected  # type: ignore[arg-type]


def test_evaluate_definitions_nest() -> None:
    definitions = {
        "wales": '[3b] == "Wales"',
        "welsh_or_unknown": 'wales and [9a] in ("Welsh", "Not Known")',
    }
    condition = parse('welsh_or_unknown and [9b] == "Yes"')
    assert condition.evaluate(context({"3b": "Wales", "9a": "Welsh", "9b": "Yes"}, definitions=definitions))
    assert not condition.evaluate(context({"3b": "England", "9a": "Welsh", "9b": "Yes"}, definitions=definitions))
    assert expanded_refs(condition, compile_definitions(definitions)) == frozenset({"3b", "9a", "9b"})


def test_evaluate_unknown_name_raises() -> None:
    with pytest.raises(UnknownNameError, match="'custodial' is neither"):
        parse("custodial").evaluate(context({}))


def test_evaluate_unknown_fact_operand_raises() -> None:
    with pytest.raises(UnknownNameError, match="'region' is not a fact"):
        parse('region == "North"').evaluate(context({}))


# --------------------------------------------------------------------------------------------------
# Definitions


def test_definitions_cycle_is_detected() -> None:
    with pytest.raises(DefinitionCycleError) as caught:
        compile_definitions({"a": "b and alert", "b": "c", "c": "a", "d": "alert"})
    assert str(caught.value) == "definitions refer to each other in a loop: a -> b -> c -> a"


def test_definitions_self_reference_is_a_cycle() -> None:
    assert definition_cycles({"a": parse("a or alert")}) == [("a",)]


def test_definitions_without_cycle_compile() -> None:
    compiled = compile_definitions({"a": "b", "b": "alert"})
    assert sorted(compiled) == ["a", "b"]


def test_definitions_syntax_error_names_the_definition() -> None:
    with pytest.raises(ConditionError) as caught:
        compile_definitions({"custodial": "[10.a] in ()"})
    assert str(caught.value) == "definition 'custodial': at column 12: expected a string after 'in (', found ')'"
