"""Test data for reports: assessed cases with known answers, against the real question bank."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from casework.enums import AlertKind, Heading
from casework.models import Alert, Answer, Assessment, Case, LongList, LongListEntry, Review
from inspections.enums import ContactRole, Country, StaffRole, Status, TeamRole
from inspections.models import Contact, Inspection, User
from inspections.tests import factories as f

S, I = "Sufficient", "Insufficient"  # noqa: E741 (the bank's two judgement answers, as in the tables)
_seq = itertools.count(1)

GOALS = "Goals not clear, specific, achievable or meaningful to the child or young person"

# The known set (issue 5 tests): six SQS cases in England.
#   1.1.1 (reoffending): 5 of 6 Sufficient = 83.3%  -> strength
#   2.1.1 (reoffending): 2 of 6 = 33.3%             -> area for improvement; reasons "Plan not timely" 3, goals 2
#   1.10.1 (public): 4 of 6 = 66.7% (case 6 Insufficient, reviewed to Sufficient) -> neither
#   1.13.1 (child): 4 of 4 = 100% but fewer than 5 judgements -> not a finding
#   theme reoffending 7 of 12 = 58.3% -> area for improvement; overall 15 of 22 = 68.2%
KNOWN_111 = [S, S, S, S, S, I]
KNOWN_211 = [S, I, I, I, I, S]
KNOWN_1101 = [S, S, S, I, I, I]  # the sixth is reviewed to Sufficient
KNOWN_1131 = [S, S, S, S, None, None]
KNOWN_213 = {
    1: ["Plan not timely", "Other"],
    2: ["Plan not timely", GOALS, "Other"],
    3: ["Plan not timely", "Other", "Insufficient attention to ETE needs"],
    4: [GOALS, "Other"],
}
CHILD_NAMES = [
    ("Ashworth", "Bethany"),
    ("Castleton", "Dylan"),
    ("Egremont", "Freya"),
    ("Gisburn", "Harvey"),
    ("Ingleby", "Jasmine"),
    ("Kettlewell", "Liam"),
]


def long_list(inspection: Inspection, by: User) -> LongList:
    return LongList.objects.create(
        inspection=inspection,
        version=1,
        original_name="long-list.xlsx",
        file_format="xlsx",
        uploaded_by=by,
        row_count=6,
    )


def entry(
    ll: LongList, n: int, *, family: str, first: str, gender: str, born: dt.date, heading: str = Heading.COMMUNITY
) -> LongListEntry:
    return LongListEntry.objects.create(
        long_list=ll,
        heading=heading,
        row_number=n,
        case_id=f"YOT-{n:04d}",
        family_name=family,
        first_names=first,
        gender=gender,
        date_of_birth=born,
        ethnicity="White - British",
        order_type="Referral Order",
        sentence_date=dt.date(2026, 10, 1),
        sentence_length="12 months",
        scaled_approach="Standard",
        vulnerability="Low",
        rosh="Low",
        looked_after=False,
        child_protection=False,
        case_manager="Pat Case",
        case_manager_email="pat@yot.example.gov.uk",
        line_manager="Sam Line",
        office="Town Hall",
    )


def assessed_case(
    inspection: Inspection,
    answers: dict[str, object],
    *,
    by: User,
    position: int,
    heading: str = Heading.COMMUNITY,
    entry_: LongListEntry | None = None,
    reviewed: dict[str, object] | None = None,
    alert: bool = False,
    completed: bool = True,
) -> Case:
    """A case of the sample with its assessment: completed unless ``completed=False`` (only
    completed assessments are scored)."""
    case = Case.objects.create(
        inspection=inspection, entry=entry_, reference=f"HMIP-{position:02d}", heading=heading, position=position
    )
    assessment = Assessment.objects.create(
        case=case,
        bank_version="2015-01",
        started_by=by,
        completed_at=timezone.now() if completed else None,
        completed_by=by if completed else None,
    )
    for question_id, value in answers.items():
        Answer.objects.create(assessment=assessment, question_id=question_id, value=value, updated_by=by)
    for question_id, value in (reviewed or {}).items():
        Review.objects.create(
            assessment=assessment,
            question_id=question_id,
            original_value=answers.get(question_id),
            reviewed_value=value,
            agreed=False,
            reason="Moderated",
            reviewer=by,
        )
    if alert:
        Alert.objects.create(case=case, kind=AlertKind.CONCERN, description="Concern", raised_by=by)
    return case


def known_cases(inspection: Inspection, *, by: User, with_entries: bool = True) -> list[Case]:
    ll = long_list(inspection, by) if with_entries else None
    cases = []
    for n in range(6):
        answers: dict[str, object] = {"1.1.1": KNOWN_111[n], "2.1.1": KNOWN_211[n], "1.10.1": KNOWN_1101[n]}
        if KNOWN_1131[n]:
            answers["1.13.1"] = KNOWN_1131[n]
        if n in KNOWN_213:
            answers["2.1.3"] = KNOWN_213[n]
        if n == 5:
            answers["1.1.3"] = ["Assessment not timely"]
        answers["2.20"] = f"Planning narrative for case {n + 1}: {CHILD_NAMES[n][1]} needed a clearer plan."
        family, first = CHILD_NAMES[n]
        e = None
        if ll is not None:
            e = entry(
                ll,
                n + 1,
                family=family,
                first=first,
                gender="Male" if n % 2 else "Female",
                born=dt.date(2010 - n % 3, 3, 1),
            )
        cases.append(
            assessed_case(
                inspection,
                answers,
                by=by,
                position=n + 1,
                entry_=e,
                heading=Heading.FIRST_TIER if n < 2 else Heading.COMMUNITY,
                reviewed={"1.10.1": S} if n == 5 else None,
            )
        )
    return cases


def report_contacts(inspection: Inspection) -> None:
    f.announcement_contacts(inspection)
    Contact.objects.filter(inspection=inspection, role=ContactRole.BOARD_CHAIR).update(name="Morgan Chair")
    Contact.objects.create(
        inspection=inspection,
        role=ContactRole.POLICE_CRIME_COMMISSIONER,
        name="Pat Commissioner",
        email="pcc@example.gov.uk",
    )


def world(
    *,
    country: str = Country.ENGLAND,
    programme: str = "sqs",
    status: str = Status.DRAFT_REPORT,
    name: str = "Northshire",
):
    """The personas of issue 5's access tests, on an inspection with the known cases."""
    yot = f.yot(name=name, country=country)
    other = f.yot(name=f"Other {next(_seq)}")
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username=f"lead{next(_seq)}", first_name="Lena", last_name="Hughes")
    inspection = f.inspection(lead=lead, yot_=yot, status=status, programme=programme)
    people = {
        "lead": lead,
        "assistant": f.member(inspection, TeamRole.ASSISTANT_INSPECTOR),
        "sso": f.member(inspection, TeamRole.SSO),
        "assessor": f.member(inspection, TeamRole.LOCAL_ASSESSOR, yot=other),
        "yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=yot),
        "stranger": f.user(role=StaffRole.YOT_MANAGER, yot=other),
    }
    report_contacts(inspection)
    known_cases(inspection, by=lead)
    return inspection, people


def finish_sections(report, by: User, *, welsh: bool = False) -> None:
    """Write over every prompt in square brackets the draft leaves, as the lead inspector does
    before sending it (and, with ``welsh``, enter each section's Welsh version)."""
    from reports.domain.gates import PLACEHOLDER
    from reports.services import section_save

    for section in report.sections.prefetch_related("versions"):
        current = section.current
        text = PLACEHOLDER.sub("The lead inspector's own words.", current.text)
        text_cy = f"Cymraeg: {section.title}" if welsh else current.text_cy
        section_save(section=section, by=by, text=text, text_cy=text_cy)


def after_the_check(report) -> dt.datetime:
    """A moment after the YOT's factual accuracy deadline: publication may go ahead."""
    from reports.services import comments_close_at

    return comments_close_at(report) + dt.timedelta(minutes=1)
