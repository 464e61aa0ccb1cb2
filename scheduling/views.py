"""The schedule pages. Every view takes the inspection's reference first and asks the
permission helper before anything else. Edits answer htmx with the page (the schedule area
is swapped in place) and a plain POST with a redirect."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.enums import CaseStatus
from casework.models import Case
from inspections.models import User
from inspections.selectors import get_inspection_for
from scheduling import calendar, confirm, exports, forms, services, workbench
from scheduling import selectors as S
from scheduling import views_workbench as W
from scheduling.domain.checks import blocks_finalising
from scheduling.enums import VersionState

ERRORS_IN_SUMMARY = 10


def _messages_of(exc: ValidationError) -> list[str]:
    return [m for m in exc.messages]


def _schedule_context(request, inspection, *, notices=(), errors=(), forms_=None, broken=None) -> dict:
    # What only the builder's tools, the checks or the availability notice show is worked out only for
    # those who see them (the template asks the same questions), so a read-only page costs less.
    user = request.user
    inputs = S.schedule_inputs(inspection)
    can_edit = user.has_perm("scheduling.edit_schedule", inspection)
    can_availability = user.has_perm("scheduling.view_availability", inspection)
    version = S.version_for(user, inspection)  # for the builder, every state: the latest version
    if version is not None:
        _name_people(version, user, inputs)
    entries = S.entries_of(version)
    mapping, pins = S.assignment_of(entries)
    violations = S.check(inputs, mapping, pins) if version else []
    placed = {e.case_id for e in entries}
    cases = [c for c in inputs.case_by_ref.values()]
    forms_ = forms_ or {}
    pages = exports.member_pages(inputs, entries)
    context = {
        "inspection": inspection,
        "inputs": inputs,
        "version": version,
        "latest": version,
        "timetable": _grid(W.timetable(pages, violations, inputs.members), inspection=inspection, can_edit=can_edit),
        "violations": violations,
        "blocked": blocks_finalising(violations),
        "penalty": services.current_penalty(inputs, mapping, version.built_from)
        if can_edit and version and inputs.week
        else None,
        "changes": _live_changes(inputs, version) if version else [],
        "unplaced": [c for c in cases if c.pk not in placed],
        "can_edit": can_edit,
        "can_send": version is not None and version.is_draft and user.has_perm("scheduling.send_schedule", inspection),
        "can_finalise": version is not None
        and user.has_perm("scheduling.finalise_schedule", inspection)
        and version.state
        in ([VersionState.SUBMITTED] if inspection.programme == "fji" else [VersionState.DRAFT, VersionState.SENT]),
        "can_return": version is not None
        and version.state == VersionState.SUBMITTED
        and user.has_perm("scheduling.return_schedule", inspection),
        "can_availability": can_availability,
        "calendars": calendar.page_links(user, inspection, inputs) if version else None,
        "not_given": S.availability_not_given(inspection, inputs.groups, S.record_only_ids(inspection))
        if can_availability
        else [],
        "is_fji": inspection.programme == "fji",
        "return_form": forms_.get("return") or forms.ReturnForm(auto_id="return_%s"),
        "notices": notices,
        "errors": errors,
        "broken": broken or W.take_broken(request, inspection),
    }
    if can_edit:
        scheduled = [c for c in cases if c.pk in placed]
        slots = exports.free_slots(inputs, entries)
        timeline = inspection.timeline
        context |= {
            "move_form": forms_.get("move") or forms.MoveForm(cases=cases, slots=slots, auto_id="move_%s"),
            "swap_form": forms_.get("swap") or forms.SwapForm(cases=W.swap_choices(inputs, entries), auto_id="swap_%s"),
            "unplace_form": forms.CaseChoiceForm(cases=scheduled, auto_id="unplace_%s"),
            "sample_due": _milestone(timeline, "sample_due"),
            "final_due": _milestone(timeline, "final_schedule_due"),
        }
    return context


def _name_people(version, user, inputs) -> None:
    """Who sent the version and who made it final, from the users the page has already loaded when
    they are among them (one query for the others, not one each)."""
    known = {u.pk: u for u in inputs.users.values()} | {user.pk: user}
    fields = [f for f in ("sent_by", "finalised_by") if getattr(version, f"{f}_id") is not None]
    wanted = {getattr(version, f"{f}_id") for f in fields} - set(known)
    if wanted:
        known |= User.objects.in_bulk(wanted)
    for f in fields:
        person = known.get(getattr(version, f"{f}_id"))
        if person is not None:
            setattr(version, f, person)


def _milestone(timeline, key):
    try:
        return timeline.get(key)
    except KeyError:
        return None


def _live_changes(inputs, version):
    if version.state != VersionState.DRAFT:
        return S.read_changes(version.changes)
    previous = S.previous_seen(version)
    if previous is None:
        return []
    before, _pins = S.assignment_of(S.entries_of(previous))
    after, _pins = S.assignment_of(S.entries_of(version))
    return S.read_changes(S.changes_between(inputs, before, after))


# --- The team's week as the page shows it ------------------------------------------------------------
# A cell for every team member, day and quarter of an hour: what each cell shows is worked out here,
# once, so that the template does little more than print it (a tag or filter per cell made the page
# slow; bench/bench_schedule_page.py measures it).


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell of a team member's week (a slot, a block, or a free quarter of an hour)."""

    free: bool = False
    rowspan: int = 1
    css: str = ""  # the cell's classes: its kind, filled, and a clash or a warning
    time: str = ""
    label: str = ""
    is_case: bool = False  # a case slot, filled or empty
    drop: bool = False  # a case slot the builder may drag a case to
    slot_id: str = ""
    reference: str = ""
    case_pk: int | None = None
    case_manager: str = ""
    record_only: bool = False
    observed_by: str = ""
    pinned: bool = False
    move_url: str = ""
    marks: tuple[str, ...] = ()  # the few words of each clash, hard rules first
    breaks_rule: bool = False


FREE = GridCell(free=True)


@dataclass(frozen=True, slots=True)
class GridRow:
    hour_label: str
    cells: list[GridCell]  # without the cells covered by one above (rowspan)


@dataclass(frozen=True, slots=True)
class GridPage:
    member: object  # scheduling.domain.model.TeamMember
    role_label: str
    cases: int
    days: list
    marks: list  # workbench.Mark beside the member's name
    rows: list[GridRow]


def _grid_cell(item: W.MarkedCell, *, reference: str, can_edit: bool) -> GridCell:
    cell = item.cell
    if cell.kind == "free":
        return FREE
    breaks_rule = item.breaks_rule
    css = f"app-sch-cell app-sch-{cell.kind}"
    if cell.reference:
        css += " app-sch-case-filled"
    if breaks_rule:
        css += " app-sch-clash"
    elif item.marks:
        css += " app-sch-warn"
    is_case = cell.kind == "case"
    return GridCell(
        rowspan=cell.rowspan,
        css=css,
        time=cell.time,
        label=cell.label,
        is_case=is_case,
        drop=can_edit and is_case,
        slot_id=cell.slot_id,
        reference=cell.reference,
        case_pk=cell.case_pk,
        case_manager=cell.case_manager,
        record_only=cell.record_only,
        observed_by=cell.observed_by,
        pinned=cell.pinned,
        move_url=reverse("scheduling:case_move", args=[reference, cell.case_pk])
        if can_edit and is_case and cell.reference
        else "",
        marks=tuple(str(m.words) for m in item.marks),
        breaks_rule=breaks_rule,
    )


def _grid(timetable: list[W.MarkedPage], *, inspection, can_edit: bool) -> list[GridPage]:
    """The timetable (``views_workbench.timetable``) as plain rows of plain cells."""
    reference = inspection.reference
    return [
        GridPage(
            member=page.page.member,
            role_label=page.page.role_label,
            cases=page.page.cases,
            days=page.page.days,
            marks=page.marks,
            rows=[
                GridRow(
                    row.row.hour_label,
                    [_grid_cell(item, reference=reference, can_edit=can_edit) for item in row.cells if item],
                )
                for row in page.rows
            ],
        )
        for page in timetable
    ]


def schedule(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.view_schedule")
    return render(request, "scheduling/schedule.html", _schedule_context(request, inspection))


def _done(request, inspection, *, notices=(), errors=(), forms_=None, broken=None):
    """htmx: the page, whose schedule area replaces the old one. Otherwise: messages and a redirect
    (or the page again with the form's errors). A change that broke a rule (``broken``) is shown in
    the red banner, never as done."""
    if request.htmx or forms_:
        context = _schedule_context(request, inspection, notices=notices, errors=errors, forms_=forms_, broken=broken)
        return render(
            request, "scheduling/schedule.html", context, status=200 if request.htmx or not (errors or forms_) else 400
        )
    if broken:
        W.remember_broken(request, inspection, broken)
    for notice in notices:
        messages.success(request, notice)
    for error in errors:
        messages.error(request, error)
    return redirect("scheduling:schedule", reference=inspection.reference)


def _edit_inspection(request, reference, perm="scheduling.edit_schedule"):
    return get_inspection_for(request.user, reference, perm)


def _case(inspection, pk) -> Case:
    case = Case.objects.filter(inspection=inspection, pk=pk, status=CaseStatus.SELECTED).first()
    if case is None:
        raise Http404("No such case")
    return case


def _edit(request, inspection, form, action):
    if not form.is_valid():
        key = {forms.MoveForm: "move", forms.SwapForm: "swap"}.get(type(form))
        if key and not request.htmx:
            return _done(request, inspection, errors=[], forms_={key: form})
        return _done(request, inspection, errors=[e for errs in form.errors.values() for e in errs])
    inputs = S.schedule_inputs(inspection)
    before = S.check(inputs, *S.assignment_of(S.entries_of(S.latest_version(inspection))))
    try:
        outcome = action(form.cleaned_data)
    except ValidationError as exc:
        return _done(request, inspection, errors=_messages_of(exc))
    notice = str(outcome.version.status_message)
    breaks = workbench.new_breaks(before, outcome.violations)
    if breaks:
        return _done(request, inspection, broken=W.broken(notice, breaks))
    blocking = sum(v.blocks_finalising for v in outcome.violations)
    if blocking:
        notice += " " + _("%(n)d problem(s) now block finalising: see the list below.") % {"n": blocking}
    return _done(request, inspection, notices=[notice])


@require_POST
def move(request, reference):
    inspection = _edit_inspection(request, reference)
    inputs = S.schedule_inputs(inspection)
    entries = S.entries_of(S.latest_version(inspection))
    form = forms.MoveForm(
        request.POST, cases=inputs.case_by_ref.values(), slots=exports.free_slots(inputs, entries), auto_id="move_%s"
    )
    return _edit(
        request,
        inspection,
        form,
        lambda d: services.schedule_move(
            inspection=inspection, case=_case(inspection, d["case"]), slot_id=d["slot"], by=request.user
        ),
    )


@require_POST
def swap(request, reference):
    inspection = _edit_inspection(request, reference)
    inputs = S.schedule_inputs(inspection)
    form = forms.SwapForm(request.POST, cases=inputs.case_by_ref.values(), auto_id="swap_%s")
    return _edit(
        request,
        inspection,
        form,
        lambda d: services.schedule_swap(
            inspection=inspection,
            case_a=_case(inspection, d["case_a"]),
            case_b=_case(inspection, d["case_b"]),
            by=request.user,
        ),
    )


@require_POST
def pin(request, reference):
    inspection = _edit_inspection(request, reference)
    form = forms.PinForm(request.POST, cases=S.schedule_inputs(inspection).case_by_ref.values())
    return _edit(
        request,
        inspection,
        form,
        lambda d: services.schedule_pin(
            inspection=inspection, case=_case(inspection, d["case"]), pinned=d["pinned"], by=request.user
        ),
    )


@require_POST
def unplace(request, reference):
    inspection = _edit_inspection(request, reference)
    form = forms.CaseChoiceForm(request.POST, cases=S.schedule_inputs(inspection).case_by_ref.values())
    return _edit(
        request,
        inspection,
        form,
        lambda d: services.schedule_unplace(inspection=inspection, case=_case(inspection, d["case"]), by=request.user),
    )


def _version_action(request, reference, perm, action, done_message, form_class=forms.VersionActionForm):
    inspection = _edit_inspection(request, reference, perm)
    form = form_class(request.POST, auto_id="return_%s")
    if not form.is_valid():
        return _done(
            request, inspection, forms_={"return": form}, errors=[e for errs in form.errors.values() for e in errs]
        )
    try:
        version = action(inspection, form.cleaned_data)
    except ValidationError as exc:
        return _done(request, inspection, errors=_messages_of(exc))
    return _done(request, inspection, notices=[done_message % {"n": version.number}])


def _expected(data) -> int | None:
    form = forms.VersionActionForm(data)
    return form.cleaned_data["expected"] if form.is_valid() else None


def _confirmed_action(request, inspection, *, url_name, preview, act, confirm_context, done_message):
    """GET: the confirmation page (what will happen, or what stops it). POST confirmed=yes: do it once;
    a second click, or someone else first, changes nothing and says so."""
    expected = _expected(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            version = act(expected)
        except services.ScheduleAlreadyDone as done:
            messages.info(request, done.messages[0])
        except ValidationError as exc:
            return render(request, "confirm.html", confirm_context(inspection, None, expected, exc.messages))
        else:
            messages.success(request, done_message % {"n": version.number})
        return redirect("scheduling:schedule", reference=inspection.reference)
    if request.method == "POST":  # the button without its confirmation: ask again
        query = f"?expected={expected}" if expected is not None else ""
        return redirect(reverse(url_name, args=[inspection.reference]) + query)
    try:
        return render(request, "confirm.html", confirm_context(inspection, preview(expected), expected, ()))
    except ValidationError as exc:
        return render(request, "confirm.html", confirm_context(inspection, None, expected, exc.messages))


def send(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.send_schedule")
    fji = inspection.programme == "fji"
    return _confirmed_action(
        request,
        inspection,
        url_name="scheduling:send",
        preview=lambda n: services.schedule_send_preview(inspection=inspection, expected_number=n),
        act=lambda n: services.schedule_send(inspection=inspection, by=request.user, expected_number=n),
        confirm_context=confirm.send_context,
        done_message=_("Version %(n)d sent to the lead inspector for approval.")
        if fji
        else _("Version %(n)d sent to the YOT."),
    )


def finalise(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.finalise_schedule")
    return _confirmed_action(
        request,
        inspection,
        url_name="scheduling:finalise",
        preview=lambda n: services.schedule_finalise_preview(inspection=inspection, expected_number=n),
        act=lambda n: services.schedule_finalise(inspection=inspection, by=request.user, expected_number=n),
        confirm_context=confirm.finalise_context,
        done_message=_("Version %(n)d is final. Each case is allocated to the team member whose slot it is in."),
    )


@require_POST
def return_to_yot(request, reference):
    def action(inspection, data):
        return services.schedule_return(
            inspection=inspection, by=request.user, note=data["note"], expected_number=data.get("expected")
        )

    return _version_action(
        request,
        reference,
        "scheduling.return_schedule",
        action,
        _("Version %(n)d returned to the YOT with your note."),
        forms.ReturnForm,
    )


@require_GET
def download(request, reference, fmt):
    inspection = get_inspection_for(request.user, reference, "scheduling.view_schedule")
    version = S.version_for(request.user, inspection)
    if version is None:
        raise Http404("No schedule to download yet")
    inputs = S.schedule_inputs(inspection)
    entries = S.entries_of(version)
    if fmt == "xlsx":
        body, content_type = exports.schedule_xlsx(inputs, version, entries), exports.XLSX_TYPE
    else:
        body, content_type = exports.schedule_pdf(inputs, version, entries), "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.download_name(version, fmt)}"'
    return response
