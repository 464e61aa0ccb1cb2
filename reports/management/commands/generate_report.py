"""Generate a report synchronously with the same service the workers run, and write its files.

python manage.py generate_report --inspection SQS-2027-001 --kind draft --out DIR
python manage.py generate_report --kind aggregate --from 2027-04-01 --to 2028-03-31 --out DIR
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspections.enums import StaffRole
from inspections.models import Inspection, User
from reports.enums import JobKind, JobStatus
from reports.generation import GENERATORS
from reports.models import ReportJob

KINDS = [JobKind.DRAFT, JobKind.FJI, JobKind.POSTER, JobKind.CHART_PACK, JobKind.AGGREGATE]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Generate a report (draft, fji, poster, chart_pack or aggregate) and write its files to --out."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=[k.value for k in KINDS])
        parser.add_argument("--inspection", help="the inspection's reference (not for aggregate)")
        parser.add_argument("--from", dest="period_start", help="aggregate: first fieldwork date, YYYY-MM-DD")
        parser.add_argument("--to", dest="period_end", help="aggregate: last fieldwork date, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="folder to write the files to (created if missing)")
        parser.add_argument(
            "--user", help="username recorded as the job's creator (default: the inspection's lead inspector)"
        )

    def handle(self, *args, kind, inspection, period_start, period_end, out, user, **options):
        job_kwargs: dict = {"kind": kind}
        if kind == JobKind.AGGREGATE:
            if inspection or not (period_start and period_end):
                raise CommandError("--kind aggregate takes --from and --to, not --inspection")
            job_kwargs.update(period_start=_date(period_start), period_end=_date(period_end))
            if job_kwargs["period_start"] > job_kwargs["period_end"]:
                raise CommandError("--from must be on or before --to")
            target = None
        else:
            if not inspection:
                raise CommandError(f"--kind {kind} needs --inspection")
            target = Inspection.objects.select_related("yot").filter(reference=inspection).first()
            if target is None:
                raise CommandError(f"no inspection {inspection!r}")
            from reports.services import KINDS_FOR

            if kind not in KINDS_FOR[target.programme]:
                raise CommandError(f"a {target.get_programme_display()} has no {kind}")
        creator = self._creator(user, target)
        with transaction.atomic():
            job = ReportJob.objects.create(inspection=target, created_by=creator, **job_kwargs)
        GENERATORS[kind](job_id=job.pk)  # the same service the Celery task calls
        job.refresh_from_db()
        if job.status != JobStatus.DONE:
            raise CommandError(f"the job did not finish: {job.message}")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for record in job.files.all():
            path = folder / record.filename
            with record.file.open("rb") as source:
                path.write_bytes(source.read())
            pages = f", {record.pages} pages" if record.pages else ""
            self.stdout.write(f"{path} ({record.size} bytes{pages})")

    def _creator(self, username: str | None, inspection: Inspection | None) -> User:
        if username:
            found = User.objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"no user {username!r}")
            return found
        if inspection is not None and inspection.lead_inspector:
            return inspection.lead_inspector
        found = User.objects.filter(role=StaffRole.LEAD_INSPECTOR, is_active=True).order_by("pk").first()
        if found is None:
            raise CommandError("no lead inspector to record as the creator: pass --user")
        return found
