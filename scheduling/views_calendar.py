"""Calendar downloads (.ics) of the schedule: a team member's own week, and the case managers'
invitations. Each asks the permission helper first; a stranger gets 404, the wrong role 403, and
a version the person may not see (a draft, for the YOT) is as if there were none."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from inspections.selectors import get_inspection_for
from scheduling import calendar
from scheduling import selectors as S


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    # Cache-Control: no-store comes from PrivateResponsesMiddleware, as on every download.
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def my_calendar(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.download_own_calendar")
    version = calendar.calendar_version(request.user, inspection, calendar.TEAM_STATES)
    if version is None:
        raise Http404("No final schedule yet")
    inputs = S.schedule_inputs(inspection)
    try:
        body = calendar.member_calendar(
            inputs=inputs, version=version, entries=S.entries_of(version), user=request.user
        )
    except calendar.NoCalendar:
        raise Http404("No page of yours in this schedule") from None
    return _attachment(body, calendar.CONTENT_TYPE, calendar.member_download_name(version))


def _invitations(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.download_invitations")
    version = calendar.calendar_version(request.user, inspection, calendar.INVITATION_STATES)
    if version is None:
        raise Http404("No schedule shared with the YOT yet")
    inputs = S.schedule_inputs(inspection)
    people = calendar.invitations(inputs, version, S.entries_of(version))
    return inputs, version, people, calendar.invitation_language(inspection)


@require_GET
def case_manager_calendar(request, reference, key):
    inputs, version, people, language = _invitations(request, reference)
    person = next((p for p in people if p.key == key), None)
    if person is None:
        raise Http404("No such case manager in this schedule")
    body = calendar.case_manager_calendar(inputs=inputs, version=version, person=person, language=language)
    return _attachment(body, calendar.CONTENT_TYPE, calendar.case_manager_download_name(version, person))


@require_GET
def all_invitations(request, reference):
    inputs, version, people, language = _invitations(request, reference)
    body = calendar.invitations_zip(inputs=inputs, version=version, people=people, language=language)
    return _attachment(body, "application/zip", calendar.invitations_download_name(version))
