"""Demo data for the schedule, made through scheduling's own services (registered in ``SchedulingConfig.ready``).

Manchester (SQS), once casework's step has made its sample final: the YOT manager enters each case
manager's availability (most are available all three days; one works part-time and is in only on the
Tuesday morning besides Monday and Wednesday; one is returning from absence); the SSO solves the
schedule (5 seconds at most, seed 0), sends it to the YOT and makes it final, which allocates each
case to the team member whose slot it is in and moves the inspection to "schedule final".
"""

from __future__ import annotations

import datetime as dt

from inspections.demo import DemoContext
from inspections.enums import Status
from inspections.models import Inspection
from scheduling import selectors
from scheduling.services import DayEntry, availability_save, schedule_finalise, schedule_send, schedule_solve

SOLVER_SECONDS = 5
SOLVER_SEED = 0
PART_TIME = 1  # index (by name) of the case manager who is in on Tuesday mornings only
RETURNING = 2  # index of the case manager returning from absence
TUESDAY = 1  # SQS fieldwork is Monday to Wednesday


def step(context: DemoContext) -> None:
    inspection = context.inspections.get("manchester")
    if inspection is None:
        return
    inspection.refresh_from_db()
    if inspection.status != Status.SAMPLE_SELECTED:
        context.write(f"{inspection.reference}: no schedule (the sample is not final)")
        return
    _availability(inspection, by=context.people["yotmanager"])
    sso = context.people["sso"]
    outcome = schedule_solve(inspection=inspection, by=sso, time_limit_s=SOLVER_SECONDS, seed=SOLVER_SEED)
    if not outcome.found:
        problems = "; ".join(str(p.message) for p in outcome.problems)
        context.write(f"{inspection.reference}: no schedule found ({outcome.status}): {problems}")
        return
    schedule_send(inspection=inspection, by=sso)
    version = schedule_finalise(inspection=inspection, by=sso)
    context.write(f"{inspection.reference}: schedule version {version.number} sent and made final")


def _availability(inspection: Inspection, *, by) -> None:
    groups, _no_email = selectors.case_manager_groups(inspection)
    days = inspection.fieldwork_days
    for index, group in enumerate(groups):
        entries = [DayEntry(day=day) for day in days]  # available all day
        needs = ""
        if index == PART_TIME:
            entries[TUESDAY] = DayEntry(
                day=days[TUESDAY],
                from_1=dt.time(9, 0),
                until_1=dt.time(12, 30),
                commitments="Part-time: not working Tuesday afternoons",
            )
            needs = "Works part-time; on Tuesdays in the morning only."
        if index == RETURNING:
            needs = "Returning from sick leave this week on a phased return; a quiet room, please."
        availability_save(
            inspection=inspection,
            email=group.email,
            by=by,
            returning_from_absence=index == RETURNING,
            needs=needs,
            max_per_day=3,
            days=entries,
        )


def availability(inspection: Inspection, *, by) -> None:
    """Every case manager's availability as for Manchester (the reports step uses it for Leicester)."""
    _availability(inspection, by=by)
