"""Long-list and sample pages (issue 3): template, upload, versions, selection, review, export.

Every view first asks ``get_inspection_for`` with the permission it needs (404 for anyone who may
not see the inspection, 403 for a team member without the right). Names and dates of birth reach a
template only with ``casework.view_child_identity``.

Who sees what (decided here, see the report of issue 3):
- the YOT manager of the YOT: the template, the upload form, their uploads and, straight after a
  refused upload, its errors; the sample only once it is final (references, case IDs, names), never
  the selection's reasons, rule checks or mix;
- the SSO and lead inspector: everything, and they select, review and finalise the sample;
- the assistant inspector: the long-list and the sample, read-only;
- local assessors and partner inspectors: none of these pages (403); they know a case by its
  HMI Probation reference on the cases pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from casework.enums import CaseStatus
from casework.forms_longlist import CaseEntryForm, CaseRemoveForm, LongListUploadForm, SampleSelectForm
from casework.longlist import Heading as HEADINGS
from casework.longlist import render as render_export
from casework.models import Case, LongList, PendingLongList
from casework.services import longlist as intake
from casework.services import longlist_reads as reads
from casework.services import sample as sampling
from inspections.domain.messages import _ as message
from inspections.identity_log import identity_view_record
from inspections.rules import is_hmip_staff_on
from inspections.selectors import get_inspection_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_IN_SUMMARY = 10


def _identity(request, inspection, what) -> bool:
    """May this person see the children's names and dates of birth here? When they may and the page
    shows some (``what`` names it; None when there are none to show), who was shown it is recorded
    (issue 11 §6)."""
    allowed = request.user.has_perm("casework.view_child_identity", inspection)
    if allowed and what is not None:
        identity_view_record(inspection=inspection, user=request.user, what=what, path=request.path)
    return allowed


def _data(request):
    """The POST data to bind a form to (even when empty, so a blank submission shows its errors)."""
    return request.POST if request.method == "POST" else None


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Long-list -----------------------------------------------------------------------------------


def longlist(request, reference):
    inspection = get_inspection_for(request.user, reference, "casework.view_long_list")
    can_upload = request.user.has_perm("casework.upload_long_list", inspection)
    form = LongListUploadForm(_data(request), request.FILES or None) if can_upload else None
    refused = None
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid() and reads.reads_in_background(form.cleaned_data["upload"].size):
            # A large file is read by a worker; the page that follows it shows the outcome.
            upload = form.cleaned_data["upload"]
            try:
                read = reads.long_list_read_later(
                    inspection=inspection, by=request.user, data=upload.read(), filename=upload.name,
                    language=get_language(),
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error("upload", exc.messages)
            else:
                return redirect("casework:longlist_read", reference=reference, token=read.token.hex)
        elif form.is_valid():
            upload = form.cleaned_data["upload"]
            try:
                received = intake.long_list_receive(
                    inspection=inspection, by=request.user, data=upload.read(), filename=upload.name
                )
            except intake.LongListInvalid as invalid:
                refused = invalid
                form.add_error("upload", _refused_headline(invalid))
            except ValidationError as exc:
                form.add_error("upload", exc.messages)
            else:
                if isinstance(received, PendingLongList):
                    return redirect("casework:longlist_check", reference=reference, token=received.token.hex)
                messages.success(request, _accepted_message(inspection, received))
                return redirect("casework:longlist", reference=reference)
    current = intake.current_long_list(inspection)
    sample = sampling.get_sample(inspection)
    context = {
        "inspection": inspection,
        "form": form,
        "refused": refused,
        "summary_errors": refused.errors[:ERRORS_IN_SUMMARY] if refused else (),
        "due": inspection.timeline.get("long_list_due"),
        "is_late_now": timezone.now() > intake.long_list_due(inspection),
        "windows": intake.windows_for(inspection),
        "current": current,
        "heading_counts": intake.heading_counts(current) if current else [],
        "noted": current.entries.exclude(suitability_note="", other_information="").order_by("heading", "row_number")
        if current
        else [],
        "versions": LongList.objects.filter(inspection=inspection).select_related("uploaded_by").order_by("-version"),
        "identity": _identity(request, inspection, message("Long-list") if current else None),
        "hmip": is_hmip_staff_on(request.user, inspection),
        "sample_final": bool(sample and sample.is_final),
    }
    return render(request, "casework/longlist/longlist.html", context, status=200)


def longlist_check(request, reference, token):
    """Check how a long-list was read (its headers and values in other words than the template's)
    before it is stored: accept, or cancel and upload a corrected file. Only someone who may upload
    the long-list sees it; a token of another inspection, or one already used, is a 404."""
    inspection = get_inspection_for(request.user, reference, "casework.upload_long_list")
    pending = intake.get_pending(inspection, token)
    if pending is None:
        raise Http404
    problem = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            intake.long_list_discard(pending=pending, by=request.user)
            messages.info(request, _("Nothing was stored. Correct the file and upload it again."))
            return redirect("casework:longlist", reference=reference)
        if action == "accept":
            try:
                long_list = intake.long_list_confirm(pending=pending, by=request.user)
            except intake.LongListInvalid as invalid:
                messages.error(request, _refused_headline(invalid))
                return redirect("casework:longlist", reference=reference)
            except ValidationError as exc:
                if not PendingLongList.objects.filter(pk=pending.pk).exists():
                    messages.error(request, " ".join(exc.messages))
                    return redirect("casework:longlist", reference=reference)
                problem = " ".join(exc.messages)
            else:
                messages.success(request, _accepted_message(inspection, long_list))
                return redirect("casework:longlist", reference=reference)
        else:
            problem = _("Choose whether to store the long-list as it was read.")
    readings = intake.pending_readings(pending)
    labels = {h.value: h.label for h in HEADINGS}
    context = {
        "inspection": inspection,
        "pending": pending,
        "problem": problem,
        "columns": [r for r in readings if r.kind == "column"],
        # A CSV file has no sheets: the column would only repeat "CSV file".
        "show_sheets": any(sheet for r in readings for sheet in r.sheets),
        "values": [r for r in readings if r.kind == "value"],
        "heading_counts": [(labels[h.value], pending.heading_counts.get(h.value, 0)) for h in HEADINGS],
        "expires": intake.pending_expires_at(pending),
    }
    return render(request, "casework/longlist/check.html", context, status=400 if problem else 200)


def _refused_headline(invalid: intake.LongListInvalid) -> str:
    n = len(invalid.errors)
    return ngettext(
        "%(name)s was not accepted: there is %(n)d problem to fix. Nothing has been stored. "
        "Fix it and upload the file again.",
        "%(name)s was not accepted: there are %(n)d problems to fix. Nothing has been stored. "
        "Fix them and upload the file again.",
        n,
    ) % {"name": invalid.filename, "n": n}


def _accepted_message(inspection, long_list: LongList) -> str:
    text = ngettext(
        "Long-list version %(v)d accepted from %(name)s: %(n)d case.",
        "Long-list version %(v)d accepted from %(name)s: %(n)d cases.",
        long_list.row_count,
    ) % {"v": long_list.version, "name": long_list.original_name, "n": long_list.row_count}
    if long_list.late:
        text += " " + _("It arrived after the deadline and is marked late.")
    return text


@require_GET
def longlist_template(request, reference):
    inspection = get_inspection_for(request.user, reference, "casework.view_long_list")
    response = HttpResponse(intake.template_for(inspection), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="long-list-template-{inspection.reference}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def longlist_versions(request, reference):
    inspection = get_inspection_for(request.user, reference, "casework.view_long_list")
    context = {"inspection": inspection, "versions": intake.versions_with_changes(inspection)}
    return render(request, "casework/longlist/versions.html", context)


@require_GET
def longlist_version(request, reference, version):
    inspection = get_inspection_for(request.user, reference, "casework.view_long_list")
    long_list = get_object_or_404(
        LongList.objects.select_related("uploaded_by"), inspection=inspection, version=version
    )
    context = {
        "inspection": inspection,
        "long_list": long_list,
        "entries": intake.entries_for_display(long_list),
        "identity": _identity(request, inspection, message("Long-list version %(v)s", v=version)),
        "is_current": intake.current_long_list(inspection).pk == long_list.pk,
    }
    return render(request, "casework/longlist/version.html", context)


# --- Sample --------------------------------------------------------------------------------------


def sample(request, reference):
    inspection = get_inspection_for(request.user, reference, "casework.view_sample")
    can_manage = request.user.has_perm("casework.manage_sample", inspection)
    current_sample = sampling.get_sample(inspection)
    is_final = bool(current_sample and current_sample.is_final)
    form = None
    if can_manage and not is_final:
        # Selecting again offers the same size and keeps the tie-break, so only a new long-list or
        # another size changes the outcome.
        initial = {"size": current_sample.size} if current_sample else {}
        form = SampleSelectForm(_data(request), initial=initial, replacing=current_sample is not None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if is_final:
            return _final_refusal(request, reference, current_sample)
        if form.is_valid():
            try:
                sampling.sample_select(
                    inspection=inspection,
                    by=request.user,
                    size=form.cleaned_data["size"],
                    seed=sampling.tie_break_seed(inspection, current_sample),
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Sample selected. Review it below, then mark it final."))
                return redirect("casework:sample", reference=reference)
    hmip = is_hmip_staff_on(request.user, inspection)
    context = {
        "inspection": inspection,
        "form": form,
        "can_manage": can_manage and not is_final,
        "can_export": can_manage,
        "hmip": hmip,
        "identity": _identity(request, inspection, message("Sample") if current_sample else None),
        "sample": current_sample,
        "is_final": is_final,
        # The YOT manager sees the sample only once it is final, and never the selection's internals.
        "state": sampling.sample_state(current_sample, inspection) if current_sample and (hmip or is_final) else None,
        "current": intake.current_long_list(inspection),
        "sample_due": inspection.timeline.get("sample_due"),
    }
    return render(request, "casework/longlist/sample.html", context)


def _final_refusal(request, reference, current_sample):
    messages.error(request, sampling.final_error(current_sample).messages[0])
    return redirect("casework:sample", reference=reference)


def _managed_sample(request, reference):
    inspection = get_inspection_for(request.user, reference, "casework.manage_sample")
    current_sample = sampling.get_sample(inspection)
    if current_sample is None:
        raise Http404("No sample yet")
    current_sample.inspection = inspection
    return inspection, current_sample


def sample_swap(request, reference, pk):
    inspection, current_sample = _managed_sample(request, reference)
    if current_sample.is_final:
        return _final_refusal(request, reference, current_sample)
    case = get_object_or_404(
        Case.objects.select_related("entry"), pk=pk, inspection=inspection, status=CaseStatus.SELECTED
    )
    case.inspection = inspection
    form = CaseEntryForm(
        _data(request),
        candidates=sampling.replacement_candidates(current_sample),
        entry_label=_("Which case should take its place?"),
        reason_label=_("Why is the case being swapped?"),
        submit=_("Swap the case"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = sampling.sample_case_swap(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("%(out)s swapped for %(in)s.") % {"out": case.entry.case_id, "in": new.entry.case_id}
            )
            return redirect("casework:sample", reference=reference)
    return render(request, "casework/longlist/case_form.html", _case_context(request, inspection, case, form, "swap"))


def sample_remove(request, reference, pk):
    inspection, current_sample = _managed_sample(request, reference)
    if current_sample.is_final:
        return _final_refusal(request, reference, current_sample)
    case = get_object_or_404(
        Case.objects.select_related("entry"), pk=pk, inspection=inspection, status=CaseStatus.SELECTED
    )
    case.inspection = inspection
    form = CaseRemoveForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            sampling.sample_case_remove(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(out)s removed from the sample.") % {"out": case.entry.case_id})
            return redirect("casework:sample", reference=reference)
    return render(request, "casework/longlist/case_form.html", _case_context(request, inspection, case, form, "remove"))


def sample_add(request, reference):
    inspection, current_sample = _managed_sample(request, reference)
    if current_sample.is_final:
        return _final_refusal(request, reference, current_sample)
    form = CaseEntryForm(
        _data(request),
        candidates=sampling.replacement_candidates(current_sample),
        entry_label=_("Which case should be added?"),
        reason_label=_("Why is the case being added?"),
        submit=_("Add the case"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = sampling.sample_case_add(sample=current_sample, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(in)s added to the sample.") % {"in": new.entry.case_id})
            return redirect("casework:sample", reference=reference)
    return render(request, "casework/longlist/case_form.html", _case_context(request, inspection, None, form, "add"))


def _case_context(request, inspection, case, form, action):
    return {
        "inspection": inspection,
        "case": case,
        "form": form,
        "action": action,
        "identity": _identity(request, inspection, message("A case of the sample")),
    }


def sample_finalise(request, reference):
    inspection, current_sample = _managed_sample(request, reference)
    if current_sample.is_final:
        return _final_refusal(request, reference, current_sample)
    error = None
    if request.method == "POST":
        try:
            sampling.sample_finalise(sample=current_sample, by=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The sample is final. Each case now has its HMI Probation reference."))
            return redirect("casework:sample", reference=reference)
    state = sampling.sample_state(current_sample, inspection)
    context = {"inspection": inspection, "state": state, "error": error}
    return render(request, "casework/longlist/finalise.html", context)


EXPORT_HEADERS = (
    gettext_lazy("HMI Probation reference"),
    gettext_lazy("YOIS/Careworks/Childview ID"),
    gettext_lazy("Heading"),
    gettext_lazy("Family name"),
    gettext_lazy("First names"),
    gettext_lazy("Date of birth"),
    gettext_lazy("Type of order/sentence"),
    gettext_lazy("Sentence date"),
    gettext_lazy("Case manager"),
    gettext_lazy("Case manager email"),
    gettext_lazy("Highest RoSH"),
    gettext_lazy("Highest vulnerability"),
    gettext_lazy("Why chosen"),
)


@require_GET
def sample_export(request, reference, fmt):
    """The sample for the SSO as CSV or xlsx, through the one export renderer (cells neutralised)."""
    inspection, current_sample = _managed_sample(request, reference)
    # The export carries names and dates of birth.
    if not _identity(request, inspection, message("Sample download (%(fmt)s)", fmt=fmt.upper())):
        raise PermissionDenied
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    state = sampling.sample_state(current_sample, inspection)
    rows = (
        [
            case.reference,
            case.entry.case_id,
            case.get_heading_display(),
            case.entry.family_name,
            case.entry.first_names,
            case.entry.date_of_birth,
            case.order_type,
            case.sentence_date,
            case.case_manager,
            case.case_manager_email,
            case.entry.rosh,
            case.entry.vulnerability,
            "; ".join(str(r) for r in case.reason_texts),
        ]
        for case in state.cases
    )
    data = render_export(rows, headers=[str(h) for h in EXPORT_HEADERS], fmt=fmt, title=_("Sample"))
    response = HttpResponse(data, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sample-{inspection.reference}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
