"""``python manage.py route PROFILE.json [--version V] [--json]``

Routes one case profile through the question bank and prints the questions asked and the ones that
must be answered. The profile::

    {"programme": "sqs", "modules": [], "country": "Wales", "alert": false,
     "answers": {"3b": "Wales", "9a": "welsh", "14": ["Looked After"]}}

Question ids may be written in any form the bank's lookup accepts ("7a" for "7.a", "7. a", "9a.",
and the number the guide prints, "2.17.a" for 2.17.1); answers are
option labels, matched case-insensitively and printed back in the bank's spelling. Every unknown id
or label is reported (with the allowed labels) and the command exits with status 1. Reads files
only; never touches the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from casework.domain.bank import COUNTRIES, PROGRAMMES, Bank, Question
from casework.domain.conditions import Answer
from casework.domain.routing import Facts, route
from casework.management.commands.question_bank import BankCommand, add_bank_arguments, load_bank_for_command


class ProfileError(ValueError):
    """A profile that cannot be routed; ``errors`` lists every reason."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


def read_profile(bank: Bank, profile: Any) -> tuple[Facts, dict[str, Answer]]:
    """The facts and the answers (canonical ids, the bank's labels) a profile describes.

    Raises :class:`ProfileError` listing every problem found.
    """
    errors: list[str] = []
    if not isinstance(profile, dict):
        raise ProfileError(["the profile must be a JSON object"])
    known = {"programme", "modules", "country", "alert", "answers"}
    errors += [f"unknown profile field {key!r}" for key in profile if key not in known]

    programme = profile.get("programme")
    if not isinstance(programme, str) or programme.lower() not in PROGRAMMES:
        errors.append(f"'programme' must be one of {', '.join(PROGRAMMES)}, not {programme!r}")
        programme = PROGRAMMES[0]
    programme = programme.lower()

    modules = profile.get("modules") or []
    if not isinstance(modules, list) or not all(isinstance(key, str) for key in modules):
        errors.append("'modules' must be a list of module keys")
        modules = []
    for key in modules:
        if key not in bank.module_keys:
            errors.append(f"unknown module {key!r}; the bank's modules are {', '.join(sorted(bank.module_keys))}")

    country = profile.get("country")
    if country is not None:
        matches = [name for name in COUNTRIES if isinstance(country, str) and name.lower() == country.lower()]
        if not matches:
            errors.append(f"'country' must be one of {', '.join(COUNTRIES)}, not {country!r}")
        country = matches[0] if matches else None

    alert = profile.get("alert", False)
    if not isinstance(alert, bool):
        errors.append(f"'alert' must be true or false, not {alert!r}")
        alert = False

    raw_answers = profile.get("answers") or {}
    answers: dict[str, Answer] = {}
    if not isinstance(raw_answers, dict):
        errors.append("'answers' must be an object of question id to answer")
        raw_answers = {}
    written_as: dict[str, str] = {}
    for raw_id, raw_value in raw_answers.items():
        question_id = bank.resolve_id(raw_id)
        if question_id is None:
            errors.append(f"unknown question id {raw_id!r}")
            continue
        if question_id in written_as:
            errors.append(f"question {question_id} is answered twice (as {written_as[question_id]!r} and {raw_id!r})")
            continue
        written_as[question_id] = raw_id
        answer = _answer(bank.question(question_id), raw_value, errors)
        if answer is not None:
            answers[question_id] = answer

    if errors:
        raise ProfileError(errors)
    return Facts(programme=programme, country=country, modules=frozenset(modules), alert=alert), answers


def _answer(question: Question, raw: Any, errors: list[str]) -> Answer | None:
    if raw is None or raw == "" or raw == []:
        return None
    if question.input != "choice":
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            errors.append(f"question {question.id} takes a written answer, not {raw!r}")
            return None
        return str(raw)
    if question.per_answer_of is not None:
        return _per_factor_answer(question, raw, errors)
    values = raw if isinstance(raw, list) else [raw]
    if len(values) > 1 and not question.multiple:
        errors.append(f"question {question.id} takes one answer; allowed: {', '.join(question.options)}")
        return None
    by_folded = {option.lower(): option for option in question.options}
    labels: list[str] = []
    for value in values:
        label = by_folded.get(value.strip().lower()) if isinstance(value, str) else None
        if label is None:
            errors.append(
                f"question {question.id}: {value!r} is not one of its answers; allowed: {', '.join(question.options)}"
            )
            return None
        if label not in labels:
            labels.append(label)
    return tuple(labels) if question.multiple else labels[0]


def _per_factor_answer(question: Question, raw: Any, errors: list[str]) -> Any:
    """A question asked once per factor (3.7.1, 4.12): {"factor": "answer", ...}; the factor is an
    option of the question it follows (2.1.0), spelt as it is there; the answers are matched case-insensitively."""
    if not isinstance(raw, dict):
        errors.append(
            f"question {question.id} takes one answer per answer of {question.per_answer_of}:"
            ' write {"factor": "answer"}'
        )
        return None
    by_folded = {option.lower(): option for option in question.options}
    answer: dict[str, str] = {}
    for factor, value in raw.items():
        label = by_folded.get(value.strip().lower()) if isinstance(value, str) else None
        if label is None:
            errors.append(
                f"question {question.id} ({factor}): {value!r} is not one of its answers;"
                f" allowed: {', '.join(question.options)}"
            )
            continue
        answer[str(factor)] = label
    return answer or None


class Command(BankCommand):
    help = "Route a case profile (JSON) through the question bank: the questions asked and required."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("profile", help="path to the profile JSON file")
        add_bank_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        bank = load_bank_for_command(options["bank_version"], options["bank_dir"])
        try:
            profile = json.loads(Path(options["profile"]).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"cannot read the profile: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"the profile is not valid JSON: {error}") from error
        try:
            facts, answers = read_profile(bank, profile)
        except ProfileError as error:
            raise CommandError("the profile has problems:\n" + "\n".join(f"- {e}" for e in error.errors)) from error
        case_route = route(bank, facts, answers)
        if options["as_json"]:
            payload = {"asked": list(case_route.asked), "required": list(case_route.required)}
            self.stdout.write(json.dumps(payload, indent=2))
            return
        required = set(case_route.required)
        self.stdout.write(
            f"Bank {bank.version}, {facts.programme.upper()}: {len(case_route.asked)} question(s) asked,"
            f" {len(required)} required (*)"
        )
        for question_id in case_route.asked:
            question = bank.question(question_id)
            mark = "*" if question_id in required else " "
            given = answers.get(question_id)
            shown = "" if given is None else f"  = {_shown(given)}"
            self.stdout.write(f"{mark} {question_id:<8} {question.kind:<11} {question.text[:60]}{shown}")
        if case_route.hidden:
            self.stdout.write(f"Hidden answers (kept, not scored): {', '.join(case_route.hidden)}")


def _shown(answer: Any) -> str:
    if isinstance(answer, tuple):
        return ", ".join(answer)
    if isinstance(answer, dict):
        return "; ".join(f"{factor}: {value}" for factor, value in answer.items())
    return str(answer)
