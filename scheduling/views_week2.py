"""FJI fieldwork week 2: the week's page, a session proposed or changed (YOT manager), confirmed with
its inspectors (lead inspector or SSO) or cancelled, the presentation's invitees, the health
questionnaire, and one's own week as a calendar. Every view asks the permission helper first: a
stranger (or an SQS) gets 404, the wrong role 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspections.enums import Inspectorate, Programme, TeamRole
from inspections.selectors import get_inspection_for
from scheduling import forms_week2 as F
from scheduling import services_week2 as S
from scheduling import week2 as W
from scheduling.enums import Week2Kind, Week2Status
from scheduling.models import Week2Session

STALE = "Someone else changed “%(title)s” while you were looking at it: check it and try again."


def _inspection(request, reference, perm):
    inspection = get_inspection_for(request.user, reference)
    if inspection.programme != Programme.FJI:
        raise Http404("Week 2 is part of a Full Joint Inspection only")
    if not request.user.has_perm(perm, inspection):
        raise PermissionDenied
    return inspection


def _session(inspection, pk, *, presentation=False):
    session = get_object_or_404(Week2Session, inspection=inspection, pk=pk)
    if (session.kind == Week2Kind.PRESENTATION) != presentation:
        raise Http404("No such session")
    return session


def _refused(request, form, error):
    for message in error.messages:
        form.add_error(None, message)


def _context(request, inspection) -> dict:
    everything = S.sessions_of(inspection)
    sessions = S.sessions_visible_to(request.user, inspection, everything)
    plan, monday = W.load_plan(), S.week2_monday(inspection)
    presentation = next(s for s in everything if s.kind == Week2Kind.PRESENTATION)
    invitees = S.invitees_of(inspection, presentation)
    sees_all = len(sessions) == len(everything)
    days = []
    for index, date in enumerate(W.week_days(monday)):
        fixed = [b for b in plan.fixed if b.day == index]
        mine = [(s, W.attendee_line(S.facts_of(s))) for s in sessions if s.day == date]
        days.append((date, fixed, mine))
    user = request.user
    questionnaire = S.questionnaire_of(inspection)
    leads = (
        user.has_perm("scheduling.confirm_week2", inspection)
        and inspection.team.filter(user=user, role=TeamRole.LEAD_INSPECTOR).exists()
    )
    recordable = {
        s.pk
        for s in sessions
        if s.kind != Week2Kind.PRESENTATION
        and s.status == Week2Status.CONFIRMED
        and (leads or any(u.pk == user.pk for u in s.inspectors.all()))
    }
    return {
        "recordable": recordable,
        "sent": S.week2_sent(inspection),
        "inspection": inspection,
        "days": days,
        "outside": [s for s in sessions if W.day_index(monday, s.day) is None],
        "problems": W.week_problems([S.facts_of(s) for s in sessions], plan=plan, monday=monday) if sees_all else [],
        "presentation": presentation,
        "invitees": invitees,
        "missing": W.missing_invitees(invitees),
        "questionnaire": questionnaire,
        "health_inspectorate": Inspectorate(questionnaire.inspectorate).label,
        "questionnaire_form": F.QuestionnaireForm(),
        "due": inspection.timeline.get("week2_schedule_due"),
        "can_propose": user.has_perm("scheduling.propose_week2", inspection),
        "can_confirm": user.has_perm("scheduling.confirm_week2", inspection),
        "can_cancel": user.has_perm("scheduling.cancel_week2", inspection),
        "can_name": user.has_perm("scheduling.name_week2_invitees", inspection),
        "can_questionnaire": user.has_perm("scheduling.record_health_questionnaire", inspection),
        "can_calendar": user.has_perm("scheduling.download_week2_calendar", inspection),
        "statuses": Week2Status,
    }


@require_GET
def week2(request, reference):
    inspection = _inspection(request, reference, "scheduling.view_week2")
    return render(request, "scheduling/week2/page.html", _context(request, inspection))


def _session_form(request, inspection, session):
    initial = {}
    if session is not None:
        initial = {
            "kind": session.kind,
            "title": session.title,
            "when": F.when_value(session.day, S.facts_of(session).window),
            "strand": session.strand,
            "case": str(session.case_id or ""),
            "attendees": W.attendees_text(W.Attendee.from_json(a) for a in session.attendees),
            "nobody_available": session.nobody_available,
            "revision": session.revision,
        }
    cases = inspection.cases.exclude(reference="").order_by("position")
    return F.SessionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        slots=W.slot_choices(W.load_plan(), S.week2_monday(inspection)),
        strands=S.strands_of(inspection),
        cases=cases,
    )


def _propose(request, reference, pk=None):
    inspection = _inspection(request, reference, "scheduling.propose_week2")
    session = _session(inspection, pk) if pk else None
    form = _session_form(request, inspection, session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day, window = data["when"]
        try:
            saved = S.week2_session_propose(
                inspection=inspection, by=request.user, kind=data["kind"], title=data["title"], day=day,
                window=window, strand=data["strand"], attendees=data["attendees"],
                nobody_available=data["nobody_available"], case=data["case"], session=session,
                expected_revision=data["revision"],
            )  # fmt: skip
        except S.StaleSession:
            messages.error(request, _(STALE) % {"title": session.title})
            return redirect("scheduling:week2_edit", reference=reference, pk=pk)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is proposed for %(when)s.") % {"title": saved.title, "when": S.facts_of(saved).when()},
            )
            return redirect("scheduling:week2", reference=reference)
    return render(
        request, "scheduling/week2/session_form.html", {"inspection": inspection, "form": form, "session": session}
    )


def session_new(request, reference):
    return _propose(request, reference)


def session_edit(request, reference, pk):
    return _propose(request, reference, pk)


def session_confirm(request, reference, pk):
    inspection = _inspection(request, reference, "scheduling.confirm_week2")
    session = _session(inspection, pk)
    members = S.week2_inspectors(inspection)
    initial = {"inspectors": [str(u.pk) for u in session.inspectors.all()], "revision": session.revision}
    form = F.ConfirmForm(request.POST if request.method == "POST" else None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            S.week2_session_confirm(session=session, by=request.user, inspectors=form.cleaned_data["inspectors"],
                                    expected_revision=form.cleaned_data["revision"])  # fmt: skip
        except S.StaleSession:
            messages.error(request, _(STALE) % {"title": session.title})
            return redirect("scheduling:week2_confirm", reference=reference, pk=pk)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("“%(title)s” is confirmed.") % {"title": session.title})
            return redirect("scheduling:week2", reference=reference)
    context = {"inspection": inspection, "form": form, "session": session, "line": W.attendee_line(S.facts_of(session))}
    return render(request, "scheduling/week2/confirm.html", context)


@require_POST
def session_cancel(request, reference, pk):
    inspection = _inspection(request, reference, "scheduling.cancel_week2")
    session = _session(inspection, pk)
    form = F.Revision(request.POST)
    try:
        S.week2_session_cancel(
            session=session,
            by=request.user,
            expected_revision=form.cleaned_data["revision"] if form.is_valid() else None,
        )
    except S.StaleSession:
        messages.error(request, _(STALE) % {"title": session.title})
    else:
        messages.success(request, _("“%(title)s” is cancelled.") % {"title": session.title})
    return redirect("scheduling:week2", reference=reference)


def presentation(request, reference):
    inspection = _inspection(request, reference, "scheduling.name_week2_invitees")
    session = S.presentation_ensure(inspection=inspection)
    named = {}
    for person in (W.Attendee.from_json(a) for a in session.attendees):
        named.setdefault(person.invitee, []).append(person.name)
    initial = {key: "\n".join(names) for key, names in named.items()} | {"revision": session.revision}
    form = F.PresentationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            S.presentation_name_invitees(session=session, by=request.user, named=form.named(),
                                         expected_revision=form.cleaned_data["revision"])  # fmt: skip
        except S.StaleSession:
            messages.error(request, _(STALE) % {"title": session.display_title})
            return redirect("scheduling:week2_presentation", reference=reference)
        messages.success(request, _("The invitees to the presentation of draft findings are saved."))
        return redirect("scheduling:week2", reference=reference)
    return render(request, "scheduling/week2/presentation.html", {"inspection": inspection, "form": form})


@require_POST
def questionnaire(request, reference):
    inspection = _inspection(request, reference, "scheduling.record_health_questionnaire")
    form = F.QuestionnaireForm(request.POST)
    if form.is_valid():
        try:
            S.health_questionnaire_record(
                inspection=inspection, by=request.user, completed_on=form.cleaned_data["completed_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The date the health questionnaire was completed is saved."))
            return redirect("scheduling:week2", reference=reference)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("scheduling:week2", reference=reference)


@require_GET
def my_calendar(request, reference):
    inspection = _inspection(request, reference, "scheduling.download_week2_calendar")
    response = HttpResponse(S.week2_calendar_for(request.user, inspection), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{inspection.reference}-week2.ics"'
    return response


def session_findings(request, reference, pk):
    """The session's inspectors (or the lead inspector) write what a confirmed session found and the
    judgements it informs; the draft report shows it beside those judgements."""
    inspection = _inspection(request, reference, "scheduling.view_week2")
    session = _session(inspection, pk)
    if not S.may_record_findings(request.user, session):
        raise PermissionDenied
    areas = S.judgement_areas_of(inspection)
    initial = {"findings": session.findings, "informs": session.informs, "revision": session.revision}
    form = F.FindingsForm(request.POST if request.method == "POST" else None, initial=initial, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            S.week2_findings_record(
                session=session, by=request.user, findings=form.cleaned_data["findings"],
                informs=form.cleaned_data["informs"], expected_revision=form.cleaned_data["revision"],
            )  # fmt: skip
        except S.StaleSession:
            messages.error(request, _(STALE) % {"title": session.title})
            return redirect("scheduling:week2_findings", reference=reference, pk=pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                _refused(request, form, error)
        else:
            messages.success(request, _("What “%(title)s” found is saved.") % {"title": session.title})
            return redirect("scheduling:week2", reference=reference)
    context = {"inspection": inspection, "form": form, "session": session, "line": W.attendee_line(S.facts_of(session))}
    return render(request, "scheduling/week2/findings.html", context, status=400 if form.errors else 200)


@require_POST
def send(request, reference):
    """The YOT manager sends the week 2 schedule to the lead inspector."""
    inspection = _inspection(request, reference, "scheduling.propose_week2")
    try:
        sent = S.week2_schedule_send(inspection=inspection, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if sent:
            messages.success(request, _("The week 2 schedule is sent to the lead inspector."))
        else:
            messages.info(request, _("The week 2 schedule was already sent."))
    return redirect("scheduling:week2", reference=reference)
