"""Load and validate a version of the question bank (``casework/bank/<version>/``).

The file format is described in ``casework/bank/SCHEMA.md``. Loading reads ``meta.yaml`` and every
``view<N>.yaml`` of a version folder, collects *every* problem (with the file and question id) rather
than stopping at the first, and builds frozen dataclasses. A loaded bank is cached per folder: the
folders are never edited once assessments use them.

Conditions are parsed once here. Question references inside them (and ``explains`` /
``other_narrative``) are resolved with the same leniency as :meth:`Bank.resolve_id` and stored under
the bank's canonical ids, so routing never has to normalise an id.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml

from casework.domain import conditions as c

__all__ = [
    "COUNTRIES",
    "DEFAULT_BANK_DIR",
    "INPUTS",
    "INSUFFICIENT",
    "JUDGEMENT_OPTIONS",
    "KINDS",
    "NOT_APPLICABLE",
    "OTHER",
    "PROGRAMMES",
    "SUFFICIENT",
    "Bank",
    "BankInvalid",
    "BankNotFound",
    "BankProblem",
    "Module",
    "Question",
    "Theme",
    "VersionEntry",
    "View",
    "available_versions",
    "lenient_key",
    "load_bank",
    "validate",
    "validate_folder",
]

DEFAULT_BANK_DIR: Path = Path(__file__).resolve().parent.parent / "bank"

Kind = Literal["information", "judgement", "explanation", "narrative"]
KINDS: tuple[str, ...] = ("information", "judgement", "explanation", "narrative")
INPUTS: tuple[str, ...] = ("choice", "text", "number")
PROGRAMMES: tuple[str, ...] = ("sqs", "fji")
COUNTRIES: tuple[str, ...] = ("England", "Wales")
SUFFICIENT = "Sufficient"
INSUFFICIENT = "Insufficient"
JUDGEMENT_OPTIONS: tuple[str, ...] = (SUFFICIENT, INSUFFICIENT)
NOT_APPLICABLE = "N/A"
OTHER = "Other"

_QUESTION_KEYS = frozenset(
    {
        "id", "kind", "criterion", "theme", "text", "options", "multiple", "input", "na_allowed",
        "scored", "programmes", "sqs_reason", "modules", "when", "explains", "other_narrative",
        "quality_indicators", "guidance", "notes", "counts_as", "reasons_in", "per_answer_of", "printed", "cy",
    }
)  # fmt: skip
# The Welsh of a question (merged in by the translator): the same four user-visible fields as the English.
WELSH_KEYS: tuple[str, ...] = ("text", "options", "quality_indicators", "guidance")
VERDICTS: tuple[str, ...] = ("Sufficient", "Insufficient", "N/A")
_META_KEYS = frozenset({"version", "title", "source", "history", "themes", "views", "modules", "definitions", "notes"})
_VIEW_FILE = re.compile(r"view(\d+)\.yaml")
_ID = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --------------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class VersionEntry:
    """One row of the guide's change-control table."""

    date: str
    question: str
    details: str


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    criteria: tuple[str, ...]  # first numbers of the criterion cross-references that feed it


@dataclass(frozen=True)
class View:
    id: int
    title: str


@dataclass(frozen=True)
class Module:
    key: str
    label: str


@dataclass(frozen=True)
class Question:
    """One question of the bank. ``position`` is its index in the bank's order (0-based)."""

    id: str
    view: int
    kind: Kind
    text: str
    criterion: str | None = None
    theme: str | None = None
    options: tuple[str, ...] = ()
    multiple: bool = False
    input: str = "choice"
    na_allowed: bool = False
    scored: bool = False
    programmes: frozenset[str] = frozenset(PROGRAMMES)
    sqs_reason: str = ""
    modules: frozenset[str] = frozenset()
    when: str | None = None
    condition: c.Condition | None = field(default=None, compare=False, repr=False)
    explains: tuple[str, ...] = ()  # explanations only: the judgements explained, in the bank's order
    other_narrative: str | None = None
    quality_indicators: str = ""
    guidance: str = ""
    notes: str = ""
    # Judgements whose answers are worded (4.18.1's "Yes (fully)"): what each option counts as,
    # (option, Sufficient | Insufficient | N/A) pairs in option order; () for the plain options.
    counts_as: tuple[tuple[str, str], ...] = ()
    reasons_in: str | None = None  # a later narrative that is required once this question is answered
    per_answer_of: str | None = None  # asked once per option chosen at this earlier multiple choice
    printed: tuple[str, ...] = ()  # other ids the guide prints it under ("2.17.a" for 2.17.1)
    # The Welsh (text, options, quality_indicators, guidance); empty when the bank has none yet.
    cy: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), compare=False, repr=False)
    position: int = 0
    file: str = ""

    def __post_init__(self) -> None:
        # A single id (the older form of ``explains``) is accepted and kept as a one-id tuple.
        if isinstance(self.explains, str):
            object.__setattr__(self, "explains", (self.explains,))
        elif not isinstance(self.explains, tuple):
            object.__setattr__(self, "explains", tuple(self.explains or ()))

    @property
    def is_scored_judgement(self) -> bool:
        return self.kind == "judgement" and self.scored

    @property
    def is_per_answer(self) -> bool:
        return self.per_answer_of is not None

    def verdict(self, answer: object) -> str | None:
        """What one answer of a judgement counts as: Sufficient, Insufficient, N/A, or None.

        The plain options are their own verdicts; worded options (``counts_as``) map to theirs.
        A tuple of one option (a list as stored) is read as that option.
        """
        if self.kind != "judgement":
            return None
        if isinstance(answer, (tuple, list)):
            answer = answer[0] if len(answer) == 1 else None
        if not isinstance(answer, str):
            return None
        if self.counts_as:
            return dict(self.counts_as).get(answer)
        return answer if answer in VERDICTS and answer in self.options else None


@dataclass(frozen=True)
class BankProblem:
    """A problem in the bank files; ``question_id`` is None for problems outside a question."""

    file: str
    question_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.question_id is None else f"{self.file}, question {self.question_id}"
        return f"{where}: {self.message}"


class BankNotFound(LookupError):
    """No such bank version folder (or no version folder at all)."""


class BankInvalid(ValueError):
    """The bank folder has problems; ``problems`` lists every one of them."""

    def __init__(self, path: Path, problems: list[BankProblem]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"the question bank in {path} has {len(problems)} problem(s):\n{listed}")


def lenient_key(raw: str) -> str:
    """The form ids are matched by when not matched exactly: case folded, no spaces, no trailing
    dot, no dot before a letter, as the guide prints them.

    "12.a" and "12a" share a key; so do "7.A", "7. a" and "7a", and "9a." and "9a"; "1.1.2" keeps its dots.
    """
    key = re.sub(r"\s+", "", raw.strip().lower()).rstrip(".")
    return re.sub(r"\.(?=[a-z])", "", key)


@dataclass(frozen=True, eq=False)
class Bank:
    """A validated version of the question bank. Compare banks by ``version`` and ``path``."""

    version: str
    title: str
    source: str
    path: Path
    history: tuple[VersionEntry, ...]
    themes: tuple[Theme, ...]
    views: tuple[View, ...]
    modules: tuple[Module, ...]
    definitions: Mapping[str, c.Condition]
    questions: tuple[Question, ...]
    _by_id: Mapping[str, Question] = field(repr=False)
    _by_lenient_key: Mapping[str, tuple[str, ...]] = field(repr=False)
    _explanations: Mapping[str, tuple[Question, ...]] = field(repr=False)

    @classmethod
    def build(
        cls,
        *,
        version: str,
        title: str,
        source: str,
        path: Path,
        history: Iterable[VersionEntry],
        themes: Iterable[Theme],
        views: Iterable[View],
        modules: Iterable[Module],
        definitions: Mapping[str, c.Condition],
        questions: Iterable[Question],
    ) -> Bank:
        questions = tuple(questions)
        by_lenient: dict[str, list[str]] = {}
        explanations: dict[str, list[Question]] = {}
        for question in questions:
            by_lenient.setdefault(lenient_key(question.id), []).append(question.id)
            for printed in question.printed:
                ids = by_lenient.setdefault(lenient_key(printed), [])
                if question.id not in ids:
                    ids.append(question.id)
            if question.kind == "explanation":
                for judgement_id in question.explains:
                    explanations.setdefault(judgement_id, []).append(question)
        return cls(
            version=version,
            title=title,
            source=source,
            path=path,
            history=tuple(history),
            themes=tuple(themes),
            views=tuple(views),
            modules=tuple(modules),
            definitions=MappingProxyType(dict(definitions)),
            questions=questions,
            _by_id=MappingProxyType({q.id: q for q in questions}),
            _by_lenient_key=MappingProxyType({k: tuple(v) for k, v in by_lenient.items()}),
            _explanations=MappingProxyType({k: tuple(v) for k, v in explanations.items()}),
        )

    def resolve_id(self, raw: str) -> str | None:
        """The canonical id ``raw`` names: exactly, else by :func:`lenient_key` if unambiguous."""
        if raw in self._by_id:
            return raw
        matches = self._by_lenient_key.get(lenient_key(raw), ())
        return matches[0] if len(matches) == 1 else None

    def question(self, raw: str) -> Question:
        """The question ``raw`` names (leniently, see :meth:`resolve_id`); KeyError if none."""
        resolved = self.resolve_id(raw)
        if resolved is None:
            raise KeyError(f"no question {raw!r} in bank {self.version}")
        return self._by_id[resolved]

    def __contains__(self, raw: object) -> bool:
        return isinstance(raw, str) and self.resolve_id(raw) is not None

    def questions_in_view(self, view: int) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.view == view)

    def explanations_of(self, judgement_id: str) -> tuple[Question, ...]:
        """The explanation questions whose ``explains`` lists this judgement (usually one)."""
        return self._explanations.get(judgement_id, ())

    def theme(self, key: str) -> Theme:
        for theme in self.themes:
            if theme.key == key:
                return theme
        raise KeyError(key)

    def view(self, view_id: int) -> View:
        for view in self.views:
            if view.id == view_id:
                return view
        raise KeyError(view_id)

    @property
    def module_keys(self) -> frozenset[str]:
        return frozenset(module.key for module in self.modules)


# --------------------------------------------------------------------------------------------------
# Finding versions


def _bank_dir(bank_dir: Path | str | None) -> Path:
    return Path(bank_dir) if bank_dir is not None else DEFAULT_BANK_DIR


def available_versions(bank_dir: Path | str | None = None) -> tuple[str, ...]:
    """Version folders (those holding a ``meta.yaml``), oldest first ("2015-01" sorts as text)."""
    root = _bank_dir(bank_dir)
    if not root.is_dir():
        return ()
    return tuple(
        sorted(
            child.name
            for child in root.iterdir()
            if child.is_dir() and not child.name.startswith((".", "_")) and (child / "meta.yaml").is_file()
        )
    )


def _version_folder(version: str | None, bank_dir: Path | str | None) -> Path:
    root = _bank_dir(bank_dir)
    versions = available_versions(root)
    if version is None:
        if not versions:
            raise BankNotFound(f"no question bank version folder with a meta.yaml in {root}")
        version = versions[-1]
    if version not in versions:
        raise BankNotFound(
            f"no question bank version {version!r} in {root}; available: {', '.join(versions) or 'none'}"
        )
    return root / version


def load_bank(version: str | None = None, *, bank_dir: Path | str | None = None) -> Bank:
    """The bank of ``version`` (default: the newest), validated and cached.

    Raises :class:`BankNotFound` for a missing version and :class:`BankInvalid` (listing every
    problem) for a folder that does not validate.
    """
    return _load_folder(str(_version_folder(version, bank_dir).resolve()))


@functools.cache
def _load_folder(folder: str) -> Bank:
    bank, problems = _read_folder(Path(folder))
    if problems or bank is None:
        raise BankInvalid(Path(folder), problems)
    return bank


def validate(version: str | None = None, *, bank_dir: Path | str | None = None) -> list[BankProblem]:
    """Every problem in a version folder (default: the newest); empty when the bank is sound."""
    return validate_folder(_version_folder(version, bank_dir))


def validate_folder(folder: Path | str) -> list[BankProblem]:
    """Every problem in the version folder at ``folder`` (not cached)."""
    return _read_folder(Path(folder))[1]


# --------------------------------------------------------------------------------------------------
# Reading and validating


class _Problems:
    def __init__(self) -> None:
        self.items: list[BankProblem] = []

    def add(self, file: str, question_id: str | None, message: str) -> None:
        self.items.append(BankProblem(file, question_id, message))


def _yaml(path: Path, problems: _Problems) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.add(path.name, None, f"is not valid YAML{where}: {reason}")
    except OSError as error:
        problems.add(path.name, None, f"cannot be read: {error}")
    return None


def _describe(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


class _Fields:
    """Typed access to one YAML mapping, recording a problem for each wrong value."""

    def __init__(self, data: Mapping[str, Any], problems: _Problems, file: str, qid: str | None) -> None:
        self.data = data
        self.problems = problems
        self.file = file
        self.qid = qid

    def problem(self, message: str) -> None:
        self.problems.add(self.file, self.qid, message)

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(f"'{key}' is missing")
            return default
        if not isinstance(value, str):
            self.problem(f"'{key}' must be text (quote it in YAML), not {_describe(value)}")
            return str(value)
        if required and not value.strip():
            self.problem(f"'{key}' is empty")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(f"'{key}' must be text (quote it in YAML), not {_describe(value)}")
            return str(value)
        return value.strip() or None

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(f"'{key}' must be true or false, not {_describe(value)}")
            return default
        return value

    def text_list(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(f"'{key}' is missing")
            return ()
        if not isinstance(value, list):
            self.problem(f"'{key}' must be a list, not {_describe(value)}")
            return ()
        items: list[str] = []
        for item in value:
            if not isinstance(item, str):
                self.problem(f"'{key}' must hold text only (quote it in YAML), not {_describe(item)}")
                item = str(item)
            if item in items:
                self.problem(f"'{key}' lists {item!r} twice")
                continue
            items.append(item)
        return tuple(items)

    def id_list(self, key: str) -> tuple[str, ...]:
        """One question id (text) or a list of them, as a tuple; () when absent."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, list):
            if not value:
                self.problem(f"'{key}' is an empty list: name at least one question")
            return tuple(item.strip() for item in self.text_list(key) if item.strip())
        single = self.optional_text(key)
        return (single,) if single is not None else ()


def _read_meta(folder: Path, problems: _Problems) -> dict[str, Any]:
    """Meta as plain values (with problems recorded), or {} when meta.yaml is missing."""
    path = folder / "meta.yaml"
    if not path.is_file():
        problems.add("meta.yaml", None, "is missing")
        return {}
    data = _yaml(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.add("meta.yaml", None, f"must be a mapping, not {_describe(data)}")
        return {}
    fields = _Fields(data, problems, "meta.yaml", None)
    for key in data:
        if key not in _META_KEYS:
            fields.problem(f"unknown field '{key}'")
    meta: dict[str, Any] = {
        "version": fields.text("version", required=True),
        "title": fields.text("title", required=True),
        "source": fields.text("source"),
    }
    if meta["version"] and meta["version"] != folder.name:
        fields.problem(f"version {meta['version']!r} does not match its folder name {folder.name!r}")

    def rows(key: str) -> list[dict[str, Any]]:
        value = data.get(key)
        if value is None:
            fields.problem(f"'{key}' is missing")
            return []
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            fields.problem(f"'{key}' must be a list of mappings")
            return []
        return value

    history = []
    for row in rows("history"):
        row_fields = _Fields(row, problems, "meta.yaml", None)
        history.append(
            VersionEntry(
                date=row_fields.text("date", required=True),
                question=row_fields.text("question"),
                details=row_fields.text("details"),
            )
        )
    meta["history"] = history

    themes: list[Theme] = []
    for row in rows("themes"):
        row_fields = _Fields(row, problems, "meta.yaml", None)
        theme = Theme(
            key=row_fields.text("key", required=True),
            label=row_fields.text("label", required=True),
            criteria=row_fields.text_list("criteria"),
        )
        if any(t.key == theme.key for t in themes):
            fields.problem(f"theme {theme.key!r} is listed twice")
        themes.append(theme)
    criteria_seen: dict[str, str] = {}
    for theme in themes:
        for number in theme.criteria:
            if number in criteria_seen:
                fields.problem(f"criterion {number!r} feeds both {criteria_seen[number]!r} and {theme.key!r}")
            criteria_seen[number] = theme.key
    meta["themes"] = themes

    views: list[View] = []
    for row in rows("views"):
        view_id = row.get("id")
        if not isinstance(view_id, int) or isinstance(view_id, bool):
            fields.problem(f"view id must be a whole number, not {_describe(view_id)}")
            continue
        if any(v.id == view_id for v in views):
            fields.problem(f"view {view_id} is listed twice")
        views.append(View(view_id, _Fields(row, problems, "meta.yaml", None).text("title", required=True)))
    meta["views"] = views

    modules: list[Module] = []
    for row in rows("modules"):
        row_fields = _Fields(row, problems, "meta.yaml", None)
        module = Module(row_fields.text("key", required=True), row_fields.text("label", required=True))
        if any(m.key == module.key for m in modules):
            fields.problem(f"module {module.key!r} is listed twice")
        modules.append(module)
    meta["modules"] = modules

    raw_definitions = data.get("definitions") or {}
    definitions: dict[str, c.Condition] = {}
    if not isinstance(raw_definitions, dict):
        fields.problem("'definitions' must be a mapping of name to condition")
        raw_definitions = {}
    for name, source in raw_definitions.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name) or name in c.KEYWORDS:
            fields.problem(f"definition name {name!r} must be a plain name that is not a keyword")
            continue
        if name in c.BOOLEAN_FACTS or name in c.STRING_FACTS:
            fields.problem(f"definition {name!r} has the name of a fact")
            continue
        if not isinstance(source, str):
            fields.problem(f"definition {name!r} must be a condition written as text")
            continue
        try:
            definitions[name] = c.parse(source)
        except c.ConditionSyntaxError as error:
            fields.problem(f"definition {name!r} does not parse: {error}")
    for cycle in c.definition_cycles(definitions):
        fields.problem("definitions refer to each other in a loop: " + " -> ".join((*cycle, cycle[0])))
        for name in cycle:
            definitions.pop(name, None)
    meta["definitions"] = definitions
    return meta


def _read_questions(folder: Path, meta: Mapping[str, Any], problems: _Problems) -> list[tuple[Question, _Fields]]:
    files = sorted(
        (int(match.group(1)), path)
        for path in folder.iterdir()
        if (match := _VIEW_FILE.fullmatch(path.name)) is not None
    )
    if not files:
        problems.add(folder.name, None, "has no view<N>.yaml files")
    view_ids = {view.id for view in meta.get("views", [])}
    read: list[tuple[Question, _Fields]] = []
    for number, path in files:
        data = _yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.add(path.name, None, f"must be a mapping, not {_describe(data)}")
            continue
        if data.get("view") != number:
            problems.add(path.name, None, f"'view' is {data.get('view')!r} but the file is view {number}")
        if view_ids and number not in view_ids:
            problems.add(path.name, None, f"view {number} is not among meta.yaml's views")
        questions = data.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.add(path.name, None, "'questions' must be a non-empty list")
            continue
        for index, raw in enumerate(questions, start=1):
            if not isinstance(raw, dict):
                problems.add(path.name, None, f"question number {index} in the file is not a mapping")
                continue
            question, fields = _read_question(raw, number, path.name, index, problems)
            read.append((question, fields))
    return read


def _read_question(
    raw: Mapping[str, Any], view: int, file: str, index: int, problems: _Problems
) -> tuple[Question, _Fields]:
    raw_id = raw.get("id")
    if isinstance(raw_id, str) and raw_id.strip():
        qid = raw_id.strip()
    else:
        qid = f"#{index}" if raw_id is None else str(raw_id)
    fields = _Fields(raw, problems, file, qid)
    if raw_id is None:
        fields.problem(f"question number {index} in the file has no 'id'")
    elif not isinstance(raw_id, str):
        fields.problem(f"'id' must be quoted in YAML so it is kept as printed, not {_describe(raw_id)}")
    elif not _ID.fullmatch(qid):
        fields.problem("'id' must be letters and digits separated by single dots (no spaces, no trailing dot)")
    for key in raw:
        if key not in _QUESTION_KEYS:
            fields.problem(f"unknown field '{key}'")

    kind = fields.text("kind", required=True)
    if kind and kind not in KINDS:
        fields.problem(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    options = fields.text_list("options")
    default_input = "choice" if options or kind in ("judgement", "explanation") else "text"
    question = Question(
        id=qid,
        view=view,
        kind=kind,  # type: ignore[arg-type]  # checked just above
        text=fields.text("text", required=True),
        criterion=fields.optional_text("criterion"),
        theme=fields.optional_text("theme"),
        options=options,
        multiple=fields.boolean("multiple", False),
        input=fields.text("input", default=default_input),
        na_allowed=fields.boolean("na_allowed", False),
        scored=fields.boolean("scored", kind == "judgement"),
        programmes=frozenset(fields.text_list("programmes", required=True)),
        sqs_reason=fields.text("sqs_reason"),
        modules=frozenset(fields.text_list("modules")),
        when=fields.optional_text("when"),
        explains=fields.id_list("explains"),
        other_narrative=fields.optional_text("other_narrative"),
        quality_indicators=fields.text("quality_indicators"),
        guidance=fields.text("guidance"),
        notes=fields.text("notes"),
        counts_as=_counts_as(fields),
        reasons_in=fields.optional_text("reasons_in"),
        per_answer_of=fields.optional_text("per_answer_of"),
        printed=fields.text_list("printed"),
        cy=_welsh(fields, options),
        file=file,
    )
    return question, fields


def _counts_as(fields: _Fields) -> tuple[tuple[str, str], ...]:
    value = fields.data.get("counts_as")
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        fields.problem("'counts_as' must map each option (text) to Sufficient, Insufficient or N/A")
        return ()
    return tuple(value.items())


def _welsh(fields: _Fields, options: tuple[str, ...]) -> Mapping[str, Any]:
    """The optional ``cy`` mapping: the Welsh of text, options, quality_indicators and guidance."""
    value = fields.data.get("cy")
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, dict):
        fields.problem(f"'cy' must be a mapping of {', '.join(WELSH_KEYS)}, not {_describe(value)}")
        return MappingProxyType({})
    welsh = _Fields(value, fields.problems, fields.file, fields.qid)
    for key in value:
        if key not in WELSH_KEYS:
            fields.problem(f"unknown field 'cy.{key}' (the Welsh has {', '.join(WELSH_KEYS)})")
    result: dict[str, Any] = {}
    for key in ("text", "quality_indicators", "guidance"):
        if key in value:
            result[key] = welsh.text(key)
    if "options" in value:
        cy_options = welsh.text_list("options")
        if len(cy_options) != len(options):
            fields.problem(
                f"'cy.options' has {len(cy_options)} option(s) but 'options' has {len(options)}:"
                " give the Welsh of each English option, in the same order"
            )
        result["options"] = cy_options
    return MappingProxyType(result)


def _check_answers(question: Question, fields: _Fields) -> None:
    """Kind, input, options, N/A and scoring rules that need only the question itself."""
    kind, options = question.kind, question.options
    if question.input not in INPUTS:
        fields.problem(f"input {question.input!r} is not one of {', '.join(INPUTS)}")
    elif question.input == "choice" and not options:
        fields.problem("a choice question needs 'options'")
    elif question.input != "choice" and options:
        fields.problem(f"an input: {question.input} question must not have 'options'")
    if question.na_allowed and kind != "judgement":
        fields.problem("'na_allowed' is for judgements only")
    if question.scored and kind != "judgement":
        fields.problem("'scored' is for judgements only")
    if question.counts_as and kind != "judgement":
        fields.problem("'counts_as' is for judgements only")
    if kind == "judgement" and question.counts_as:
        mapped = tuple(option for option, _verdict in question.counts_as)
        if mapped != options:
            fields.problem(f"'counts_as' must list every option, in order: {', '.join(options)}")
        for option, verdict in question.counts_as:
            if verdict not in VERDICTS:
                fields.problem(f"'counts_as' gives {option!r} {verdict!r}: use Sufficient, Insufficient or N/A")
        verdicts = {verdict for _option, verdict in question.counts_as}
        for needed in JUDGEMENT_OPTIONS:
            if needed not in verdicts:
                fields.problem(f"'counts_as' must give at least one option that counts as {needed}")
        if (NOT_APPLICABLE in verdicts) != question.na_allowed:
            fields.problem("an option counts as N/A exactly when na_allowed is true")
        if question.multiple:
            fields.problem("a judgement takes one answer: 'multiple' must be false")
    elif kind == "judgement":
        expected = JUDGEMENT_OPTIONS + ((NOT_APPLICABLE,) if question.na_allowed else ())
        if options != expected:
            fields.problem(
                f"a judgement's options must be exactly [{', '.join(expected)}]"
                f" (na_allowed is {str(question.na_allowed).lower()}), not [{', '.join(options)}]"
            )
        if question.multiple:
            fields.problem("a judgement takes one answer: 'multiple' must be false")
    elif kind == "explanation":
        if not options or options[-1] != OTHER:
            fields.problem(f"an explanation's options must end with {OTHER!r}")
        if not question.multiple:
            fields.problem("an explanation takes several reasons: 'multiple' must be true")
        if not question.explains and fields.data.get("explains") != []:  # [] is reported by id_list
            fields.problem("an explanation must name the judgement it 'explains'")
        if question.other_narrative is None:
            fields.problem("an explanation must name its 'other_narrative'")
    elif kind == "narrative" and question.input != "text":
        fields.problem("a narrative is free text: 'input' must be text")
    if kind != "explanation":
        if question.explains or fields.data.get("explains") is not None:
            fields.problem("only an explanation may have 'explains'")
        if question.other_narrative is not None:
            fields.problem("only an explanation may have 'other_narrative'")
    if question.multiple and question.input != "choice":
        fields.problem("'multiple' needs input: choice")


def _literals_against(condition: c.Condition, bank_questions: Mapping[str, Question]) -> Iterable[tuple[str, str]]:
    """(question id, literal) pairs where a condition compares a question's answer with a string."""
    for node in _nodes(condition.root):
        if isinstance(node, c.Compare):
            pairs = ((node.left, node.right), (node.right, node.left))
            for ref, other in pairs:
                if isinstance(ref, c.Ref) and isinstance(other, c.Text):
                    yield ref.question, other.text
        elif isinstance(node, c.OneOf) and isinstance(node.operand, c.Ref):
            for option in node.options:
                yield node.operand.question, option
        elif isinstance(node, c.Contains):
            yield node.question, node.option


def _fact_literals(condition: c.Condition) -> Iterable[tuple[str, str]]:
    """(fact name, literal) pairs where a condition compares a string fact with a string."""
    for node in _nodes(condition.root):
        if isinstance(node, c.Compare):
            for fact, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(fact, c.FactName) and isinstance(other, c.Text):
                    yield fact.name, other.text
        elif isinstance(node, c.OneOf) and isinstance(node.operand, c.FactName):
            for option in node.options:
                yield node.operand.name, option


def _nodes(node: c.Node) -> Iterable[c.Node]:
    yield node
    if isinstance(node, c.Not):
        yield from _nodes(node.operand)
    elif isinstance(node, (c.AllOf, c.AnyOf)):
        for operand in node.operands:
            yield from _nodes(operand)


_FACT_VALUES: Mapping[str, tuple[str, ...]] = {"programme": PROGRAMMES, "country": COUNTRIES}


def _check_condition_names(
    condition: c.Condition,
    report: Callable[[str], None],
    *,
    definitions: Mapping[str, c.Condition],
    module_keys: frozenset[str],
) -> None:
    for flag in sorted(condition.flags):
        if flag in c.STRING_FACTS:
            report(f"'{flag}' is not true or false: compare it, e.g. {flag} == \"...\"")
        elif flag not in definitions and flag not in c.BOOLEAN_FACTS:
            report(f"names {flag!r}, which is neither a fact ({', '.join(sorted(c.BOOLEAN_FACTS))}) nor a definition")
    for name in sorted(condition.fact_names):
        if name not in c.STRING_FACTS:
            report(f"compares {name!r}, which is not a fact ({', '.join(sorted(c.STRING_FACTS))})")
    for key in sorted(condition.modules):
        if key not in module_keys:
            report(f"names module {key!r}, which is not in meta.yaml")
    for name, literal in _fact_literals(condition):
        allowed = _FACT_VALUES.get(name, ())
        if allowed and literal not in allowed:
            report(f"compares {name} with {literal!r}, which it can never be ({', '.join(allowed)})")


def _read_folder(folder: Path) -> tuple[Bank | None, list[BankProblem]]:
    problems = _Problems()
    if not folder.is_dir():
        problems.add(folder.name, None, "is not a folder")
        return None, problems.items
    meta = _read_meta(folder, problems)
    read = _read_questions(folder, meta, problems)

    theme_keys = {theme.key for theme in meta.get("themes", [])}
    theme_of_number = {number: theme.key for theme in meta.get("themes", []) for number in theme.criteria}
    module_keys = frozenset(module.key for module in meta.get("modules", []))
    definitions: dict[str, c.Condition] = meta.get("definitions", {})

    # Ids: unique, and unambiguous under lenient lookup.
    positions: dict[str, int] = {}
    lenient: dict[str, str] = {}
    for position, (question, fields) in enumerate(read):
        if question.id in positions:
            fields.problem(f"id is used twice (also in {read[positions[question.id]][0].file})")
            continue
        positions[question.id] = position
        key = lenient_key(question.id)
        if key in lenient:
            fields.problem(f"id differs from {lenient[key]!r} only by case or a dot before a letter")
        lenient[key] = question.id
    printed_as: dict[str, str] = {}
    for question, fields in read:
        for printed in question.printed:
            key = lenient_key(printed)
            owner = lenient.get(key) or printed_as.get(key)
            if owner is not None and owner != question.id:
                fields.problem(f"printed id {printed!r} is already {owner!r}'s")
            printed_as.setdefault(key, question.id)

    def resolve(raw: str) -> str | None:
        if raw in positions:
            return raw
        matches = [qid for qid in positions if lenient_key(qid) == lenient_key(raw)]
        if not matches and lenient_key(raw) in printed_as:
            matches = [printed_as[lenient_key(raw)]]
        return matches[0] if len(matches) == 1 else None

    # Definitions: their question references must exist (where they may be used is checked per question).
    def_problems = _Fields({}, problems, "meta.yaml", None)
    for name, definition in list(definitions.items()):
        missing = sorted(ref for ref in definition.refs if resolve(ref) is None)
        for ref in missing:
            def_problems.problem(f"definition {name!r} names question [{ref}], which is not in the bank")
        _check_condition_names(
            definition,
            lambda message, name=name: def_problems.problem(f"definition {name!r} {message}"),
            definitions=definitions,
            module_keys=module_keys,
        )
        definitions[name] = definition.with_refs_renamed(lambda ref: resolve(ref) or ref)

    by_id: dict[str, Question] = {}
    for question, _ in read:
        by_id.setdefault(question.id, question)  # a duplicate id is reported; the first one counts
    questions: list[Question] = []
    for position, (question, fields) in enumerate(read):
        _check_answers(question, fields)
        changes: dict[str, Any] = {"position": position}

        if question.theme is not None and question.theme not in theme_keys:
            fields.problem(f"theme {question.theme!r} is not in meta.yaml")
        if question.criterion is not None:
            number = question.criterion.split(".")[0].strip()
            expected_theme = theme_of_number.get(number)
            if expected_theme is not None and question.theme != expected_theme:
                fields.problem(
                    f"criterion {question.criterion} feeds theme {expected_theme!r} (meta.yaml),"
                    f" but theme is {question.theme!r}"
                )
        elif question.theme is not None:
            fields.problem("has a theme but no criterion to derive it from")

        for programme in sorted(question.programmes - set(PROGRAMMES)):
            fields.problem(f"programme {programme!r} is not one of {', '.join(PROGRAMMES)}")
        if "programmes" in fields.data and not question.programmes:
            fields.problem("'programmes' is empty: the question would never be asked")
        for module in sorted(question.modules - module_keys):
            fields.problem(f"module {module!r} is not in meta.yaml")

        if question.explains:
            explained: list[str] = []
            for raw in question.explains:
                target = resolve(raw)
                if target is None:
                    fields.problem(f"explains {raw!r}, which is not in the bank")
                    explained.append(raw)
                    continue
                if target in explained:
                    fields.problem(f"explains {target!r} twice")
                    continue
                explained.append(target)
                if by_id[target].kind != "judgement":
                    fields.problem(f"explains {target!r}, which is a {by_id[target].kind}, not a judgement")
                if positions[target] >= position:
                    fields.problem(f"explains {target!r}, which does not come earlier in the bank")
            changes["explains"] = tuple(sorted(explained, key=lambda qid: positions.get(qid, len(positions))))
        if question.other_narrative is not None:
            target = resolve(question.other_narrative)
            if target is None:
                fields.problem(f"other_narrative {question.other_narrative!r} is not in the bank")
            else:
                changes["other_narrative"] = target
                if by_id[target].kind != "narrative":
                    fields.problem(f"other_narrative {target!r} is a {by_id[target].kind}, not a narrative")
                missing = sorted(question.programmes - by_id[target].programmes)
                if missing:
                    fields.problem(
                        f"other_narrative {target!r} is not asked in {', '.join(missing).upper()},"
                        " where this explanation is"
                    )

        if question.reasons_in is not None:
            target = resolve(question.reasons_in)
            if question.kind not in ("information", "judgement"):
                fields.problem("only an information or judgement question may have 'reasons_in'")
            if target is None:
                fields.problem(f"reasons_in {question.reasons_in!r} is not in the bank")
            else:
                changes["reasons_in"] = target
                if by_id[target].kind != "narrative":
                    fields.problem(f"reasons_in {target!r} is a {by_id[target].kind}, not a narrative")
                if positions[target] <= position:
                    fields.problem(f"reasons_in {target!r} does not come later in the bank")
                missing = sorted(question.programmes - by_id[target].programmes)
                if missing:
                    fields.problem(f"reasons_in {target!r} is not asked in {', '.join(missing).upper()}, where this is")
        if question.per_answer_of is not None:
            target = resolve(question.per_answer_of)
            if question.kind not in ("information", "judgement") or question.multiple or question.input != "choice":
                fields.problem("only a single-choice information or judgement question may have 'per_answer_of'")
            if target is None:
                fields.problem(f"per_answer_of {question.per_answer_of!r} is not in the bank")
            else:
                changes["per_answer_of"] = target
                source = by_id[target]
                if not (source.multiple and source.input == "choice"):
                    fields.problem(f"per_answer_of {target!r} is not a question where several answers are chosen")
                if positions[target] >= position:
                    fields.problem(f"per_answer_of {target!r} does not come earlier in the bank")
                if source.per_answer_of is not None:
                    fields.problem(f"per_answer_of {target!r} is itself asked once per answer")

        if question.when is not None:
            try:
                condition = c.parse(question.when)
            except c.ConditionSyntaxError as error:
                fields.problem(f"'when' does not parse: {error}")
            else:
                report = lambda message, fields=fields: fields.problem(f"'when' {message}")  # noqa: E731
                _check_condition_names(condition, report, definitions=definitions, module_keys=module_keys)
                for ref in sorted(condition.refs):
                    target = resolve(ref)
                    if target is None:
                        report(f"names question [{ref}], which is not in the bank")
                    elif positions[target] >= position:
                        report(f"names question [{ref}], which does not come earlier in the bank")
                    elif by_id[target].per_answer_of is not None:
                        report(f"names question [{ref}], which has one answer per {by_id[target].per_answer_of} answer")
                condition = condition.with_refs_renamed(lambda ref: resolve(ref) or ref)
                for ref in sorted(c.expanded_refs(condition, definitions) - condition.refs):
                    if ref in positions and positions[ref] >= position:
                        report(f"uses a definition that names [{ref}], which does not come earlier in the bank")
                for ref, literal in _literals_against(condition, by_id):
                    referenced = by_id.get(ref)
                    if referenced is not None and referenced.options and literal not in referenced.options:
                        report(
                            f"compares [{ref}] with {literal!r}, which is not one of its options"
                            f" ({', '.join(referenced.options)})"
                        )
                changes["condition"] = condition
        questions.append(_replace(question, changes))

    # Definitions' literals, checked against the questions' options now that all are read.
    for name, definition in definitions.items():
        for ref, literal in _literals_against(definition, by_id):
            referenced = by_id.get(ref)
            if referenced is not None and referenced.options and literal not in referenced.options:
                def_problems.problem(
                    f"definition {name!r} compares [{ref}] with {literal!r}, which is not one of its"
                    f" options ({', '.join(referenced.options)})"
                )

    order = positions
    problems.items.sort(key=lambda p: (_file_rank(p.file), order.get(p.question_id or "", -1)))
    if not meta:
        return None, problems.items
    bank = Bank.build(
        version=meta["version"],
        title=meta["title"],
        source=meta["source"],
        path=folder,
        history=meta["history"],
        themes=meta["themes"],
        views=meta["views"],
        modules=meta["modules"],
        definitions=definitions,
        questions=questions,
    )
    return bank, problems.items


def _replace(question: Question, changes: Mapping[str, Any]) -> Question:
    return dataclasses.replace(question, **changes)


def _file_rank(file: str) -> int:
    if file == "meta.yaml":
        return -1
    match = _VIEW_FILE.fullmatch(file)
    return int(match.group(1)) if match else 1_000_000


def missing_welsh(bank: Bank) -> list[str]:
    """Every English text of the bank that has no Welsh beside it, as "<id>: <field>" lines.

    Inspections in Wales treat both languages equally, so a complete bank has the Welsh of each
    question's text, its options, its quality indicators and its guidance wherever the English has one.
    """
    missing = []
    for question in bank.questions:
        for key in WELSH_KEYS:
            if getattr(question, key) and not question.cy.get(key):
                missing.append(f"{question.id}: {key}")
    return missing
