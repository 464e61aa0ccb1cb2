"""Demo data for `make run`: a user for each role and four inspections (SQS England, SQS Wales, FJI England,
FJI Wales)."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from inspections import demo, services
from inspections.domain.timeline import compute_timeline, fieldwork_holiday_problems, fieldwork_weeks
from inspections.domain.workdays import WorkingCalendar
from inspections.enums import ContactRole, Country, Inspectorate, Module, Programme, StaffRole, TeamRole
from inspections.models import Inspection, User, YouthOffendingTeam

DEMO_PASSWORD = "inspect-demo-2026"  # noqa: S105 - printed for local demo sign-in; refused in production

PEOPLE = [
    # username, first, last, role, extra
    ("lead", "Lena", "Hughes", StaffRole.LEAD_INSPECTOR, {}),
    ("lead2", "Owen", "Pritchard", StaffRole.LEAD_INSPECTOR, {}),
    ("assistant", "Sam", "Okafor", StaffRole.ASSISTANT_INSPECTOR, {}),
    ("assessor", "Priya", "Shah", StaffRole.LOCAL_ASSESSOR, {"yot": "leeds"}),
    ("sso", "Grace", "Kelly", StaffRole.SSO, {}),
    ("yotmanager", "Tom", "Barnes", StaffRole.YOT_MANAGER, {"yot": "manchester"}),
    ("yotmanager.wales", "Nia", "Evans", StaffRole.YOT_MANAGER, {"yot": "cardiff", "language": "cy"}),
    ("yotmanager.other", "Ruth", "Collins", StaffRole.YOT_MANAGER, {"yot": "liverpool"}),
    ("yotmanager.leicester", "Lee", "Grant", StaffRole.YOT_MANAGER, {"yot": "leicester"}),
    ("partner", "Ade", "Bello", StaffRole.PARTNER_INSPECTOR, {"inspectorate": Inspectorate.OFSTED}),
    ("partner.wales", "Elin", "Rowlands", StaffRole.PARTNER_INSPECTOR, {"inspectorate": Inspectorate.ESTYN}),
    ("admin", "Alex", "Morgan", StaffRole.ADMINISTRATOR, {}),
]


def next_clear_monday(after: dt.date, country: str, programme: str, min_working_days: int) -> dt.date:
    """The first Monday at least ``min_working_days`` away whose fieldwork weeks have no bank holiday."""
    calendar = WorkingCalendar(country)
    day = after + dt.timedelta(days=(7 - after.weekday()) % 7 or 7)
    while calendar.working_days_between(after, day) < min_working_days or fieldwork_holiday_problems(
        programme, country, day
    ):
        day += dt.timedelta(weeks=1)
    return day


class Command(BaseCommand):
    help = "Load demo users and inspections (development only). Prints a login for each role."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo refuses to run with DJANGO_ENV=production")
        call_command("load_yots", verbosity=0)
        with transaction.atomic():
            people = {
                username: self._person(username, first, last, role, extra)
                for username, first, last, role, extra in PEOPLE
            }
            created = self._inspections(people)
        if created:
            context = demo.DemoContext(people=people, inspections=created, write=self.stdout.write)
            for _name, step in demo.steps():
                with transaction.atomic():
                    step(context)
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})")
        for username, _first, _last, role, _extra in PEOPLE:
            yot = f", {people[username].yot}" if people[username].yot else ""
            self.stdout.write(f"  {username:<18} {role.label}{yot}")

    def _person(self, username, first, last, role, extra) -> User:
        user, created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.role = first, last, role
        user.email = f"{username}@example.gov.uk"
        if "yot" in extra:
            user.yot = YouthOffendingTeam.objects.get(code=extra["yot"])
        user.inspectorate = extra.get("inspectorate", "")
        if "language" in extra:  # a recorded preference: her emails and her pages are in Welsh
            user.language = extra["language"]
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    def _inspections(self, people):
        if Inspection.objects.exists():
            self.stdout.write("Inspections already loaded; leaving them as they are.")
            return {}
        today = timezone.localdate()
        created = {}
        specs = [
            (Programme.SQS, "manchester", [], True, 11),
            (Programme.SQS, "cardiff", [], True, 16),
            (Programme.FJI, "bristol", [Module.COURT_WORK, Module.GOVERNANCE], False, 25),
            # Wales's FJI, announced: casework's step takes it to a final sample with cases assessed and
            # the partner cases chosen, reports' step records service users' views.
            (Programme.FJI, "newport", [Module.COURT_WORK], True, 30),
        ]
        taken: set[dt.date] = set()  # the same team is on all four: one inspection on site a week
        for programme, code, modules, announce, lead_days in specs:
            yot = YouthOffendingTeam.objects.get(code=code)
            start = next_clear_monday(today, yot.country, programme, lead_days)
            while taken & set(fieldwork_weeks(programme, start)):
                start = next_clear_monday(start, yot.country, programme, 1)
            taken |= set(fieldwork_weeks(programme, start))
            inspection = services.inspection_create(
                created_by=people["lead"], programme=programme, yot=yot, fieldwork_start=start, modules=modules
            )
            services.team_member_add(
                inspection=inspection, by=people["lead"], user=people["assistant"], role=TeamRole.ASSISTANT_INSPECTOR
            )
            services.team_member_add(
                inspection=inspection,
                by=people["lead"],
                user=people["assessor"],
                role=TeamRole.LOCAL_ASSESSOR,
                supervisor=people["assistant"],
            )
            services.team_member_add(inspection=inspection, by=people["lead"], user=people["sso"], role=TeamRole.SSO)
            if programme == Programme.FJI:
                # Each country has its own partner inspectorates: Ofsted in England, Estyn in Wales.
                partner = people["partner.wales" if yot.country == Country.WALES else "partner"]
                services.team_member_add(
                    inspection=inspection, by=people["lead"], user=partner, role=TeamRole.PARTNER_INSPECTOR
                )
            director = (
                ContactRole.DIRECTOR_SOCIAL_CARE
                if yot.country == Country.WALES
                else ContactRole.DIRECTOR_CHILDRENS_SERVICES
            )
            slug = yot.code
            # An FJI's improvement plan is approved with the Youth Justice Board: its contact gets the link.
            yjb = [(ContactRole.YJB, "Yasmin Jones")] if programme == Programme.FJI else []
            for role, name in [
                (ContactRole.CHIEF_EXECUTIVE, "Alex Morgan"),
                (ContactRole.BOARD_CHAIR, "Jo Patel"),
                (director, "Chris Lloyd"),
                (
                    ContactRole.YOT_MANAGER,
                    "Tom Barnes" if code == "manchester" else "Nia Evans" if code == "cardiff" else "Sue Dale",
                ),
                *yjb,
            ]:
                # The YOT manager contact is the demo YOT manager's own address, so the announcement
                # links the contact to that account instead of inviting a second one.
                manager = {"manchester": "yotmanager", "cardiff": "yotmanager.wales"}.get(code)
                email = (
                    f"{manager}@example.gov.uk"
                    if role == ContactRole.YOT_MANAGER and manager
                    else f"{role}.{slug}@example.gov.uk"
                )
                services.contact_add(inspection=inspection, by=people["lead"], role=role, name=name, email=email)
            if announce:
                # Announce as if the call were made on the day the timeline gives.
                call_day = (
                    compute_timeline(programme=programme, country=yot.country, fieldwork_start=start)
                    .get("announcement")
                    .date
                )
                when = timezone.make_aware(dt.datetime.combine(min(call_day, today), dt.time(9, 45)))
                services.inspection_announce(
                    inspection=inspection, by=people["lead"], received_by="the YOT manager", now=when
                )
            self.stdout.write(
                f"{inspection.reference}: {inspection.get_programme_display()} of {yot.name}, "
                f"fieldwork {start:%A %-d %B %Y}"
            )
            created[code] = inspection
        created["leicester"] = self._inspected_fji(people, today)
        return created

    def _inspected_fji(self, people, today: dt.date) -> Inspection:
        """An FJI already inspected (Leicester), its fieldwork ten weeks ago: planned and announced on
        the days its timeline gives, so the reports' demo step can take it through both fieldwork weeks
        to the draft report and an approved improvement plan (issue 14)."""
        yot = YouthOffendingTeam.objects.get(code="leicester")
        start = today - dt.timedelta(days=today.weekday(), weeks=10)
        while fieldwork_holiday_problems(Programme.FJI, yot.country, start):
            start -= dt.timedelta(weeks=1)
        call_day = compute_timeline(programme=Programme.FJI, country=yot.country, fieldwork_start=start).get(
            "announcement"
        )
        inspection = services.inspection_create(
            created_by=people["lead"], programme=Programme.FJI, yot=yot, fieldwork_start=start,
            modules=[Module.GOVERNANCE], today=call_day.date - dt.timedelta(days=7),
        )  # fmt: skip
        for user, role, extra in (
            (people["assistant"], TeamRole.ASSISTANT_INSPECTOR, {}),
            (people["assessor"], TeamRole.LOCAL_ASSESSOR, {"supervisor": people["assistant"]}),
            (people["sso"], TeamRole.SSO, {}),
            (people["partner"], TeamRole.PARTNER_INSPECTOR, {}),
        ):
            services.team_member_add(inspection=inspection, by=people["lead"], user=user, role=role, **extra)
        for role, name, email in (
            (ContactRole.CHIEF_EXECUTIVE, "Alex Morgan", "chief_executive.leicester@example.gov.uk"),
            (ContactRole.BOARD_CHAIR, "Jo Patel", "board_chair.leicester@example.gov.uk"),
            (ContactRole.DIRECTOR_CHILDRENS_SERVICES, "Chris Lloyd", "director.leicester@example.gov.uk"),
            (ContactRole.YOT_MANAGER, "Lee Grant", "yotmanager.leicester@example.gov.uk"),
            (ContactRole.YJB, "Yasmin Jones", "yjb.leicester@example.gov.uk"),
        ):
            services.contact_add(inspection=inspection, by=people["lead"], role=role, name=name, email=email)
        when = timezone.make_aware(dt.datetime.combine(call_day.date, dt.time(9, 45)))
        services.inspection_announce(inspection=inspection, by=people["lead"], received_by="the YOT manager", now=when)
        self.stdout.write(
            f"{inspection.reference}: {inspection.get_programme_display()} of {yot.name}, "
            f"fieldwork {start:%A %-d %B %Y} (already inspected)"
        )
        return inspection
