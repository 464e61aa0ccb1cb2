"""The report's tasks on the home page (issue 9 §4), registered in ``ReportsConfig.ready``.

The lead inspector sends the draft to the YOT manager (with the FJI star judgements set), answers
the YOT manager's factual-accuracy comments and publishes; the YOT manager checks the draft while
the factual accuracy check is open (seed 000 §14.3). Every query covers all the person's
inspections at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inspections.enums import Programme, Status
from inspections.models import Inspection, User
from inspections.rules import is_lead_inspector_of, is_yot_manager_of
from inspections.services import milestone_done_keys
from inspections.todo import Task, link, milestone_of, register_provider, status_at_least
from reports.enums import CommentStatus, PlanDecider, PlanStatus, ReportStage
from reports.models import FactualComment, ImprovementPlanVersion, Judgement, Report
from reports.services import comments_open

CLAIMS = ("draft_report_due", "factual_accuracy_due", "publication_due")


def _lead_tasks(inspection: Inspection, open_comments: int, unset_judgements: int) -> list[Task]:
    tasks = []
    reports_page = link("reports:reports", inspection)
    if not status_at_least(inspection, Status.FACTUAL_ACCURACY):
        draft_due = milestone_of(inspection, "draft_report_due")
        if unset_judgements:
            title = ngettext(
                "Set the star judgements: %(n)d not set yet",
                "Set the star judgements: %(n)d not set yet",
                unset_judgements,
            ) % {"n": unset_judgements}
            tasks.append(Task(title, link("reports:draft", inspection), inspection, draft_due))
        tasks.append(Task(_("Send the draft report to the YOT manager to check"), reports_page, inspection, draft_due))
    if open_comments:
        title = ngettext(
            "Answer %(n)d comment from the YOT manager on the draft report",
            "Answer %(n)d comments from the YOT manager on the draft report",
            open_comments,
        ) % {"n": open_comments}
        tasks.append(
            Task(title, link("reports:draft", inspection), inspection, milestone_of(inspection, "publication_due"))
        )
    if inspection.status != Status.PUBLISHED:
        tasks.append(
            Task(_("Publish the report"), reports_page, inspection, milestone_of(inspection, "publication_due"))
        )
    return tasks


def _yot_manager_task(inspection: Inspection, report: Report | None) -> Task | None:
    """While the check is open; before the draft arrives, the deadline to plan for."""
    if inspection.status == Status.PUBLISHED or "factual_accuracy_due" in milestone_done_keys(inspection):
        return None
    deadline = milestone_of(inspection, "factual_accuracy_due")
    if report is None or report.stage == ReportStage.DRAFTING:
        return Task(
            _("Check the draft report for factual accuracy when it arrives"),
            link("reports:reports", inspection),
            inspection,
            deadline,
        )
    if comments_open(report, timezone.now()):
        return Task(
            _("Check the draft report for factual accuracy"), link("reports:draft", inspection), inspection, deadline
        )
    return None


def report_tasks(user: User, inspections: Sequence[Inspection]) -> list[Task]:
    led = [i for i in inspections if is_lead_inspector_of(user, i)]
    managed = [i for i in inspections if is_yot_manager_of(user, i)]
    if not led and not managed:
        return []
    mine = [*led, *managed]
    reports = {r.inspection_id: r for r in Report.objects.filter(inspection__in=mine)}
    for inspection in mine:
        if inspection.pk in reports:
            reports[inspection.pk].inspection = inspection  # the deadline of the check is on its timeline
    open_comments: dict[int, int] = {}
    unset: dict[int, int] = {}
    if led:
        comments = (
            FactualComment.objects.filter(section__report__inspection__in=led, status=CommentStatus.OPEN)
            .values("section__report__inspection_id")
            .annotate(n=Count("id"))
        )
        open_comments = {row["section__report__inspection_id"]: row["n"] for row in comments}
        fji = [i for i in led if i.programme == Programme.FJI]
        if fji:
            judgements = (
                Judgement.objects.filter(
                    report__inspection__in=fji, report__stage=ReportStage.DRAFTING, stars__isnull=True
                )
                .values("report__inspection_id")
                .annotate(n=Count("id"))
            )
            unset = {row["report__inspection_id"]: row["n"] for row in judgements}
    tasks = []
    for inspection in led:
        tasks.extend(
            _lead_tasks(
                inspection,
                open_comments.get(inspection.pk, 0),
                unset.get(inspection.pk, 0),
            )
        )
    for inspection in managed:
        task = _yot_manager_task(inspection, reports.get(inspection.pk))
        if task is not None:
            tasks.append(task)
    tasks.extend(_plan_tasks([i for i in led if i.programme == Programme.FJI]))
    return tasks


def _plan_tasks(led_fji: Sequence[Inspection]) -> list[Task]:
    """The lead inspector decides on each improvement plan version sent (reports/improvement.py)."""
    if not led_fji:
        return []
    by_pk = {i.pk: i for i in led_fji}
    waiting = (
        ImprovementPlanVersion.objects.filter(plan__inspection__in=led_fji, plan__status=PlanStatus.SUBMITTED)
        .exclude(decisions__decider=PlanDecider.HMIP)
        .order_by("plan_id", "-number")
        .values_list("plan__inspection_id", "number")
    )
    newest: dict[int, int] = {}
    for inspection_id, number in waiting:
        newest.setdefault(inspection_id, number)
    return [
        Task(
            _("Decide on the improvement plan, version %(n)d") % {"n": number},
            link("reports:improvement_plan", by_pk[inspection_id]),
            by_pk[inspection_id],
            None,
        )
        for inspection_id, number in newest.items()
    ]


def register() -> None:
    register_provider(report_tasks, claims=CLAIMS)
