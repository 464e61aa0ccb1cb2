"""Reminders of the YOT's deadlines: the day before, and the morning after one is missed; never twice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from inspections.domain.milestones import HMIP, YOT
from inspections.domain.reminders import DUE, OVERDUE, reminders_due
from inspections.domain.timeline import Milestone
from inspections.enums import StaffRole, Status
from inspections.models import MilestoneCompletion, Notification
from inspections.reminders import reminders_send
from inspections.tests import factories as f

LONDON = ZoneInfo("Europe/London")


def _at(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def _milestone(date: str, time: dt.time | None = dt.time(12, 0), owner: str = YOT, deadline: bool = True):
    day = dt.date.fromisoformat(date)
    return Milestone("m", "A milestone", owner, day, time, day, deadline, "", "")


# Thursday 28 January 2027 at noon; Tuesday 30 March 2027 comes after Good Friday and Easter Monday,
# so the working day before it is Thursday 25 March and the morning after it is Wednesday 31 March.
@pytest.mark.parametrize(
    ("deadline", "now", "expected"),
    [
        ("2027-01-28", _at("2027-01-27", "07:59"), []),
        ("2027-01-28", _at("2027-01-27", "08:00"), [DUE]),
        ("2027-01-28", _at("2027-01-28", "11:59"), [DUE]),
        ("2027-01-28", _at("2027-01-28", "12:00"), []),
        ("2027-01-28", _at("2027-01-29", "07:59"), []),
        ("2027-01-28", _at("2027-01-29", "08:00"), [OVERDUE]),
        ("2027-01-28", _at("2027-02-03", "15:00"), [OVERDUE]),
        ("2027-03-30", _at("2027-03-25", "08:00"), [DUE]),
        ("2027-03-30", _at("2027-03-24", "17:00"), []),
        ("2027-03-30", _at("2027-03-30", "16:00"), []),
        ("2027-03-30", _at("2027-03-31", "08:00"), [OVERDUE]),
    ],
    ids=[
        "day-before-too-early",
        "day-before-morning",
        "deadline-day-before-noon",
        "at-the-deadline",
        "next-morning-too-early",
        "next-morning",
        "days-later",
        "easter-day-before-skips-bank-holidays",
        "easter-two-days-before",
        "easter-deadline-day-after-noon",
        "easter-next-morning",
    ],
)
def test_reminders_due_the_day_before_and_the_morning_after(deadline, now, expected):
    due = reminders_due(milestones=[_milestone(deadline)], done=set(), now=now, country="england")
    assert [r.kind for r in due] == expected


@pytest.mark.parametrize(
    "milestone",
    [_milestone("2027-01-28", owner=HMIP), _milestone("2027-01-28", deadline=False)],
    ids=["hmip-milestone", "not-a-deadline"],
)
def test_no_reminder_for_what_the_yot_does_not_owe(milestone):
    assert reminders_due(milestones=[milestone], done=set(), now=_at("2027-01-27", "09:00"), country="england") == []


def test_no_reminder_for_a_milestone_already_done():
    due = reminders_due(
        milestones=[_milestone("2027-01-28")], done={"m"}, now=_at("2027-01-29", "09:00"), country="wales"
    )
    assert due == []


@pytest.mark.django_db
def test_reminders_go_once_to_each_yot_manager_however_often_beat_runs(django_capture_on_commit_callbacks):
    inspection = f.inspection(status=Status.ANNOUNCED)
    managers = [f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot) for _ in range(2)]
    f.user(role=StaffRole.YOT_MANAGER, yot=f.yot())  # another YOT's manager hears nothing
    long_list_due = inspection.timeline.get("long_list_due")
    day_before = _at("2027-01-27", "09:00")
    assert long_list_due.date == dt.date(2027, 1, 28)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_send(now=day_before)
    sent = sorted((m.to[0], m.subject) for m in mail.outbox if "long-list" in m.subject.lower())
    assert sent == sorted(
        (m.email, f"Reminder: due soon for inspection {inspection.reference}: "
         "YOT sends the long-list of cases, with case manager availability") for m in managers
    )  # fmt: skip
    assert f"http://testserver/inspections/{inspection.reference}/long-list/" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=_at("2027-01-29", "08:30"))
        reminders_send(now=_at("2027-01-29", "09:30"))
    overdue = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Overdue"))
    assert overdue == sorted(m.email for m in managers)
    assert Notification.objects.filter(kind="reminder_overdue", inspection=inspection).count() == 2


@pytest.mark.django_db
def test_no_reminder_once_the_milestone_is_done_or_the_inspection_is_not_live(django_capture_on_commit_callbacks):
    done = f.inspection(status=Status.ANNOUNCED)
    f.user(role=StaffRole.YOT_MANAGER, yot=done.yot)
    MilestoneCompletion.objects.create(inspection=done, key="long_list_due", done_by=done.lead_inspector)
    planned = f.inspection(status=Status.PLANNED)
    f.user(role=StaffRole.YOT_MANAGER, yot=planned.yot)
    with django_capture_on_commit_callbacks(execute=True):
        created = reminders_send(now=_at("2027-01-27", "09:00"))
    assert [n.key for n in created if "long_list_due" in n.key] == []


@pytest.mark.django_db
def test_a_draft_sent_late_moves_the_factual_accuracy_reminders_to_the_real_deadline(
    django_capture_on_commit_callbacks,
):
    from reports.models import Report

    inspection = f.inspection(status=Status.FACTUAL_ACCURACY)
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot)
    planned = inspection.timeline.get("factual_accuracy_due")
    # Sent two working days after the planned deadline: three working days from then.
    sent = _at(planned.date.isoformat(), "10:00") + dt.timedelta(days=2)
    Report.objects.create(inspection=inspection, stage="factual_accuracy", sent_at=sent)
    the_morning_after_planned = _at((planned.date + dt.timedelta(days=1)).isoformat(), "09:00")
    with django_capture_on_commit_callbacks(execute=True):
        created = reminders_send(now=the_morning_after_planned)
    keys = [n.key for n in created]
    assert f"reminder:{inspection.reference}:factual_accuracy_due:overdue:{manager.pk}" not in keys
