"""``{% solve_job_for inspection as job %}``: the build of the schedule to show on its page.

A tag rather than a view's context so that every view that renders the schedule page shows it.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from scheduling import selectors as S
from scheduling.models import SolveJob

register = template.Library()

# How long the outcome of a build that has ended stays on the page (while nothing changed since).
OUTCOME_SHOWN_FOR = dt.timedelta(hours=1)


@register.simple_tag(takes_context=True)
def solve_job_for(context, inspection) -> SolveJob | None:
    """The build queued or running, else the last one if it ended within the hour and the
    schedule has not changed since; None for anyone who may not build the schedule."""
    request = context.get("request")
    if request is None or not request.user.has_perm("scheduling.edit_schedule", inspection):
        return None
    job = SolveJob.objects.filter(inspection=inspection).select_related("version").first()
    if job is None or job.is_active:
        return job
    if job.finished_at is None or job.finished_at < timezone.now() - OUTCOME_SHOWN_FOR:
        return None
    latest = S.latest_version(inspection)
    if latest is not None and latest.updated_at > job.finished_at:
        return None
    return job
