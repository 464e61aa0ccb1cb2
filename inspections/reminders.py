"""Send the reminders of the YOT's deadlines (Celery beat runs :func:`reminders_send`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from inspections.deadlines import milestones_of
from inspections.domain.reminders import OVERDUE, reminder_key, reminders_due
from inspections.enums import Programme, Status
from inspections.models import Inspection, Notification
from inspections.notifications import absolute_url, notify, yot_managers_of

# Where the YOT does what each of its milestones asks. Other apps' pages are named, not imported.
MILESTONE_PAGES = {
    "long_list_due": "casework:longlist",
    "iia_due": "inspections:documents",
    "factual_accuracy_due": "reports:draft",
    "final_schedule_due": "scheduling:schedule",
    "week2_schedule_due": "inspections:timeline",
    "improvement_plan_due": "reports:improvement_plan",
}


def milestone_link(inspection: Inspection, key: str) -> str:
    name = MILESTONE_PAGES.get(key, "inspections:timeline")
    return absolute_url(reverse(name, kwargs={"reference": inspection.reference}))


def live_inspections():
    """Inspections whose YOT may still have a deadline: every one from announcement to publication,
    and a published FJI until its improvement plan is sent (due weeks after publication)."""
    plan_awaited = Q(status=Status.PUBLISHED, programme=Programme.FJI) & ~Q(
        milestone_completions__key="improvement_plan_due"
    )
    return (
        Inspection.objects.filter(~Q(status__in=(Status.PLANNED, Status.PUBLISHED)) | plan_awaited)
        .select_related("yot")
        .prefetch_related("milestone_completions", "documents")
    )


def reminders_send(*, now: dt.datetime | None = None) -> list[Notification]:
    """Create (once each) every reminder due by ``now``; each is sent by its own task after commit."""
    from inspections.services import milestone_done_keys

    now = now or timezone.now()
    created: list[Notification] = []
    inspections = list(live_inspections())
    milestones = milestones_of(inspections)
    for inspection in inspections:
        due = reminders_due(
            milestones=milestones[inspection.pk],
            done=milestone_done_keys(inspection),
            now=now,
            country=inspection.country,
        )
        if not due:
            continue
        managers = yot_managers_of(inspection)
        for reminder in due:
            for person in managers:
                notification = notify(
                    key=reminder_key(inspection.reference, reminder.milestone.key, reminder.kind, person.pk),
                    kind=f"reminder_{reminder.kind}",
                    template="reminder_overdue" if reminder.kind == OVERDUE else "reminder_due",
                    context={
                        "inspection": inspection,
                        "milestone": reminder.milestone,
                        "link": milestone_link(inspection, reminder.milestone.key),
                    },
                    recipient=person,
                    inspection=inspection,
                )
                if notification is not None:
                    created.append(notification)
    return created
