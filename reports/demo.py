"""Demo data for reports (registered in ``ReportsConfig.ready``), run after the schedule step.

The inspection week comes first: casework's ``fieldwork`` assesses three Manchester cases in full
(the schedule, now final, has allocated them), raises a Concern and records a supervisor's review.
Manchester's report is not generated (a generation job renders PDFs, and loading the demo must stay
fast): generate the draft from its report page.

Newport's FJI (Wales) gets three service users' views (seed 001 §10): a child and a parent
interviewed about cases of the sample (the parent's by the Estyn partner inspector, about one of
Estyn's cases) and a victim's questionnaire not tied to a case.

Leicester's FJI, inspected ten weeks ago, is taken through both fieldwork weeks to the draft report
and an approved improvement plan (``inspected_fji``); its draft report is the one report the demo
generates.
"""

from __future__ import annotations

import datetime as dt

from casework.demo import fieldwork
from casework.models import PartnerCase
from inspections.demo import DemoContext
from inspections.enums import Inspectorate
from reports import voices

# Who gave the view, how, on which day of the fieldwork, the three answers, their words, consent to quote.
VIEWS = (
    ("child", "interview", 7, ("yes", "yes", "partly"), "Having the same worker all the way through.",
     "Meetings after school, not in the middle of lessons.", True),
    ("parent", "interview", 8, ("partly", "yes", "yes"), "The worker helped us get the school to take him back.",
     "We did not know who to call when the worker was away.", True),
    ("victim", "questionnaire", 9, ("no", "partly", "not_said"), "", "I was not told when the order finished.",
     False),
)  # fmt: skip


def step(context: DemoContext) -> None:
    fieldwork(context)
    _service_users(context)
    inspected_fji(context)


def _service_users(context: DemoContext) -> None:
    inspection = context.inspections.get("newport")
    if inspection is None:
        return
    people = context.people
    cases = voices.sample_cases(inspection)
    estyn = (
        PartnerCase.objects.filter(case__inspection=inspection, inspectorate=Inspectorate.ESTYN)
        .select_related("case")
        .order_by("case__position")
        .first()
    )
    about = [cases[0] if cases else None, estyn.case if estyn else None, None]
    recorders = [people["lead"], people["partner.wales"] if estyn else people["assistant"], people["assistant"]]
    for (kind, method, day, answers, helped_most, better, quote), case, by in zip(VIEWS, about, recorders, strict=True):
        understood, listened, helped = answers
        voices.view_record(
            inspection=inspection, by=by, case=case, kind=kind, method=method,
            held_on=inspection.fieldwork_start + dt.timedelta(days=day), understood=understood, listened=listened,
            helped=helped, helped_most=helped_most, could_be_better=better, may_quote=quote,
        )  # fmt: skip
    context.write(f"{inspection.reference}: {len(VIEWS)} service users' views recorded")


# --- Leicester: an FJI already inspected, through both weeks to an approved improvement plan -------

PLAN_PDF = b"%PDF-1.4\n% Leicester YOT improvement plan (demo)\n%%EOF\n"


def inspected_fji(context: DemoContext) -> None:
    """Leicester's FJI, whose fieldwork was ten weeks ago, done through the services in order:
    long-list, final sample, availability and a final schedule; fieldwork week 1 (three cases
    assessed); week 2 (a focus group sent by the YOT, confirmed, its findings recorded by the partner
    inspector) and two service users' views; the draft report generated (the only report the demo
    makes: a second or two), judged and sent to the YOT; the improvement plan sent by the YOT and
    approved by the lead inspector and the YJB contact."""
    import random

    from casework import demo as casework_demo
    from casework.services.sample import sample_finalise
    from inspections import services as inspection_services
    from inspections.enums import Status
    from reports import improvement
    from reports import services as reporting
    from reports.domain.gates import PLACEHOLDER
    from reports.enums import JobKind, PlanDecider, PlanDecisionKind
    from reports.generation import GENERATORS
    from reports.models import Report
    from scheduling import demo as scheduling_demo
    from scheduling import services_week2 as week2
    from scheduling import week2 as W
    from scheduling.domain.model import Window
    from scheduling.enums import Week2Kind
    from scheduling.services import schedule_finalise, schedule_send, schedule_solve

    inspection = context.inspections.get("leicester")
    if inspection is None:
        return
    people = context.people
    lead, sso, manager = people["lead"], people["sso"], people["yotmanager.leicester"]
    sample = casework_demo.long_list_and_sample(inspection, yot_manager=manager, sso=sso, seed=2505)
    sample_finalise(sample=sample, by=sso)
    scheduling_demo.availability(inspection, by=manager)
    if not schedule_solve(inspection=inspection, by=sso, time_limit_s=5, seed=0).found:
        context.write(f"{inspection.reference}: no schedule found; stopped")
        return
    schedule_send(inspection=inspection, by=manager)  # an FJI's draft goes from the YOT to the lead inspector
    schedule_finalise(inspection=inspection, by=lead)
    inspection_services.inspection_set_status(inspection=inspection, to_status=Status.FIELDWORK, by=lead)
    cases = casework_demo.assess_in_full(inspection, people, count=3, rng=random.Random(2606))  # noqa: S311
    # Week 2: a focus group the YOT arranges, confirmed with the partner inspector, who records what it found.
    monday = week2.week2_monday(inspection)
    session = week2.week2_session_propose(
        inspection=inspection, by=manager, kind=Week2Kind.FOCUS_GROUP, title="Focus group with case managers",
        day=monday + dt.timedelta(days=1), window=Window.parse("09:00-10:00"), strand=W.CORE_STRAND,
        attendees=[W.Attendee("A. Khan", "case manager"), W.Attendee("B. Jones", "case manager")],
        nobody_available=False,
    )  # fmt: skip
    week2.week2_schedule_send(inspection=inspection, by=manager)
    week2.week2_session_confirm(session=session, by=lead, inspectors=[lead, people["partner"]], expected_revision=None)
    session.refresh_from_db()
    week2.week2_findings_record(
        session=session, by=people["partner"], informs=["theme-child"], expected_revision=session.revision,
        findings="Case managers know the children well; their health needs are rarely assessed.",
    )  # fmt: skip
    for (kind, method, _day, answers, helped_most, better, quote), case in zip(VIEWS[:2], cases, strict=False):
        voices.view_record(
            inspection=inspection, by=lead, case=case, kind=kind, method=method, held_on=monday + dt.timedelta(days=2),
            understood=answers[0], listened=answers[1], helped=answers[2], helped_most=helped_most,
            could_be_better=better, may_quote=quote,
        )  # fmt: skip
    inspection_services.inspection_set_status(inspection=inspection, to_status=Status.DRAFT_REPORT, by=lead)
    job = reporting.job_create(kind=JobKind.FJI, by=lead, inspection=inspection)
    # Built here, inside the demo step's transaction, rather than after it commits: the job's own task
    # then finds it done and does nothing (its claim allows one run).
    GENERATORS[JobKind.FJI](job_id=job.pk)
    job.refresh_from_db()
    report = Report.objects.filter(inspection=inspection).first()
    if report is None:
        context.write(f"{inspection.reference}: the draft report was not generated ({job.message}); stopped")
        return
    for judgement in report.judgements.all():
        reporting.judgement_set(judgement=judgement, by=lead, stars=judgement.proposed_stars or 3)
    for section in report.sections.prefetch_related("versions"):
        current = section.current
        text = PLACEHOLDER.sub("The lead inspector's words.", current.text)
        reporting.section_save(section=section, by=lead, text=text, text_cy=current.text_cy)
    reporting.report_send(report=report, by=lead)
    inspection.refresh_from_db()
    version = improvement.plan_send(inspection=inspection, by=manager, data=PLAN_PDF, filename="improvement-plan.pdf")
    improvement.plan_decide(version=version, decider=PlanDecider.HMIP, kind=PlanDecisionKind.APPROVE, by_user=lead)
    improvement.plan_decide(
        version=version, decider=PlanDecider.YJB, kind=PlanDecisionKind.APPROVE, by_name="Yasmin Jones"
    )
    context.write(
        f"{inspection.reference}: both fieldwork weeks done, draft report sent to the YOT, improvement plan approved"
    )
