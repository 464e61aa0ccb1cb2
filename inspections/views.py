from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inspections import services, todo
from inspections.domain.recipients import national_report_recipients
from inspections.domain.timeline import milestone_state
from inspections.enums import Programme, Status, TeamRole
from inspections.forms import (
    AnnounceForm,
    ContactForm,
    DocumentForm,
    InspectionEditForm,
    InspectionForm,
    StatusForm,
    TeamMemberForm,
)
from inspections.gates import moved_by
from inspections.models import Contact, InformationDocument, TeamMembership
from inspections.selectors import (
    contacts_of,
    filter_choices,
    filter_inspections,
    get_inspection_for,
    inspection_row,
    inspections_for_tasks,
    inspections_led_at_a_glance,
    inspections_visible_to,
    next_open_milestone,
    parse_filters,
)

TEAM_ORDER = [
    TeamRole.LEAD_INSPECTOR,
    TeamRole.ASSISTANT_INSPECTOR,
    TeamRole.LOCAL_ASSESSOR,
    TeamRole.PARTNER_INSPECTOR,
    TeamRole.SSO,
]


def _form_errors_to(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form, field by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_GET
def health(request):
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    """What's next (issue 9 §4): the tasks waiting for this person, soonest first, and the lead
    inspector's inspections at a glance."""
    user, now = request.user, timezone.now()
    inspections = inspections_for_tasks(user)
    context = {
        "tasks": todo.tasks_for(user, inspections, now=now),
        "led": inspections_led_at_a_glance(user, inspections, now=now),
        "can_create": user.has_perm("inspections.add_inspection"),
    }
    return render(request, "inspections/home.html", context)


LIST_PAGE_SIZE = 25


def inspection_list(request):
    """Every inspection the user may see, searched and filtered by the query string (issue 9 §4)."""
    visible = inspections_visible_to(request.user)
    choices = filter_choices(visible)
    filters, problems = parse_filters(request.GET, choices)
    for problem in problems:
        messages.warning(request, problem)
    found = filter_inspections(visible, filters).prefetch_related("milestone_completions", "documents")
    page = Paginator(found, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    now, owner = timezone.now(), "yot" if request.user.is_yot_manager else None
    context = {
        "rows": [inspection_row(inspection, now=now, owner=owner) for inspection in page],
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "filters": filters,
        "choices": choices,
        "can_create": request.user.has_perm("inspections.add_inspection"),
    }
    return render(request, "inspections/list.html", context)


def _next_milestone(user, inspection):
    return next_open_milestone(inspection, owner="yot" if user.is_yot_manager else None)


def inspection_create(request):
    if not request.user.has_perm("inspections.add_inspection"):
        raise PermissionDenied
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(
                request,
                _("Inspection %(ref)s created. Add the team and contacts, then record the announcement.")
                % {"ref": inspection.reference},
            )
            return redirect("inspections:detail", reference=inspection.reference)
    return render(request, "inspections/form.html", {"form": form, "title": _("Plan an inspection")})


def inspection_edit(request, reference):
    inspection = get_inspection_for(request.user, reference, "inspections.change_inspection")
    initial = {"fieldwork_start": inspection.fieldwork_start, "modules": inspection.modules}
    form = InspectionEditForm(request.POST or None, initial=initial, programme=inspection.programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_update(
                inspection=inspection,
                by=request.user,
                fieldwork_start=form.cleaned_data["fieldwork_start"],
                modules=form.cleaned_data.get("modules", []),
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Inspection updated."))
            return redirect("inspections:detail", reference=reference)
    return render(
        request,
        "inspections/form.html",
        {"form": form, "inspection": inspection, "title": _("Change dates and modules")},
    )


def inspection_detail(request, reference):
    inspection = get_inspection_for(request.user, reference)
    user = request.user
    context = {
        "inspection": inspection,
        "team": sorted(
            inspection.team.select_related("user", "supervisor"), key=lambda m: (TEAM_ORDER.index(m.role), str(m.user))
        ),
        "contacts": contacts_of(inspection),
        "can_change": user.has_perm("inspections.change_inspection", inspection),
        "can_change_contacts": user.has_perm("inspections.change_contacts", inspection),
        "national_recipients": national_report_recipients(inspection.programme, inspection.country),
        "can_announce": user.has_perm("inspections.announce_inspection", inspection)
        and inspection.status == Status.PLANNED,
        "can_move": user.has_perm("inspections.change_status", inspection),
        "next_status": services.allowed_next_status(inspection.status),
        "next_status_label": Status(services.allowed_next_status(inspection.status)).label
        if services.allowed_next_status(inspection.status)
        else "",
        "week2": inspection.timeline.get("fieldwork_week2_start") if inspection.programme == Programme.FJI else None,
        "status_form": StatusForm(),
        **_status_move_context(user, inspection),
        "missing_contacts": services.missing_announcement_contacts(inspection),
        "guidance": services.team_size_guidance(inspection.programme),
        "changes": inspection.status_changes.select_related("changed_by")
        if user.has_perm("inspections.view_audit", inspection)
        else None,
        "is_fji": inspection.programme == Programme.FJI,
        "next": _next_milestone(user, inspection),
    }
    return render(request, "inspections/detail.html", context)


def inspection_timeline(request, reference):
    inspection = get_inspection_for(request.user, reference)
    user = request.user
    done = services.milestone_done_keys(inspection)
    now = timezone.now()
    rows = []
    for milestone in inspection.timeline.milestones:
        if user.is_yot_manager and milestone.owner != "yot":
            continue
        state = milestone_state(
            milestone,
            now=now,
            done=milestone.key in done,
            due_soon_working_days=settings.TIMELINE_DUE_SOON_WORKING_DAYS,
            country=inspection.country,
        )
        perm = "inspections.mark_yot_milestone" if milestone.owner == "yot" else "inspections.mark_hmip_milestone"
        rows.append(
            {
                "m": milestone,
                "state": state,
                "can_mark": milestone.deadline and state != "done" and user.has_perm(perm, inspection),
            }
        )
    return render(
        request,
        "inspections/timeline.html",
        {
            "inspection": inspection,
            "rows": rows,
            "warnings": inspection.timeline.warnings_for("yot" if user.is_yot_manager else None),
            "yot_view": user.is_yot_manager,
        },
    )


@require_POST
def milestone_done(request, reference, key):
    inspection = get_inspection_for(request.user, reference)
    milestone = next((m for m in inspection.timeline.milestones if m.key == key), None)
    if milestone is None:
        raise Http404
    perm = "inspections.mark_yot_milestone" if milestone.owner == "yot" else "inspections.mark_hmip_milestone"
    if not request.user.has_perm(perm, inspection):
        raise PermissionDenied
    services.milestone_mark_done(inspection=inspection, key=key, by=request.user)
    messages.success(request, _("Marked as done: %(label)s") % {"label": milestone.label})
    return redirect("inspections:timeline", reference=reference)


def team_add(request, reference):
    inspection = get_inspection_for(request.user, reference, "inspections.change_inspection")
    form = TeamMemberForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("%(name)s added to the team.") % {"name": form.cleaned_data["user"]})
            return redirect("inspections:detail", reference=reference)
    context = {
        "form": form,
        "inspection": inspection,
        "title": _("Add a team member"),
        "guidance": services.team_size_guidance(inspection.programme),
    }
    return render(request, "inspections/form.html", context)


def team_remove(request, reference, pk):
    """GET: the confirmation page. POST confirmed=yes: remove the person from the team."""
    inspection = get_inspection_for(request.user, reference, "inspections.change_inspection")
    membership = TeamMembership.objects.select_related("user").filter(pk=pk, inspection=inspection).first()
    if membership is None:
        if request.method != "POST":
            raise Http404("No such team member")
        messages.info(request, _("That person is no longer on the team; nothing changed."))
        return redirect("inspections:detail", reference=reference)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            services.team_member_remove(membership=membership, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s removed from the team.") % {"name": membership.user})
        return redirect("inspections:detail", reference=reference)
    if request.method == "POST":  # the form without its confirmation: ask again
        return redirect("inspections:team_remove", reference=reference, pk=pk)
    context = {
        "inspection": inspection,
        "title": _("Remove %(name)s from the team?") % {"name": membership.user},
        "caption": f"{inspection.reference} · {inspection.yot.name}",
        "paragraphs": [
            _("%(name)s (%(role)s) will no longer be on this inspection and will not see it.")
            % {"name": membership.user, "role": membership.get_role_display()}
        ],
        "problems": services.team_member_remove_problems(membership),
        "action_url": reverse("inspections:team_remove", args=[reference, pk]),
        "button": _("Remove from the team"),
        "danger": True,
        "cancel_url": reverse("inspections:detail", args=[reference]),
    }
    return render(request, "confirm.html", context)


def contact_add(request, reference):
    inspection = get_inspection_for(request.user, reference, "inspections.change_contacts")
    form = ContactForm(request.POST or None, country=inspection.country)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Contact added."))
            return redirect("inspections:detail", reference=reference)
    return render(
        request, "inspections/form.html", {"form": form, "inspection": inspection, "title": _("Add a contact")}
    )


@require_POST
def contact_remove(request, reference, pk):
    inspection = get_inspection_for(request.user, reference, "inspections.change_contacts")
    contact = get_object_or_404(Contact, pk=pk, inspection=inspection)
    services.contact_remove(contact=contact, by=request.user)
    messages.success(request, _("Contact removed."))
    return redirect("inspections:detail", reference=reference)


def announce(request, reference):
    inspection = get_inspection_for(request.user, reference, "inspections.announce_inspection")
    form = AnnounceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_announce(
                inspection=inspection, by=request.user, received_by=form.cleaned_data["received_by"]
            )
        except ValidationError as exc:
            _form_errors_to(form, exc)
        except services.StaleStatus:
            messages.info(request, _("Someone else recorded the announcement first; nothing was sent twice."))
            return redirect("inspections:detail", reference=reference)
        else:
            messages.success(request, _("Announcement recorded and the confirmation email sent."))
            for warning in getattr(inspection, "invitation_warnings", ()):
                messages.warning(request, warning)
            return redirect("inspections:timeline", reference=reference)
    from inspections.accounts.services import announcement_access

    email = services.announcement_email(inspection)
    context = {"form": form, "inspection": inspection, "email": email, "access": announcement_access(inspection)}
    return render(request, "inspections/announce.html", context)


@require_POST
def status_move(request, reference):
    """The lead inspector's own moves (fieldwork, draft report), through their gates."""
    inspection = get_inspection_for(request.user, reference, "inspections.change_status")
    form = StatusForm(request.POST)
    if not form.is_valid():
        refused = " ".join(form.errors.get("to_status", []))
        messages.error(request, refused or _("The status change was not understood. Try again."))
        return redirect("inspections:detail", reference=reference)
    try:
        services.inspection_set_status(inspection=inspection, by=request.user, **form.cleaned_data)
    except services.StaleStatus as stale:
        messages.info(
            request,
            _("Someone else moved this inspection to “%(s)s” first; nothing changed.")
            % {"s": Status(stale.current).label},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status is now “%(s)s”.") % {"s": inspection.get_status_display()})
    return redirect("inspections:detail", reference=reference)


def _status_move_context(user, inspection) -> dict:
    """For the overview: what moves the inspection on next, and what stops the lead inspector's own move."""
    next_status = services.allowed_next_status(inspection.status)
    if not next_status or not user.has_perm("inspections.change_status", inspection):
        return {"next_action": None, "move_problems": []}
    action = moved_by(next_status)
    if action is not None:
        url = reverse(action.url_name, args=[inspection.reference])
        return {"next_action": {"text": action.text, "url": url, "link_text": action.link_text}, "move_problems": []}
    return {"next_action": None, "move_problems": services.status_move_problems(inspection, next_status)}


def documents(request, reference):
    inspection = get_inspection_for(request.user, reference, "inspections.list_iia")
    can_upload = request.user.has_perm("inspections.upload_iia", inspection)
    form = DocumentForm(request.POST or None, request.FILES or None) if can_upload else None
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.iia_upload(inspection=inspection, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors_to(
                    form, ValidationError({"upload": exc.messages}) if not hasattr(exc, "error_dict") else exc
                )
            else:
                messages.success(request, _("Document uploaded."))
                return redirect("inspections:documents", reference=reference)
    status = [
        (kind, label, required, [d for d in docs if request.user.has_perm("inspections.view_document", d)])
        for kind, label, required, docs in services.iia_status(inspection)
    ]
    context = {"inspection": inspection, "form": form, "status": status, "due": inspection.timeline.get("iia_due")}
    return render(request, "inspections/documents.html", context)


@require_GET
def document_download(request, reference, token):
    inspection = get_inspection_for(request.user, reference, "inspections.list_iia")
    document = get_object_or_404(InformationDocument, inspection=inspection, token=token)
    if not request.user.has_perm("inspections.view_document", document):
        raise PermissionDenied
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
