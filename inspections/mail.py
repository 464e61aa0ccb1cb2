"""GOV.UK Notify as Django's email backend (``EMAIL_PROVIDER=notify``).

django-gov-notify does the work; this subclass only lets ``GOVUK_NOTIFY_BASE_URL`` point the
client elsewhere (Notify's own address by default), which is how the tests talk to a local
stand-in for the Notify API over real HTTP.
"""

from __future__ import annotations

from django.conf import settings
from django_gov_notify.backends import NotifyEmailBackend as GovNotifyEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyEmailBackend(GovNotifyEmailBackend):
    def open(self):
        if self.client:
            return
        self.client = NotificationsAPIClient(self.api_key, base_url=settings.GOVUK_NOTIFY_BASE_URL)
