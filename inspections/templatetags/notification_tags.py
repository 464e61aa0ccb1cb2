"""The lead inspector and SSO see, on every page of the inspection, when an email could not be sent."""

from django import template

from inspections.enums import NotificationStatus

register = template.Library()


@register.simple_tag
def failed_email_count(user, inspection) -> int:
    if not user.has_perm("inspections.view_notifications", inspection):
        return 0
    return inspection.notifications.filter(status=NotificationStatus.FAILED).count()
