"""Service users' views in an FJI (services in reports/voices.py): HMI Probation's staff and partner
inspectors of the inspection record and read them; the YOT manager and local assessors get 403, people
outside the inspection 404; an SQS has none (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inspections.enums import Programme
from inspections.selectors import get_inspection_for
from reports import voices
from reports.domain.voices import QUESTIONS
from reports.enums import ServiceUserAnswer
from reports.forms_voices import ServiceUserViewForm
from reports.models import ServiceUserView

# The report section's title, stored in English and translated where it is shown.
SECTION_TITLE = gettext_noop("What children, parents and carers, and victims told us")


def service_users(request, reference):
    inspection = get_inspection_for(request.user, reference, "reports.record_service_users")
    if inspection.programme != Programme.FJI:
        raise Http404("An SQS does not gather service users' views")
    cases = voices.sample_cases(inspection)
    form = ServiceUserViewForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("case")
        case = next((c for c in cases if str(c.pk) == chosen), None)
        try:
            voices.view_record(inspection=inspection, by=request.user, case=case, **data)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The view is saved."))
            return redirect("reports:service_users", reference=reference)
    rows = ServiceUserView.objects.filter(inspection=inspection).select_related("case", "recorded_by")
    summary = voices.summarise(rows)
    labels = {
        "understood": _("Understood what the YOT was doing and why"),
        "listened": _("Felt the YOT listened to them"),
        "helped": _("Said the work had helped"),
    }
    table = [
        (labels[q], [summary.answers[q].get(a.value, 0) for a in ServiceUserAnswer], summary.yes_share(q))
        for q in QUESTIONS
    ]
    context = {
        "inspection": inspection,
        "form": form,
        "rows": rows,
        "summary": summary,
        "table": table,
        "answers": list(ServiceUserAnswer),
    }
    return render(request, "reports/service_users.html", context, status=400 if form.errors else 200)
