"""Casework's tasks on the home page (issue 9 §4), registered in ``CaseworkConfig.ready``.

The YOT manager's long-list; the lead inspector's and SSO's case sample; the Concerns and Alerts
the lead inspector must act on; each assessor's cases not yet complete; the local assessors'
judgements their supervising inspector (and, for the whole inspection, the lead inspector) reviews.
Every query covers all the person's inspections at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.enums import AlertKind, AlertStatus, CaseStatus
from casework.models import Alert, Case, LongList, Review, Sample
from casework.services.assessment import case_rows, judgements_to_review, review_applies
from inspections.enums import Programme, Status, TeamRole
from inspections.gates import fieldwork_end_key
from inspections.models import Inspection, User
from inspections.rules import is_lead_inspector_of, is_on_team, is_sso_of, is_yot_manager_of
from inspections.services import milestone_done_keys
from inspections.todo import Task, link, milestone_of, register_provider, status_at_least

# The milestones whose tasks are made here rather than from the timeline alone.
CLAIMS = ("long_list_due", "sample_due")

# Local assessors' judgements are moderated before the scores the report is written from.
REVIEWS_DUE_BY = {Programme.SQS: "report_drafted", Programme.FJI: "report_agreed"}


def long_list_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    tasks = []
    for inspection in inspections:
        if is_yot_manager_of(user, inspection) and "long_list_due" not in milestone_done_keys(inspection):
            tasks.append(
                Task(
                    title=_("Send the long-list of cases"),
                    link=link("casework:longlist", inspection),
                    inspection=inspection,
                    deadline=milestone_of(inspection, "long_list_due"),
                )
            )
    return tasks


def sample_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    """Until the sample is final. The lead inspector sees the deadline from the start; the SSO once
    there is a long-list to select from."""
    pending = [
        i
        for i in inspections
        if not status_at_least(i, Status.SAMPLE_SELECTED) and (is_lead_inspector_of(user, i) or is_sso_of(user, i))
    ]
    if not pending:
        return []
    with_long_list = set(LongList.objects.filter(inspection__in=pending).values_list("inspection_id", flat=True))
    samples = dict(Sample.objects.filter(inspection__in=pending).values_list("inspection_id", "finalised_at"))
    tasks = []
    for inspection in pending:
        has_long_list = inspection.pk in with_long_list or status_at_least(inspection, Status.LONG_LIST_RECEIVED)
        if not has_long_list and not is_lead_inspector_of(user, inspection):
            continue
        if inspection.pk in samples and samples[inspection.pk] is None:
            title = _("Check the case sample and make it final")
        elif has_long_list:
            title = _("Select the case sample")
        else:
            title = _("Select the case sample when the YOT has sent its long-list")
        tasks.append(
            Task(
                title=title,
                link=link("casework:sample", inspection),
                inspection=inspection,
                deadline=milestone_of(inspection, "sample_due"),
            )
        )
    return tasks


def alert_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    """Seed 000 §13: the lead inspector records the action taken on every Concern and Alert."""
    led = {i.pk: i for i in inspections if is_lead_inspector_of(user, i)}
    if not led:
        return []
    alerts = Alert.objects.filter(case__inspection__in=list(led), status=AlertStatus.OPEN).select_related("case")
    tasks = []
    for alert in alerts.order_by("raised_at", "id"):
        inspection = led[alert.case.inspection_id]
        if alert.kind == AlertKind.ALERT:
            title = _("Record the action taken on the Alert about case %(case)s")
        else:
            title = _("Record the action taken on the Concern about case %(case)s")
        tasks.append(
            Task(
                title=title % {"case": alert.case.label},
                link=link("casework:alerts", inspection),
                inspection=inspection,
            )
        )
    return tasks


def assessment_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    """The cases allocated to the person and not yet complete, due by the end of fieldwork."""
    on_team = {i.pk: i for i in inspections if is_on_team(user, i)}
    if not on_team:
        return []
    cases = (
        Case.objects.filter(inspection__in=list(on_team), assessor=user, status=CaseStatus.SELECTED)
        .exclude(reference="")
        .filter(Q(assessment__isnull=True) | Q(assessment__completed_at__isnull=True))
        .values_list("inspection_id", "pk", "reference", "assessment__pk")
        .order_by("inspection_id", "position", "pk")
    )
    tasks = []
    for inspection_id, pk, reference, assessment_pk in cases:
        inspection = on_team[inspection_id]
        title = _("Finish assessing case %(case)s") if assessment_pk else _("Assess case %(case)s")
        tasks.append(
            Task(
                title=title % {"case": reference},
                link=link("casework:case", inspection, pk),
                inspection=inspection,
                deadline=milestone_of(inspection, fieldwork_end_key(inspection.programme)),
            )
        )
    return tasks


def review_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    """Local assessors' completed cases with judgements not yet reviewed (seed 000 §4).

    Their supervising inspector reviews case by case; the lead inspector moderates the whole
    inspection, so sees one task for it, on the moderation page.
    """
    # From the prefetched team: whose cases each person reviews, on which inspection.
    reviewed: dict[int, set[int]] = {}
    by_pk: dict[int, Inspection] = {}
    for inspection in inspections:
        assessors = {m.user_id: m.supervisor_id for m in inspection.team.all() if m.role == TeamRole.LOCAL_ASSESSOR}
        if is_lead_inspector_of(user, inspection):
            mine = set(assessors)
        else:
            mine = {assessor for assessor, supervisor in assessors.items() if supervisor == user.pk}
        if mine:
            reviewed[inspection.pk] = mine
            by_pk[inspection.pk] = inspection
    if not reviewed:
        return []
    wanted = Q()
    for inspection_pk, assessors in reviewed.items():
        wanted |= Q(inspection_id=inspection_pk, assessor_id__in=assessors)
    cases = list(
        Case.objects.filter(wanted, status=CaseStatus.SELECTED, assessment__completed_at__isnull=False)
        .exclude(reference="")
        .order_by("inspection_id", "position", "pk")
    )
    for case in cases:
        case.inspection = by_pk[case.inspection_id]  # loaded already: routing reads its programme and YOT
    states = case_rows(cases)
    reviews: dict[int, dict[str, Review]] = defaultdict(dict)
    for review in Review.objects.filter(assessment__case__in=cases):
        reviews[review.assessment_id][review.question_id] = review
    to_review: dict[int, list[Case]] = defaultdict(list)
    for state in states:
        done = reviews[state.assessment.pk]
        if any(not review_applies(done.get(qid), state.answers) for qid in judgements_to_review(state)):
            to_review[state.case.inspection_id].append(state.case)
    tasks = []
    for inspection_pk, waiting in to_review.items():
        inspection = by_pk[inspection_pk]
        deadline = milestone_of(inspection, REVIEWS_DUE_BY[inspection.programme])
        if is_lead_inspector_of(user, inspection):
            title = ngettext(
                "Moderate the local assessors’ judgements: %(n)d case to review",
                "Moderate the local assessors’ judgements: %(n)d cases to review",
                len(waiting),
            ) % {"n": len(waiting)}
            tasks.append(Task(title, link("casework:moderation", inspection), inspection, deadline))
            continue
        for case in waiting:
            tasks.append(
                Task(
                    _("Review the local assessor’s judgements on case %(case)s") % {"case": case.label},
                    link("casework:review", inspection, case.pk),
                    inspection,
                    deadline,
                )
            )
    return tasks


def casework_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    return [
        *long_list_tasks(user, inspections),
        *sample_tasks(user, inspections),
        *alert_tasks(user, inspections),
        *assessment_tasks(user, inspections),
        *review_tasks(user, inspections),
    ]


def register() -> None:
    register_provider(casework_tasks, claims=CLAIMS)
