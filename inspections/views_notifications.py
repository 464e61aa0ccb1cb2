"""The emails the service sent about an inspection, for its lead inspector and SSO (issue 9 §2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.enums import NotificationStatus
from inspections.identity_log import identity_views_of_inspection
from inspections.notifications import notification_retry
from inspections.selectors import get_inspection_for


def notification_list(request, reference):
    inspection = get_inspection_for(request.user, reference, "inspections.view_notifications")
    notifications = inspection.notifications.select_related("recipient").order_by("-created_at", "-id")
    failed = [n for n in notifications.filter(status=NotificationStatus.FAILED)]
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/notifications.html",
        {"inspection": inspection, "page": page, "failed": failed},
    )


def identity_log(request, reference):
    """Who was shown the children's names and dates of birth on this inspection (issue 11 §6)."""
    inspection = get_inspection_for(request.user, reference, "inspections.view_identity_log")
    page = Paginator(identity_views_of_inspection(inspection), 50).get_page(request.GET.get("page"))
    context = {
        "inspection": inspection,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    }
    return render(request, "inspections/identity_log.html", context)


@require_POST
def notification_resend(request, reference, pk):
    inspection = get_inspection_for(request.user, reference, "inspections.view_notifications")
    notification = get_object_or_404(inspection.notifications, pk=pk)
    if notification.status != NotificationStatus.FAILED:
        messages.info(request, _("That email is not waiting to be sent again: nothing changed."))
    else:
        notification_retry(notification=notification)
        messages.success(request, _("The email to %(to)s is being sent again.") % {"to": notification.to_email})
    return redirect("inspections:notifications", reference=reference)
