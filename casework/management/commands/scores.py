"""``python manage.py scores --inspection REF [--json]``

Prints an inspection's scores: the percentage Sufficient among scored judgements, with counts, per
question, per criterion, per theme and overall, over its completed case assessments, with the
reviewer's judgement in place of a local assessor's where moderation changed it (the same figures as
the inspection's scores page). N/A, hidden and non-scoring answers are left out.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.services.assessment import inspection_scores, scores_as_dict
from inspections.models import Inspection


def _line(label: str, tally: dict[str, Any]) -> str:
    shown = "—" if tally["percentage"] is None else f"{tally['percentage']}%"
    return f"{label:<12} {shown:>7}  {tally['sufficient']:>4} of {tally['total']:<4}"


class Command(BaseCommand):
    help = "Print an inspection's case assessment scores (per question, criterion, theme and overall)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inspection", required=True, help="the inspection's reference, e.g. SQS-2027-001")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        inspection = Inspection.objects.select_related("yot").filter(reference=options["inspection"]).first()
        if inspection is None:
            raise CommandError(f"no inspection {options['inspection']!r}")
        payload = scores_as_dict(inspection_scores(inspection), inspection)
        if options["as_json"]:
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{inspection.reference} {inspection.yot.name}:"
            f" {payload['cases_scored']} of {payload['cases']} cases scored"
            f" (bank {payload['bank_version']})"
        )
        self.stdout.write(_line("Overall", payload["overall"]))
        for title, key in (("Themes", "by_theme"), ("Criteria", "by_criterion"), ("Questions", "by_question")):
            self.stdout.write(f"\n{title}")
            for label, tally in payload[key].items():
                self.stdout.write(_line(label, tally))
