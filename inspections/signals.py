"""Reactions to events of the framework and its add-ons."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.dispatch import receiver
from django.utils import timezone

from inspections.models import User


@receiver(user_locked_out)
def tell_the_person_they_were_locked_out(sender, request, username, ip_address, **kwargs):
    """A lock-out holds one person at one address for an hour (issue 15 §5); the person is told by
    email, so that a lock-out they did not cause is noticed. One email per person, address and hour."""
    from inspections.notifications import notify

    person = User.objects.filter(username=username, is_active=True).first() if username else None
    if person is None:
        return
    hour = timezone.now().strftime("%Y%m%d%H")
    notify(
        key=f"locked_out:{person.pk}:{ip_address}:{hour}",
        kind="locked_out",
        template="locked_out",
        context={"ip_address": ip_address or "", "at": timezone.now()},
        recipient=person,
    )
