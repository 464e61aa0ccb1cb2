"""Building the schedule in the background (issue 12 §7): start a build, watch its progress, cancel it.

Every view asks the permission helper first (``scheduling.edit_schedule``: the SSO and lead
inspector on an SQS, the YOT manager on an FJI); anyone else gets 403, or 404 when the inspection
is not theirs to see. The progress panel is ``templates/scheduling/_solve_panel.html``, included on
the schedule page: htmx polls it every second; without JavaScript its link reloads the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspections.selectors import get_inspection_for
from scheduling import services
from scheduling.models import SolveJob

PERMISSION = "scheduling.edit_schedule"


def _to_schedule(request, inspection) -> HttpResponse:
    """Back to the schedule page: a full page load for htmx too, so the new schedule shows."""
    url = reverse("scheduling:schedule", args=[inspection.reference])
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def _job(request, reference, job_id):
    inspection = get_inspection_for(request.user, reference, PERMISSION)
    return inspection, get_object_or_404(SolveJob, pk=job_id, inspection=inspection)


@require_POST
def solve(request, reference):
    inspection = get_inspection_for(request.user, reference, PERMISSION)
    services.solve_job_start(inspection=inspection, by=request.user)
    return _to_schedule(request, inspection)


@require_GET
def progress(request, reference, job_id):
    """htmx: the panel while the build runs, then a reload of the page once it has ended."""
    inspection, job = _job(request, reference, job_id)
    if request.htmx and job.is_active:
        return render(request, "scheduling/_solve_progress.html", {"inspection": inspection, "job": job})
    return _to_schedule(request, inspection)


@require_POST
def cancel(request, reference, job_id):
    inspection, job = _job(request, reference, job_id)
    was_active = job.is_active
    job = services.solve_job_cancel(job=job, by=request.user)
    if not was_active or not (job.is_active or job.cancel_requested):
        messages.info(request, _("The build had already ended before it could be cancelled."))
        return _to_schedule(request, inspection)
    if request.htmx and job.is_active:
        return render(request, "scheduling/_solve_progress.html", {"inspection": inspection, "job": job})
    return _to_schedule(request, inspection)
