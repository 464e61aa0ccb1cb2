import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from inspections.domain.timeline import TimelineError, compute_timeline


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--fieldwork-start {value!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Print an inspection timeline: milestone dates (working days, England and Wales bank holidays) and warnings."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, choices=["sqs", "fji"])
        parser.add_argument("--country", required=True, choices=["england", "wales"])
        parser.add_argument("--fieldwork-start", required=True, help="the Monday fieldwork starts, YYYY-MM-DD")
        parser.add_argument(
            "--json", action="store_true", help="print JSON: milestone key -> ISO date or datetime, plus warnings"
        )

    def handle(self, *args, **options):
        start = _iso_date(options["fieldwork_start"])
        try:
            timeline = compute_timeline(
                programme=options["programme"], country=options["country"], fieldwork_start=start
            )
        except TimelineError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(timeline.as_json(), indent=2))
            return
        for m in timeline.milestones:
            when = m.date.strftime("%a %d %b %Y") + (m.time.strftime(" %H:%M") if m.time else "")
            self.stdout.write(f"{when:<22} {m.owner.upper():<5} {m.key:<24} {m.label}")
        for warning in timeline.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
