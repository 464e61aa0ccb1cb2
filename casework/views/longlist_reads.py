"""The page that follows a large long-list while a worker reads it (issue 15 §2).

Only someone who may upload the inspection's long-list sees it (its YOT manager: the HMI Probation
team sees the outcome on the long-list page); a token of another inspection is a 404. While the
file is read the page shows the rows read so far and refreshes itself (htmx, or a link without
JavaScript); once read it goes where a small upload goes: the long-list page with the version
accepted, the check page for a file that needed readings, or the problems found, listed as on the
upload page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from casework.enums import LongListReadStatus as Status
from casework.services import longlist_reads as reads
from casework.services.longlist import LongListInvalid
from casework.views.longlist import ERRORS_IN_SUMMARY, _accepted_message, _refused_headline
from inspections.selectors import get_inspection_for


def _go(request, url: str) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def longlist_read(request, reference, token):
    inspection = get_inspection_for(request.user, reference, "casework.upload_long_list")
    read = reads.get_read(inspection, token)
    if read is None:
        raise Http404
    if read.status == Status.STORED:
        if read.long_list is not None:
            messages.success(request, _accepted_message(inspection, read.long_list))
        return _go(request, reverse("casework:longlist", kwargs={"reference": reference}))
    if read.status == Status.HELD and read.pending_id:
        pending = read.pending
        if pending is not None:
            return _go(
                request, reverse("casework:longlist_check", kwargs={"reference": reference, "token": pending.token.hex})
            )
    context = {
        "inspection": inspection,
        "read": read,
        "summary_errors": read.errors[:ERRORS_IN_SUMMARY],
        "refused": {"filename": read.original_name, "errors": read.errors},
        # The same words as a small file's refusal on the upload page.
        "headline": _refused_headline(
            LongListInvalid(filename=read.original_name, errors=read.errors, row_count=read.rows_read)
        )
        if read.errors
        else "",
    }
    template = "casework/longlist/_reading.html" if request.htmx else "casework/longlist/reading.html"
    return render(request, template, context)
