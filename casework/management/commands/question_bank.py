"""``python manage.py question_bank [--programme sqs|fji] [--modules a,b] [--version V] [--json]``

Prints the Case Assessment Tool's questions. With ``--programme`` only the questions that programme
asks; with ``--modules`` module-only questions are kept only when one of their modules is listed
(without ``--modules`` they are all kept). No answers are involved: ``when`` conditions are printed,
not evaluated. Reads the bank files only; never touches the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.domain.bank import PROGRAMMES, Bank, BankInvalid, BankNotFound, Question, load_bank


def load_bank_for_command(version: str | None, bank_dir: str | None) -> Bank:
    """The bank, or a CommandError that lists what is wrong with it."""
    try:
        return load_bank(version, bank_dir=Path(bank_dir) if bank_dir else None)
    except (BankNotFound, BankInvalid) as error:
        raise CommandError(str(error)) from error


class BankCommand(BaseCommand):
    """A command that reads the question bank: ``--version`` picks the bank version.

    That replaces Django's own ``--version`` (which prints Django's version) for these commands, so
    the parser resolves the clash instead of refusing it.
    """

    requires_system_checks: list[str] = []  # pure file reading: no checks, no database

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)


def add_bank_arguments(parser: CommandParser) -> None:
    parser.add_argument("--version", dest="bank_version", help="bank version folder (default: newest)")
    parser.add_argument("--bank-dir", help="folder holding the bank version folders (default: casework/bank)")
    parser.add_argument("--json", action="store_true", dest="as_json", help="print JSON")


def question_as_dict(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "view": question.view,
        "kind": question.kind,
        "criterion": question.criterion,
        "theme": question.theme,
        "text": question.text,
        "options": list(question.options),
        "multiple": question.multiple,
        "input": question.input,
        "na_allowed": question.na_allowed,
        "scored": question.scored,
        "condition": question.when,
        "explains": list(question.explains),
        "other_narrative": question.other_narrative,
        "programmes": [p for p in PROGRAMMES if p in question.programmes],
        "modules": sorted(question.modules),
    }


class Command(BankCommand):
    help = "Print the question bank, optionally only the questions of a programme and FJI modules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", choices=PROGRAMMES)
        parser.add_argument("--modules", help="comma-separated FJI module keys, e.g. court_work,governance")
        add_bank_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        bank = load_bank_for_command(options["bank_version"], options["bank_dir"])
        programme: str | None = options["programme"]
        modules: frozenset[str] | None = None
        if options["modules"] is not None:
            modules = frozenset(key.strip() for key in options["modules"].split(",") if key.strip())
            unknown = sorted(modules - bank.module_keys)
            if unknown:
                raise CommandError(
                    f"unknown module(s): {', '.join(unknown)}; the bank's modules are"
                    f" {', '.join(sorted(bank.module_keys))}"
                )
        questions = [
            q
            for q in bank.questions
            if (programme is None or programme in q.programmes)
            and (modules is None or not q.modules or q.modules & modules)
        ]
        if options["as_json"]:
            payload = {"version": bank.version, "questions": [question_as_dict(q) for q in questions]}
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Question bank {bank.version}: {len(questions)} question(s)")
        header = f"{'id':<9} {'view':<4} {'kind':<11} {'criterion':<9} {'theme':<11} {'scored':<6} condition"
        self.stdout.write(header)
        for q in questions:
            scored = "yes" if q.is_scored_judgement else ""
            extra = []
            if q.modules:
                extra.append(f"modules: {', '.join(sorted(q.modules))}")
            if q.programmes != frozenset(PROGRAMMES):
                extra.append(f"only {', '.join(sorted(q.programmes)).upper()}")
            if q.explains:
                extra.append(f"explains {', '.join(q.explains)}")
            condition = q.when or ""
            if extra:
                condition = f"{condition}  [{'; '.join(extra)}]".strip()
            self.stdout.write(
                f"{q.id:<9} {q.view:<4} {q.kind:<11} {q.criterion or '':<9} {q.theme or '':<11} {scored:<6} {condition}"
            )
