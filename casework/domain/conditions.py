"""The question bank's condition language: tokenizer, parser and evaluator.

The grammar is the one in ``casework/bank/SCHEMA.md``::

    condition  := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | atom
    atom       := "(" or_expr ")"
                | "true" | "false"
                | NAME
                | "module" "(" STRING ")"
                | "answered" "(" REF ")"
                | operand ("==" | "!=") operand
                | operand ["not"] "in" "(" STRING ("," STRING)* ")"
                | REF "contains" STRING
    operand    := REF | NAME | STRING

A condition is parsed once into an immutable tree and evaluated many times; nothing is ever handed
to ``eval``. The rule that matters most: a comparison that involves a question which is unanswered
or not asked is false, whatever the operator (``!=`` and ``not in`` included), so a question that
depends on an earlier answer stays unasked until that answer is given.

Answers are option labels: a ``str`` for a single answer, a ``tuple[str, ...]`` for a
multiple-choice answer. An empty string or empty tuple counts as unanswered. A multiple answer of
exactly one option compares like that option on its own; a multiple answer of several options is
never ``==`` a single string, and is ``in (...)`` only when every chosen option is in the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BOOLEAN_FACTS",
    "KEYWORDS",
    "STRING_FACTS",
    "AllOf",
    "Answer",
    "Answered",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionError",
    "ConditionSyntaxError",
    "Const",
    "Contains",
    "DefinitionCycleError",
    "EvaluationContext",
    "FactName",
    "Flag",
    "ModuleIncluded",
    "Node",
    "Not",
    "OneOf",
    "Ref",
    "Text",
    "UnknownNameError",
    "compile_definitions",
    "definition_cycles",
    "expanded_refs",
    "is_answered",
    "parse",
]

Answer = str | tuple[str, ...]

#: Facts a bare NAME may stand for (besides a named definition).
BOOLEAN_FACTS: frozenset[str] = frozenset({"alert"})
#: Facts a NAME operand of ``==``, ``!=`` or ``in`` may stand for.
STRING_FACTS: frozenset[str] = frozenset({"programme", "country"})
KEYWORDS: frozenset[str] = frozenset({"and", "or", "not", "in", "contains", "true", "false", "module", "answered"})


class ConditionError(ValueError):
    """Base class of every error this module raises."""


class ConditionSyntaxError(ConditionError):
    """A condition that does not parse.

    ``column`` is 1-based; ``expected`` says what the parser wanted there and ``found`` what it saw.
    The message reads like "at column 12: expected a string after 'in (', found ')'".
    """

    def __init__(self, column: int, expected: str, found: str | None = None) -> None:
        self.column = column
        self.expected = expected
        self.found = found
        message = f"at column {column}: {expected}"
        if found is not None:
            message += f", found {found}"
        super().__init__(message)


class UnknownNameError(ConditionError):
    """A NAME that is neither a known fact nor a named definition, met during evaluation."""


class DefinitionCycleError(ConditionError):
    """Named definitions that refer to each other in a loop."""

    def __init__(self, cycles: list[tuple[str, ...]]) -> None:
        self.cycles = cycles
        shown = "; ".join(" -> ".join((*cycle, cycle[0])) for cycle in cycles)
        super().__init__(f"definitions refer to each other in a loop: {shown}")


# --------------------------------------------------------------------------------------------------
# Evaluation context


@dataclass(frozen=True, slots=True)
class EvaluationContext:
    """What a condition is evaluated over.

    ``answers`` must hold only the answers of questions that are asked (routing builds it that way),
    keyed by canonical question id. ``definitions`` maps a definition's name to its parsed condition.
    """

    answers: Mapping[str, Answer]
    string_facts: Mapping[str, str | None] = field(default_factory=dict)
    boolean_facts: Mapping[str, bool] = field(default_factory=dict)
    modules: frozenset[str] = frozenset()
    definitions: Mapping[str, Condition] = field(default_factory=dict)


def is_answered(answer: Answer | None) -> bool:
    """True for a non-empty string or a non-empty tuple."""
    return bool(answer)


def _single(value: Answer | None) -> Answer | None:
    """A one-option multiple answer compares like the option itself; empties become None."""
    if not value:
        return None
    if isinstance(value, tuple) and len(value) == 1:
        return value[0]
    return value


# --------------------------------------------------------------------------------------------------
# The tree. Operands yield a value (None when unanswered); every other node yields a bool.


@dataclass(frozen=True, slots=True)
class Ref:
    """``[9a]``: the answer given to an earlier question."""

    question: str

    def value(self, context: EvaluationContext) -> Answer | None:
        return _single(context.answers.get(self.question))


@dataclass(frozen=True, slots=True)
class FactName:
    """A NAME on either side of a comparison: a string fact such as ``country``."""

    name: str

    def value(self, context: EvaluationContext) -> Answer | None:
        if self.name not in context.string_facts:
            raise UnknownNameError(f"'{self.name}' is not a fact that can be compared")
        return context.string_facts[self.name] or None


@dataclass(frozen=True, slots=True)
class Text:
    """A string literal."""

    text: str

    def value(self, context: EvaluationContext) -> Answer | None:
        return self.text


Operand = Ref | FactName | Text


@dataclass(frozen=True, slots=True)
class Const:
    value: bool

    def holds(self, context: EvaluationContext) -> bool:
        return self.value


@dataclass(frozen=True, slots=True)
class Flag:
    """A bare NAME: a boolean fact (``alert``) or a named definition (``custodial``)."""

    name: str

    def holds(self, context: EvaluationContext) -> bool:
        definition = context.definitions.get(self.name)
        if definition is not None:
            return definition.root.holds(context)
        if self.name in context.boolean_facts:
            return bool(context.boolean_facts[self.name])
        raise UnknownNameError(f"'{self.name}' is neither a boolean fact nor a named definition")


@dataclass(frozen=True, slots=True)
class ModuleIncluded:
    """``module("court_work")``."""

    key: str

    def holds(self, context: EvaluationContext) -> bool:
        return self.key in context.modules


@dataclass(frozen=True, slots=True)
class Answered:
    """``answered([7.a])``: the question was asked and has an answer."""

    question: str

    def holds(self, context: EvaluationContext) -> bool:
        return is_answered(context.answers.get(self.question))


@dataclass(frozen=True, slots=True)
class Compare:
    left: Operand
    op: Literal["==", "!="]
    right: Operand

    def holds(self, context: EvaluationContext) -> bool:
        left = self.left.value(context)
        if left is None:
            return False
        right = self.right.value(context)
        if right is None:
            return False
        return (left == right) if self.op == "==" else (left != right)


@dataclass(frozen=True, slots=True)
class OneOf:
    """``operand in ("a", "b")`` or, with ``negated``, ``operand not in (...)``."""

    operand: Operand
    options: tuple[str, ...]
    negated: bool = False

    def holds(self, context: EvaluationContext) -> bool:
        value = self.operand.value(context)
        if value is None:
            return False
        inside = all(option in self.options for option in value) if isinstance(value, tuple) else value in self.options
        return inside != self.negated


@dataclass(frozen=True, slots=True)
class Contains:
    """``[14] contains "Looked After"``: a multiple answer includes this option."""

    question: str
    option: str

    def holds(self, context: EvaluationContext) -> bool:
        answer = context.answers.get(self.question)
        if not answer:
            return False
        if isinstance(answer, tuple):
            return self.option in answer
        return answer == self.option


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node

    def holds(self, context: EvaluationContext) -> bool:
        return not self.operand.holds(context)


@dataclass(frozen=True, slots=True)
class AllOf:
    """``a and b and c``."""

    operands: tuple[Node, ...]

    def holds(self, context: EvaluationContext) -> bool:
        return all(operand.holds(context) for operand in self.operands)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """``a or b or c``."""

    operands: tuple[Node, ...]

    def holds(self, context: EvaluationContext) -> bool:
        return any(operand.holds(context) for operand in self.operands)


Node = Const | Flag | ModuleIncluded | Answered | Compare | OneOf | Contains | Not | AllOf | AnyOf


def _walk(node: Node | Operand) -> Iterator[Node | Operand]:
    yield node
    if isinstance(node, Compare):
        yield from _walk(node.left)
        yield from _walk(node.right)
    elif isinstance(node, (OneOf, Not)):
        yield from _walk(node.operand)
    elif isinstance(node, (AllOf, AnyOf)):
        for operand in node.operands:
            yield from _walk(operand)


def _rename(node: Node, rename: Callable[[str], str]) -> Node:
    def operand(o: Operand) -> Operand:
        return Ref(rename(o.question)) if isinstance(o, Ref) else o

    if isinstance(node, Compare):
        return Compare(operand(node.left), node.op, operand(node.right))
    if isinstance(node, OneOf):
        return OneOf(operand(node.operand), node.options, node.negated)
    if isinstance(node, Contains):
        return Contains(rename(node.question), node.option)
    if isinstance(node, Answered):
        return Answered(rename(node.question))
    if isinstance(node, Not):
        return Not(_rename(node.operand, rename))
    if isinstance(node, AllOf):
        return AllOf(tuple(_rename(o, rename) for o in node.operands))
    if isinstance(node, AnyOf):
        return AnyOf(tuple(_rename(o, rename) for o in node.operands))
    return node


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition with what it refers to, for validation.

    ``refs`` are the question ids it names directly (not through definitions: see
    :func:`expanded_refs`), ``flags`` the bare NAMEs (boolean facts or definitions), ``fact_names``
    the NAME operands of comparisons, ``modules`` the module keys of ``module("...")``.
    """

    source: str
    root: Node
    refs: frozenset[str]
    flags: frozenset[str]
    fact_names: frozenset[str]
    modules: frozenset[str]

    @classmethod
    def from_root(cls, source: str, root: Node) -> Condition:
        refs: set[str] = set()
        flags: set[str] = set()
        fact_names: set[str] = set()
        modules: set[str] = set()
        for node in _walk(root):
            if isinstance(node, (Ref, Answered, Contains)):
                refs.add(node.question)
            elif isinstance(node, Flag):
                flags.add(node.name)
            elif isinstance(node, FactName):
                fact_names.add(node.name)
            elif isinstance(node, ModuleIncluded):
                modules.add(node.key)
        return cls(
            source,
            root,
            frozenset(refs),
            frozenset(flags),
            frozenset(fact_names),
            frozenset(modules),
        )

    def evaluate(self, context: EvaluationContext) -> bool:
        return self.root.holds(context)

    def with_refs_renamed(self, rename: Callable[[str], str]) -> Condition:
        """The same condition with each question id passed through ``rename`` (source unchanged)."""
        return Condition.from_root(self.source, _rename(self.root, rename))

    def __str__(self) -> str:
        return self.source


# --------------------------------------------------------------------------------------------------
# Tokenizer


TokenKind = Literal["name", "string", "ref", "stray", "(", ")", ",", "==", "!=", "end"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: TokenKind
    text: str  # the value: a name, a string's content, a ref's question id; else the symbol
    column: int  # 1-based

    def describe(self) -> str:
        if self.kind == "end":
            return "the end of the condition"
        if self.kind == "string":
            return f'the string "{self.text}"'
        if self.kind == "ref":
            return f"[{self.text}]"
        return f"'{self.text}'"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRAY = re.compile(r"[A-Za-z0-9_.]+")
_QUESTION_ID = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    n = len(source)
    while i < n:
        char = source[i]
        column = i + 1
        if char.isspace():
            i += 1
        elif char in "(),":
            tokens.append(_Token(char, char, column))  # type: ignore[arg-type]
            i += 1
        elif source.startswith("==", i) or source.startswith("!=", i):
            tokens.append(_Token(source[i : i + 2], source[i : i + 2], column))  # type: ignore[arg-type]
            i += 2
        elif char == "=":
            raise ConditionSyntaxError(column, "expected '==' (a single '=' is not an operator)")
        elif char == '"':
            end = source.find('"', i + 1)
            if end == -1:
                raise ConditionSyntaxError(column, "expected a closing '\"' for the string opened here")
            tokens.append(_Token("string", source[i + 1 : end], column))
            i = end + 1
        elif char == "[":
            end = source.find("]", i + 1)
            if end == -1:
                raise ConditionSyntaxError(column, "expected ']' to close the question reference opened here")
            question = source[i + 1 : end].strip()
            if not question:
                raise ConditionSyntaxError(column + 1, "expected a question id after '['", "']'")
            if not _QUESTION_ID.fullmatch(question):
                raise ConditionSyntaxError(
                    column + 1,
                    "expected a question id (letters, digits and dots) after '['",
                    f"'{question}'",
                )
            tokens.append(_Token("ref", question, column))
            i = end + 1
        else:
            match = _NAME.match(source, i)
            if match is not None:
                tokens.append(_Token("name", match.group(), column))
                i = match.end()
            else:
                # Not a token of the language: the parser reports it where it knows what it wanted.
                match = _STRAY.match(source, i)
                text = match.group() if match else char
                tokens.append(_Token("stray", text, column))
                i += len(text)
    tokens.append(_Token("end", "", n + 1))
    return tokens


# --------------------------------------------------------------------------------------------------
# Parser


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.position = 0

    # -- helpers

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.position + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.tokens[self.position]
        if token.kind != "end":
            self.position += 1
        return token

    def is_keyword(self, token: _Token, word: str) -> bool:
        return token.kind == "name" and token.text == word

    def expect(self, kind: TokenKind, expected: str) -> _Token:
        token = self.peek()
        if token.kind != kind:
            raise ConditionSyntaxError(token.column, expected, token.describe())
        return self.advance()

    # -- grammar

    def condition(self) -> Node:
        if self.peek().kind == "end":
            raise ConditionSyntaxError(self.peek().column, "expected a condition", "nothing")
        node = self.or_expr()
        token = self.peek()
        if token.kind != "end":
            raise ConditionSyntaxError(
                token.column, "expected 'and', 'or' or the end of the condition", token.describe()
            )
        return node

    def or_expr(self) -> Node:
        operands = [self.and_expr()]
        while self.is_keyword(self.peek(), "or"):
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else AnyOf(tuple(operands))

    def and_expr(self) -> Node:
        operands = [self.not_expr()]
        while self.is_keyword(self.peek(), "and"):
            self.advance()
            operands.append(self.not_expr())
        return operands[0] if len(operands) == 1 else AllOf(tuple(operands))

    def not_expr(self) -> Node:
        if self.is_keyword(self.peek(), "not"):
            self.advance()
            return Not(self.not_expr())
        return self.atom()

    def atom(self) -> Node:
        token = self.peek()
        if token.kind == "(":
            self.advance()
            node = self.or_expr()
            self.expect(")", f"expected ')' to close the '(' at column {token.column}")
            return node
        if token.kind == "ref":
            self.advance()
            return self.after_operand(Ref(token.text), token)
        if token.kind == "string":
            self.advance()
            return self.after_operand(Text(token.text), token)
        if token.kind == "name":
            word = token.text
            if word in ("true", "false"):
                self.advance()
                return Const(word == "true")
            if word == "module":
                self.advance()
                self.expect("(", "expected '(' after 'module'")
                key = self.expect("string", "expected a module key string after 'module('")
                self.expect(")", "expected ')' after the module key")
                return ModuleIncluded(key.text)
            if word == "answered":
                self.advance()
                self.expect("(", "expected '(' after 'answered'")
                ref = self.expect("ref", "expected a question reference like [9a] after 'answered('")
                self.expect(")", "expected ')' after the question reference")
                return Answered(ref.text)
            if word in KEYWORDS:
                raise ConditionSyntaxError(token.column, "expected a condition", token.describe())
            self.advance()
            follower = self.peek()
            if follower.kind in ("==", "!=") or self.is_keyword(follower, "in") or self.is_keyword(follower, "not"):
                return self.after_operand(FactName(word), token)
            return Flag(word)
        raise ConditionSyntaxError(token.column, "expected a condition", token.describe())

    def after_operand(self, left: Operand, left_token: _Token) -> Node:
        token = self.peek()
        shown = left_token.describe()
        if token.kind in ("==", "!="):
            self.advance()
            right = self.operand(f"after '{token.text}'")
            return Compare(left, token.kind, right)  # type: ignore[arg-type]
        negated = False
        if self.is_keyword(token, "not"):
            self.advance()
            negated = True
            token = self.peek()
            if not self.is_keyword(token, "in"):
                raise ConditionSyntaxError(token.column, "expected 'in' after 'not'", token.describe())
        if self.is_keyword(token, "in"):
            self.advance()
            return OneOf(left, self.string_list(), negated)
        if self.is_keyword(token, "contains"):
            if not isinstance(left, Ref):
                raise ConditionSyntaxError(
                    token.column,
                    "expected '==', '!=' or 'in' ('contains' needs a question reference on its left)",
                    token.describe(),
                )
            self.advance()
            option = self.expect("string", "expected a string after 'contains'")
            return Contains(left.question, option.text)
        allowed = "'==', '!=', 'in', 'not in' or 'contains'" if isinstance(left, Ref) else "'==', '!=' or 'in'"
        raise ConditionSyntaxError(token.column, f"expected {allowed} after {shown}", token.describe())

    def operand(self, where: str) -> Operand:
        token = self.peek()
        if token.kind == "ref":
            self.advance()
            return Ref(token.text)
        if token.kind == "string":
            self.advance()
            return Text(token.text)
        if token.kind == "name" and token.text not in KEYWORDS:
            self.advance()
            return FactName(token.text)
        raise ConditionSyntaxError(
            token.column, f"expected a question reference, a name or a string {where}", token.describe()
        )

    def string_list(self) -> tuple[str, ...]:
        self.expect("(", "expected '(' after 'in'")
        options = [self.expect("string", "expected a string after 'in ('").text]
        while self.peek().kind == ",":
            self.advance()
            options.append(self.expect("string", "expected a string after ','").text)
        self.expect(")", "expected ',' or ')' after a string in the 'in (...)' list")
        return tuple(options)


def parse(source: str) -> Condition:
    """Parse ``source`` into a :class:`Condition`, or raise :class:`ConditionSyntaxError`."""
    if not isinstance(source, str):
        raise ConditionSyntaxError(1, "expected a condition written as text", type(source).__name__)
    return Condition.from_root(source, _Parser(source).condition())


# --------------------------------------------------------------------------------------------------
# Named definitions


def definition_cycles(definitions: Mapping[str, Condition]) -> list[tuple[str, ...]]:
    """Each loop of definitions that refer to each other, as a tuple of names (each loop once)."""
    cycles: list[tuple[str, ...]] = []
    seen_cycles: set[frozenset[str]] = set()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = tuple(path[path.index(name) :])
            if frozenset(cycle) not in seen_cycles:
                seen_cycles.add(frozenset(cycle))
                cycles.append(cycle)
            return
        if name in done or name not in definitions:
            return
        path.append(name)
        for flag in sorted(definitions[name].flags):
            visit(flag, path)
        path.pop()
        done.add(name)

    for name in definitions:
        visit(name, [])
    return cycles


def compile_definitions(sources: Mapping[str, str]) -> dict[str, Condition]:
    """Parse named definitions; raise on a syntax error (naming the definition) or a loop."""
    compiled: dict[str, Condition] = {}
    for name, source in sources.items():
        try:
            compiled[name] = parse(source)
        except ConditionSyntaxError as error:
            raise ConditionError(f"definition '{name}': {error}") from error
    cycles = definition_cycles(compiled)
    if cycles:
        raise DefinitionCycleError(cycles)
    return compiled


def expanded_refs(condition: Condition, definitions: Mapping[str, Condition]) -> frozenset[str]:
    """Question ids a condition depends on, directly or through (possibly nested) definitions."""
    refs = set(condition.refs)
    pending = list(condition.flags)
    visited: set[str] = set()
    while pending:
        name = pending.pop()
        if name in visited or name not in definitions:
            continue
        visited.add(name)
        refs |= definitions[name].refs
        pending.extend(definitions[name].flags)
    return frozenset(refs)
