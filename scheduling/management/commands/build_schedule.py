"""Solve an inspection's fieldwork schedule from the stored availability and pins.

    python manage.py build_schedule --inspection SQS-2027-001 --json [--dry-run] [--time-limit 30]

Prints each case's team member, day (date), start and end, with the solver's objective
and proven bound. Saves the result as the working draft unless --dry-run. Exits 1 with the
diagnosis when no schedule exists.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from inspections.models import Inspection
from scheduling import selectors as S
from scheduling.domain.model import format_hhmm
from scheduling.services import schedule_solve


class Command(BaseCommand):
    help = "Solve an inspection's fieldwork schedule and print each case's slot."

    def add_arguments(self, parser):
        parser.add_argument("--inspection", required=True, help="the inspection's reference")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--dry-run", action="store_true", help="solve but save nothing")
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds the solver may take (default 30)")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        inspection = Inspection.objects.select_related("yot").filter(reference=options["inspection"]).first()
        if inspection is None:
            raise CommandError(f"No inspection {options['inspection']!r}.")
        outcome = schedule_solve(
            inspection=inspection,
            by=None,
            time_limit_s=options["time_limit"],
            seed=options["seed"],
            dry_run=options["dry_run"],
        )
        inputs = S.schedule_inputs(inspection)
        solution = outcome.solution
        payload = {
            "inspection": inspection.reference,
            "status": outcome.status,
            "objective": solution.objective if solution else None,
            "best_bound": solution.best_bound if solution else None,
            "version": outcome.version.number if outcome.version else None,
            "saved": outcome.version is not None,
            "cases": [],
            "problems": [{"kind": p.kind, "message": str(p.message), "cases": list(p.cases)} for p in outcome.problems],
            "notes": [str(note) for note in outcome.notes],
            "moved": list(outcome.moved),
        }
        if outcome.found:
            members = {m.id: m for m in inputs.members}
            for assignment in solution.assignments:
                slot = inputs.slot(assignment.slot_id)
                case = inputs.case_by_ref[assignment.case_ref]
                member = members[slot.member_id]
                payload["cases"].append(
                    {
                        "case": assignment.case_ref,
                        "team_member": member.name,
                        "role": member.role.value,
                        "day": (inspection.fieldwork_start + dt.timedelta(days=slot.day)).isoformat(),
                        "start": format_hhmm(slot.start),
                        "end": format_hhmm(slot.end),
                        "case_manager": "" if case.reference in inputs.record_only else case.case_manager,
                        "slot": slot.id,
                    }
                )
        if options["json"]:
            self.stdout.write(json.dumps(payload, indent=2))
        else:
            self._text(payload)
        if not outcome.found:
            for problem in outcome.problems:
                self.stderr.write(str(problem.message))
            raise SystemExit(1)

    def _text(self, payload: dict) -> None:
        if payload["cases"]:
            for row in payload["cases"]:
                self.stdout.write(
                    f"{row['case']:<10} {row['day']} {row['start']}-{row['end']}  {row['team_member']}  "
                    f"CM: {row['case_manager'] or '-'}"
                )
            self.stdout.write(
                f"objective {payload['objective']}, proven bound {payload['best_bound']}; "
                + (f"saved as version {payload['version']}" if payload["saved"] else "not saved")
            )
        else:
            self.stdout.write(f"No schedule ({payload['status']}).")
