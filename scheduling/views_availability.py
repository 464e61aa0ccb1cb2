"""The case managers' availability pages: the list, one case manager's week, the spreadsheet
(template and upload) and the cases read from the record. Every view asks the permission helper first.

The YOT manager gives availability as soon as the long-list is uploaded (seed 000 §10.2, §15), for
everyone on it; the sample's case managers come first once it is selected.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from casework.longlist.spec import DEFAULT_MAX_BYTES
from inspections.selectors import get_inspection_for
from scheduling import forms, services
from scheduling import selectors as S
from scheduling.availability import XLSX_TYPE
from scheduling.views import _case, _milestone

ERRORS_IN_SUMMARY = 10


def _availability_context(request, inspection, *, upload_form=None, refused=None) -> dict:
    people, no_email = S.availability_people(inspection)
    days = inspection.fieldwork_days
    record_only = S.record_only_ids(inspection)
    can_enter = request.user.has_perm("scheduling.enter_availability", inspection)
    rows = []
    for person in people:
        given = {d.day: d for d in person.availability.days.all()} if person.availability else {}
        rows.append((person, forms.case_manager_key(person.email), [(day, given.get(day)) for day in days]))
    return {
        "inspection": inspection,
        "rows": rows,
        "no_email": no_email,
        "days": days,
        "has_long_list": S.current_long_list(inspection) is not None,
        "has_sample": any(p.cases for p in people) or bool(no_email),
        "record_only": {c.reference for p in people for c in p.cases if c.pk in record_only},
        "can_enter": can_enter,
        "can_mark": request.user.has_perm("scheduling.mark_record_only", inspection),
        "long_list_due": _milestone(inspection.timeline, "long_list_due"),
        "upload_form": upload_form
        or (forms.AvailabilityUploadForm(max_bytes=DEFAULT_MAX_BYTES) if can_enter else None),
        "refused": refused,
        "summary_errors": refused.errors[:ERRORS_IN_SUMMARY] if refused else (),
    }


def availability(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.view_availability")
    return render(request, "scheduling/availability.html", _availability_context(request, inspection))


@require_GET
def availability_template(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.view_availability")
    response = HttpResponse(services.availability_template(inspection=inspection), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{inspection.reference}-availability.xlsx"'
    return response


def availability_upload(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.enter_availability")
    if request.method != "POST":
        return redirect("scheduling:availability", reference=reference)
    form = forms.AvailabilityUploadForm(request.POST, request.FILES, max_bytes=DEFAULT_MAX_BYTES)
    refused = None
    if form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            done = services.availability_upload(
                inspection=inspection, by=request.user, data=upload.read(), filename=upload.name
            )
        except services.AvailabilityInvalid as invalid:
            refused = invalid
            form.add_error(
                "upload",
                ngettext(
                    "%(name)s was not saved: it has %(n)d problem. Nothing has changed.",
                    "%(name)s was not saved: it has %(n)d problems. Nothing has changed.",
                    len(invalid.errors),
                )
                % {"name": invalid.filename, "n": len(invalid.errors)},
            )
        else:
            message = ngettext(
                "Availability saved for %(n)d case manager.",
                "Availability saved for %(n)d case managers.",
                len(done.saved),
            ) % {"n": len(done.saved)}
            if done.unchanged:
                message += " " + ngettext(
                    "%(n)d row gave nothing, so nothing changed for that case manager.",
                    "%(n)d rows gave nothing, so nothing changed for those case managers.",
                    done.unchanged,
                ) % {"n": done.unchanged}
            messages.success(request, message)
            return redirect("scheduling:availability", reference=reference)
    context = _availability_context(request, inspection, upload_form=form, refused=refused)
    return render(request, "scheduling/availability.html", context, status=400)


def availability_edit(request, reference, key):
    inspection = get_inspection_for(request.user, reference, "scheduling.enter_availability")
    people, _no_email = S.availability_people(inspection)
    person = next((p for p in people if forms.case_manager_key(p.email) == key), None)
    if person is None:
        raise Http404("No such case manager")
    days = inspection.fieldwork_days
    initial = forms.AvailabilityForm.initial_from(person.availability, days)
    form = forms.AvailabilityForm(request.POST or None, initial=initial, name=person.name, days=days)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.availability_save(
                inspection=inspection,
                email=person.email,
                by=request.user,
                returning_from_absence=data["returning_from_absence"],
                needs=data["needs"],
                max_per_day=data["max_per_day"],
                days=data["days"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Availability saved for %(name)s.") % {"name": person.name})
            return redirect("scheduling:availability", reference=reference)
    return render(
        request, "scheduling/availability_form.html", {"inspection": inspection, "group": person, "form": form}
    )


@require_POST
def record_only(request, reference):
    inspection = get_inspection_for(request.user, reference, "scheduling.mark_record_only")
    form = forms.RecordOnlyForm(request.POST, cases=S.sampled_cases(inspection))
    if not form.is_valid():
        return HttpResponse(_("Choose a case from the sample."), status=400, content_type="text/plain")
    case = _case(inspection, form.cleaned_data["case"])
    services.case_record_only_set(
        inspection=inspection, case=case, record_only=form.cleaned_data["record_only"], by=request.user
    )
    if form.cleaned_data["record_only"]:
        messages.success(
            request, _("%(ref)s will be inspected from the record: no case manager is available.") % {"ref": case.label}
        )
    else:
        messages.success(request, _("%(ref)s will be scheduled with its case manager.") % {"ref": case.label})
    return redirect("scheduling:availability", reference=reference)
