"""Ten years of inspections (issue 11): the inspection list and the aggregate report as the data grows.

Builds synthetic data in its own PostgreSQL database (created at the start, dropped at the end):
about 360 inspections over ten years across the YOTs of ``inspections/data/yots.csv``, two in three
SQS and one in three FJI, each with a long-list, a sample of cases, their assessments and answers
(every question of the programme, explanations where a judgement is Insufficient), one revision per
answer and a second for some: about 3,000,000 answers at ``--scale 1``. Everything is written in
big batches (``bulk_create``; the answers through COPY; their revisions by INSERT ... SELECT).

It builds in chronological order and, after each size (by default 10%, 50% and 100% of the
inspections), measures through the Django test client, signed in as the lead inspector of every
inspection (the person who sees the most):

- the inspection list (first and last page) and the aggregate report page;
- the aggregate report itself (the form's POST, which generates the PDF in-process with eager
  Celery) for the first period (that of the smallest size's inspections: the same ones at every
  size), and for the whole period so far;

and prints, for each, the median time, the ratio over a bare view behind the same middleware
(as bench_pages.py) and the number of SQL queries of one request. Query counts should stay flat.

    .venv/bin/python bench/bench_scale.py [--scale 1.0] [--sizes 10,50,100] [--requests 30]
        [--report-repeat 3] [--profile] [--database-url postgres://postgres@127.0.0.1:5432/bench_scale]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INSPECTIONS = 360
YEARS = 10
SQS_CASES = 50
FJI_CASES = 100
BATCH = 5000


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (360 inspections)")
    parser.add_argument("--sizes", default="10,50,100", help="percentages of the data at which to measure")
    parser.add_argument("--requests", type=int, default=30, help="requests per page measurement")
    parser.add_argument("--report-repeat", type=int, default=3, help="first-period aggregate reports per size")
    parser.add_argument("--report-repeat-all", type=int, default=1, help="whole-period aggregate reports per size")
    parser.add_argument("--profile", action="store_true", help="profile the whole-period aggregate report at the end")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_scale")
    return parser.parse_args()


def admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database URL, and the benchmark database's name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    server, name = admin_url(url)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    args = parse_args()
    recreate_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.pop("CELERY_BROKER_URL", None)  # the aggregate report is generated in the request
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-scale-media-")
    os.environ["EMAIL_PROVIDER"] = "file"
    os.environ["AXES_ENABLED"] = "false"
    os.environ["DEBUG"] = "false"  # no query log while building; CaptureQueriesContext forces its own
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        import django

        django.setup()
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(args.database_url, drop_only=True)


# --- Synthetic data -----------------------------------------------------------------------------


def monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


class World:
    """The plan of every inspection (programme, YOT, fieldwork date, status), fixed up front by one
    seed so that each size is a prefix of the next."""

    def __init__(self, scale: float, today: dt.date):
        from django.contrib.auth.hashers import make_password

        from casework.domain.bank import load_bank
        from inspections.enums import Module, Programme, StaffRole, Status, TeamRole
        from inspections.models import User, YouthOffendingTeam

        self.rng = random.Random(11)
        self.today = today
        self.bank = load_bank()
        self.yots = list(YouthOffendingTeam.objects.order_by("code"))
        self.Status, self.Programme, self.TeamRole = Status, Programme, TeamRole

        def person(username: str, role: str, first: str, last: str) -> User:
            return User(
                username=username,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@justice.example.gov.uk",
                password=make_password(None),  # unusable: the benchmark signs in with force_login
            )

        self.lead = User.objects.create(
            username="bench-lead", role=StaffRole.LEAD_INSPECTOR, first_name="Lee", last_name="Lead"
        )
        self.staff = User.objects.bulk_create(
            [person(f"inspector{n}", StaffRole.ASSISTANT_INSPECTOR, "Ina", f"Inspector{n}") for n in range(20)]
            + [person(f"sso{n}", StaffRole.SSO, "Sam", f"Support{n}") for n in range(5)]
        )
        self.inspectors = [u for u in self.staff if u.role == StaffRole.ASSISTANT_INSPECTOR]
        self.ssos = [u for u in self.staff if u.role == StaffRole.SSO]

        count = max(1, round(INSPECTIONS * scale))
        last = monday_on_or_after(today + dt.timedelta(weeks=8))
        first = monday_on_or_after(last - dt.timedelta(days=365 * YEARS))
        span_weeks = (last - first).days // 7
        modules = [m.value for m in Module]
        numbers: dict[tuple[str, int], int] = {}
        self.plans = []
        for n in range(count):
            fieldwork = first + dt.timedelta(weeks=round(n * span_weeks / max(count - 1, 1)))
            programme = Programme.FJI if n % 3 == 2 else Programme.SQS
            key = (programme, fieldwork.year)
            numbers[key] = numbers.get(key, 0) + 1
            self.plans.append(
                {
                    "seed": n,  # each inspection's own random numbers: the same at every --sizes
                    "reference": f"{programme.upper()}-{fieldwork.year}-{numbers[key]:03d}",
                    "programme": programme,
                    "yot": self.rng.choice(self.yots),
                    "fieldwork_start": fieldwork,
                    "status": self.status_on(fieldwork),
                    "modules": sorted(self.rng.sample(modules, self.rng.choice((1, 2))))
                    if programme == Programme.FJI
                    else [],
                }
            )
        self.first_fieldwork = first
        self._answer_choices()

    def status_on(self, fieldwork: dt.date) -> str:
        Status = self.Status
        if fieldwork > self.today + dt.timedelta(weeks=4):
            return Status.ANNOUNCED
        if fieldwork > self.today:
            return Status.SAMPLE_SELECTED
        if fieldwork + dt.timedelta(weeks=2) > self.today:
            return Status.FIELDWORK
        if fieldwork + dt.timedelta(weeks=6) > self.today:
            return Status.DRAFT_REPORT
        if fieldwork + dt.timedelta(weeks=10) > self.today:
            return Status.FACTUAL_ACCURACY
        return Status.PUBLISHED

    def _answer_choices(self) -> None:
        """Each question's possible values, already as COPY text of their JSON, per programme."""

        def text(value) -> str:
            return json.dumps(value).replace("\\", "\\\\")

        self.questions: dict[str, list] = {}
        for programme in ("sqs", "fji"):
            entries = []
            for q in self.bank.questions:
                if programme not in q.programmes:
                    continue
                if q.kind == "narrative":
                    choices = [text(f"What we found in this part of the case ({q.id}), version {n}.") for n in range(5)]
                elif q.input == "number":
                    choices = [text(str(n)) for n in range(10, 18)]
                elif q.input == "text":
                    choices = [text("A team member"), text("Benchshire")]
                elif q.multiple:
                    options = list(q.options)
                    choices = [text(self.rng.sample(options, k=min(k, len(options)))) for k in (1, 2, 2, 3)]
                else:
                    choices = [text(option) for option in q.options]
                entries.append((q, choices))
            self.questions[programme] = entries

    def case_answers(self, rng: random.Random, programme: str, modules: set[str]) -> list[tuple[str, str]]:
        """(question id, JSON value) of one completed assessment."""
        insufficient: set[str] = set()
        answers = []
        for q, choices in self.questions[programme]:
            if q.modules and not (q.modules & modules):
                continue
            if q.kind == "judgement":
                roll = rng.random()
                if roll < 0.62 or len(choices) < 2:
                    value = choices[0]  # Sufficient
                elif roll < 0.95:
                    value = choices[1]  # Insufficient
                    insufficient.add(q.id)
                else:
                    value = choices[-1]
            elif q.kind == "explanation":
                if not insufficient.intersection(q.explains):
                    continue
                value = rng.choice(choices)
            else:
                value = rng.choice(choices)
            answers.append((q.id, value))
        return answers


def build(world: World, plans: list[dict]) -> dict[str, int]:
    """Write the inspections of ``plans`` and everything under them. Returns row counts."""
    from django.db import connection, transaction
    from django.utils import timezone

    from casework.enums import AlertKind, CaseStatus, Heading
    from casework.models import Alert, Assessment, Case, LongList, LongListEntry, Review, Sample
    from inspections.enums import Programme, Status, TeamRole
    from inspections.models import Inspection, TeamMembership
    from reports.models import GoodPractice

    lead = world.lead
    tz = timezone.get_current_timezone()
    counts = dict.fromkeys(("inspections", "cases", "answers", "revisions"), 0)
    with transaction.atomic():
        inspections = Inspection.objects.bulk_create(
            [
                Inspection(
                    reference=p["reference"],
                    programme=p["programme"],
                    yot=p["yot"],
                    fieldwork_start=p["fieldwork_start"],
                    status=p["status"],
                    modules=p["modules"],
                    created_by=lead,
                    announced_at=dt.datetime.combine(p["fieldwork_start"] - dt.timedelta(weeks=5), dt.time(9), tz),
                    announced_by=lead,
                )
                for p in plans
            ],
            batch_size=BATCH,
        )
        counts["inspections"] = len(inspections)
        rng_of = {i.pk: random.Random(p["seed"]) for i, p in zip(inspections, plans, strict=True)}
        team = []
        for inspection in inspections:
            rng = rng_of[inspection.pk]
            team.append(TeamMembership(inspection=inspection, user=lead, role=TeamRole.LEAD_INSPECTOR))
            for person in rng.sample(world.inspectors, 2):
                team.append(TeamMembership(inspection=inspection, user=person, role=TeamRole.ASSISTANT_INSPECTOR))
            team.append(TeamMembership(inspection=inspection, user=rng.choice(world.ssos), role=TeamRole.SSO))
        TeamMembership.objects.bulk_create(team, batch_size=BATCH)

        sampled = [i for i in inspections if i.status != Status.ANNOUNCED]
        sizes = {i.pk: SQS_CASES if i.programme == Programme.SQS else FJI_CASES for i in sampled}
        long_lists = LongList.objects.bulk_create(
            [
                LongList(
                    inspection=i,
                    version=1,
                    original_name="long-list.xlsx",
                    file_format="xlsx",
                    uploaded_by=lead,
                    row_count=sizes[i.pk],
                )
                for i in sampled
            ]
        )
        Sample.objects.bulk_create(
            [
                Sample(inspection=i, long_list=ll, size=sizes[i.pk], selected_by=lead, finalised_at=timezone.now())
                for i, ll in zip(sampled, long_lists, strict=True)
            ]
        )
        headings = [Heading.FIRST_TIER, Heading.COMMUNITY, Heading.COMMUNITY, Heading.CUSTODIAL]
        entries, cases = [], []
        for inspection, ll in zip(sampled, long_lists, strict=True):
            fieldwork, rng = inspection.fieldwork_start, rng_of[inspection.pk]
            for n in range(1, sizes[inspection.pk] + 1):
                heading = rng.choice(headings)
                sentenced = fieldwork - dt.timedelta(days=rng.randint(60, 300))
                entry = LongListEntry(
                    long_list=ll,
                    heading=heading,
                    row_number=n,
                    case_id=f"YOT-{n:04d}",
                    family_name=f"Family{n}",
                    first_names=f"Child{n}",
                    gender=rng.choice(("Male", "Male", "Female")),
                    date_of_birth=sentenced - dt.timedelta(days=rng.randint(365 * 10, 365 * 17)),
                    ethnicity="White - British",
                    order_type="Referral Order",
                    sentence_date=sentenced,
                    sentence_length="12 months",
                    scaled_approach="Standard",
                    vulnerability="Low",
                    rosh="Low",
                    looked_after=rng.random() < 0.1,
                    child_protection=rng.random() < 0.05,
                    case_manager=f"Case Manager {n % 12}",
                    case_manager_email=f"cm{n % 12}@yot.example.gov.uk",
                    line_manager="Line Manager",
                    office="Town Hall",
                )
                entries.append(entry)
                cases.append(
                    Case(
                        inspection=inspection,
                        entry=entry,
                        reference=f"HMIP-{n:02d}",
                        heading=heading,
                        position=n,
                        status=CaseStatus.SELECTED,
                        order_type="Referral Order",
                        sentence_date=sentenced,
                        case_manager=entry.case_manager,
                        case_manager_email=entry.case_manager_email,
                        assessor=rng.choice((lead, *world.inspectors[:6])),
                    )
                )
        LongListEntry.objects.bulk_create(entries, batch_size=BATCH)
        for case in cases:
            case.entry_id = case.entry.pk
        Case.objects.bulk_create(cases, batch_size=BATCH)
        counts["cases"] = len(cases)

        assessed = [c for c in cases if c.inspection.status not in (Status.ANNOUNCED, Status.SAMPLE_SELECTED)]
        assessments = []
        for case in assessed:
            done = case.inspection.status != Status.FIELDWORK or case.position % 2 == 0
            finished = dt.datetime.combine(case.inspection.fieldwork_start + dt.timedelta(days=2), dt.time(16), tz)
            assessments.append(
                Assessment(
                    case=case,
                    bank_version=world.bank.version,
                    started_by=case.assessor,
                    completed_at=finished if done else None,
                    completed_by=case.assessor if done else None,
                )
            )
        Assessment.objects.bulk_create(assessments, batch_size=BATCH)

        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")  # a throwaway database
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM casework_answer")
            (before,) = cursor.fetchone()
            with cursor.cursor.copy(
                "COPY casework_answer (assessment_id, question_id, value, revision, updated_by_id, updated_at) "
                "FROM STDIN"
            ) as copy:
                lines = []
                for assessment in assessments:
                    case = assessment.case
                    inspection = case.inspection
                    when = dt.datetime.combine(inspection.fieldwork_start + dt.timedelta(days=1), dt.time(11), tz)
                    prefix, suffix = f"{assessment.pk}\t", f"\t{case.assessor_id}\t{when.isoformat()}\n"
                    answers = world.case_answers(rng_of[inspection.pk], inspection.programme, set(inspection.modules))
                    if assessment.completed_at is None:
                        answers = answers[: len(answers) // 2]
                    for number, (question_id, value) in enumerate(answers):
                        revision = 2 if number % 20 == 7 else 1  # some answers were changed once
                        lines.append(f"{prefix}{question_id}\t{value}\t{revision}{suffix}")
                    counts["answers"] += len(answers)
                    if len(lines) > 50_000:
                        copy.write("".join(lines))
                        lines = []
                copy.write("".join(lines))
            # Every answer's first value, and the second of those changed once (the same value:
            # what matters here is the number of rows).
            cursor.execute(
                "INSERT INTO casework_answerrevision (answer_id, revision, value, by_id, at) "
                "SELECT id, r.n, value, updated_by_id, updated_at FROM casework_answer "
                "JOIN LATERAL generate_series(1, revision) AS r(n) ON true WHERE id > %s",
                [before],
            )
            counts["revisions"] = cursor.rowcount

        reviews, alerts = [], []
        judgements = [q.id for q in world.bank.questions if q.is_scored_judgement]
        for assessment in assessments:
            rng = rng_of[assessment.case.inspection_id]
            if assessment.completed_at and rng.random() < 0.08:
                question = rng.choice(judgements)
                reviews.append(
                    Review(
                        assessment=assessment,
                        question_id=question,
                        original_value="Insufficient",
                        reviewed_value="Sufficient",
                        agreed=False,
                        reason="Moderated",
                        reviewer=lead,
                    )
                )
            if rng.random() < 0.04:
                alerts.append(
                    Alert(case=assessment.case, kind=AlertKind.CONCERN, description="A concern", raised_by=lead)
                )
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        Alert.objects.bulk_create(alerts, batch_size=BATCH)
        GoodPractice.objects.bulk_create(
            [
                GoodPractice(inspection=i, note="Clear, well-recorded planning.", marked_by=lead)
                for i in inspections
                if i.status == Status.PUBLISHED and rng_of[i.pk].random() < 0.1
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have, given the time real data takes to arrive
    return counts


# --- Measurement --------------------------------------------------------------------------------


def run(args) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
    from django.urls import include, path
    from django.utils import timezone

    from casework.models import Answer
    from inspections.enums import Programme, Status
    from inspections.views import LIST_PAGE_SIZE
    from reports.enums import JobKind, JobStatus
    from reports.models import ReportJob

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_yots", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"database ready (migrations, YOTs): {time.perf_counter() - start:.1f} s", flush=True)

    def bare(request):
        return HttpResponse("ok")

    module = type(sys)("bench_scale_urls")
    module.urlpatterns = [path("bare/", bare), path("", include("config.urls"))]
    sys.modules["bench_scale_urls"] = module

    today = timezone.localdate()
    world = World(args.scale, today)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    cuts = [max(1, round(len(world.plans) * size / 100)) for size in sizes]
    # The period of the smallest size's inspections: the same ones are in it at every size.
    first_period = (world.first_fieldwork, world.plans[cuts[0] - 1]["fieldwork_start"])
    results = []
    generation_total = 0.0

    with override_settings(ROOT_URLCONF="bench_scale_urls", DEBUG=False):
        client = Client()
        client.force_login(world.lead)

        def request(method: str, url: str, data=None, expect: int = 200):
            response = client.post(url, data) if method == "post" else client.get(url)
            assert response.status_code == expect, (url, response.status_code)
            return response

        def measure(method: str, url: str, repeat: int, data=None, expect: int = 200, warm: int = 3):
            """Median time of ``repeat`` requests after ``warm`` ones, and the queries of the first."""
            for _ in range(warm):
                request(method, url, data, expect)
            reset_queries()
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                request(method, url, data, expect)
            times = [time.perf_counter() - began] if not warm else []  # unwarmed: it counts too
            count = len(queries)  # now: the log it slices is cleared when the next request starts
            for _ in range(repeat - len(times)):
                began = time.perf_counter()
                request(method, url, data, expect)
                times.append(time.perf_counter() - began)
            return statistics.median(times) * 1000, count

        def form(period: tuple[dt.date, dt.date]) -> dict[str, int]:
            start_, end_ = period
            return {
                "period_start_0": start_.day,
                "period_start_1": start_.month,
                "period_start_2": start_.year,
                "period_end_0": end_.day,
                "period_end_1": end_.month,
                "period_end_2": end_.year,
            }

        def aggregate(period: tuple[dt.date, dt.date], repeat: int) -> tuple[float, int]:
            result = measure("post", "/reports/aggregate/", repeat, form(period), expect=302, warm=0)
            jobs = ReportJob.objects.filter(kind=JobKind.AGGREGATE)
            assert not jobs.exclude(status=JobStatus.DONE).exists(), list(jobs.values_list("status", "message"))
            return result

        # Warm WeasyPrint up with a report of a period before any inspection.
        request("post", "/reports/aggregate/", form((dt.date(2000, 1, 1), dt.date(2000, 12, 31))), 302)

        done = 0
        for size, cut in zip(sizes, cuts, strict=True):
            began = time.perf_counter()
            counts = build(world, world.plans[done:cut])
            took = time.perf_counter() - began
            generation_total += took
            done = cut
            answers = Answer.objects.count()
            print(
                f"built {size}%: +{counts['inspections']} inspections, +{counts['cases']:,} cases, "
                f"+{counts['answers']:,} answers, +{counts['revisions']:,} revisions in {took:.1f} s "
                f"(now {done} inspections, {answers:,} answers)",
                flush=True,
            )
            plans = world.plans[:done]
            whole = (world.first_fieldwork, plans[-1]["fieldwork_start"])
            reported = [p for p in plans if p["status"] == Status.PUBLISHED and p["programme"] == Programme.SQS]
            in_first_period = sum(1 for p in reported if p["fieldwork_start"] <= first_period[1])
            last_page = (done + LIST_PAGE_SIZE - 1) // LIST_PAGE_SIZE
            bare_ms, _bare_q = measure("get", "/bare/", args.requests * 3)
            row = {
                "inspection list": measure("get", "/inspections/", args.requests),
                "inspection list, last page": measure("get", f"/inspections/?page={last_page}", args.requests),
                "aggregate report, first period": aggregate(first_period, args.report_repeat),
                "aggregate report, all years": aggregate(whole, args.report_repeat_all),
                # After the reports, so that it lists jobs (and prefetches their files) at every size.
                "aggregate report page": measure("get", "/reports/aggregate/", args.requests),
            }
            results.append((size, done, answers, bare_ms, row))
            print(
                f"  bare view {bare_ms:.2f} ms; the aggregate report reads {in_first_period} published SQS "
                f"inspections of {first_period[0]} to {first_period[1]} (the first period), "
                f"{len(reported)} of all years",
                flush=True,
            )
            for name, (ms, queries) in row.items():
                print(f"  {name:<30} {ms:9.1f} ms  ratio {ms / bare_ms:8.1f}  {queries:4d} queries", flush=True)

        print(f"\ngeneration took {generation_total:.1f} s in all")
        print("\n| page | " + " | ".join(f"{s}%: {n} inspections, {a:,} answers" for s, n, a, _b, _r in results) + " |")
        print("|---|" + "---|" * len(results))
        print("| bare view | " + " | ".join(f"{b:.2f} ms" for _s, _n, _a, b, _r in results) + " |")
        for name in results[0][4]:
            cells = [
                f"{r[name][0]:.1f} ms, x{r[name][0] / b:.1f}, {r[name][1]} queries" for _s, _n, _a, b, r in results
            ]
            print(f"| {name} | " + " | ".join(cells) + " |")
        for name in results[0][4]:
            counts = [r[name][1] for *_rest, r in results]
            print(f"queries of {name}: {counts} ({'flat' if len(set(counts)) == 1 else 'NOT flat'})")

        if args.profile:
            import cProfile
            import pstats

            from reports.generation import aggregate_files

            profiler = cProfile.Profile()
            profiler.enable()
            aggregate_files(world.first_fieldwork, world.plans[done - 1]["fieldwork_start"])
            profiler.disable()
            print("\nprofile of the whole-period aggregate report (aggregate_files), by cumulative time:")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
