"""Emails at each handoff: created once per key, in the recipient's language, retried, shown when they fail."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.urls import reverse

from inspections.enums import Language, NotificationStatus, StaffRole, TeamRole
from inspections.models import Notification
from inspections.notifications import notification_send, notify, notify_people, render_email
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

REFUSED_SMTP = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1"}


def _send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(**kwargs)


def _reminder_kwargs(inspection, person, key="k"):
    milestone = inspection.timeline.get("long_list_due")
    return {
        "key": key,
        "kind": "reminder_due",
        "template": "reminder_due",
        "context": {"inspection": inspection, "milestone": milestone, "link": "http://testserver/x/"},
        "recipient": person,
        "inspection": inspection,
    }


def test_notify_sends_one_email_per_key_however_often_it_is_asked(django_capture_on_commit_callbacks):
    inspection = f.inspection()
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot)
    first = _send(django_capture_on_commit_callbacks, **_reminder_kwargs(inspection, manager))
    second = _send(django_capture_on_commit_callbacks, **_reminder_kwargs(inspection, manager))
    assert first is not None and second is None
    assert Notification.objects.filter(key="k").count() == 1
    assert [m.to for m in mail.outbox] == [[manager.email]]
    sent = Notification.objects.get(key="k")
    assert (sent.status, sent.attempts, sent.recipient) == (NotificationStatus.SENT, 1, manager)
    assert "http://testserver/x/" in mail.outbox[0].body
    assert f"Dear {manager.get_full_name()}," in mail.outbox[0].body


def test_notify_skips_people_without_an_email_or_who_are_deactivated(django_capture_on_commit_callbacks):
    inspection = f.inspection()
    gone = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, is_active=False)
    no_email = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, email="")
    with django_capture_on_commit_callbacks(execute=True):
        created = notify_people(
            people=[gone, no_email],
            key="x",
            kind="k",
            template="reminder_due",
            context=_reminder_kwargs(inspection, gone)["context"],
            inspection=inspection,
        )
    assert created == []
    assert mail.outbox == []


def test_an_email_is_rendered_in_the_recipients_language():
    inspection = f.inspection()
    context = _reminder_kwargs(inspection, None)["context"]
    _, english = render_email("reminder_due", {"recipient_name": "Rhian", **context}, Language.ENGLISH)
    _, welsh = render_email("reminder_due", {"recipient_name": "Rhian", **context}, Language.WELSH)
    # Dates come out in the recipient's language whatever the catalogue holds.
    date = inspection.timeline.get("long_list_due").date
    assert date.strftime("%B") in english
    assert date.strftime("%B") not in welsh


def test_the_language_recorded_for_a_person_is_the_language_of_their_email(django_capture_on_commit_callbacks):
    inspection = f.inspection()
    rhian = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot, language=Language.WELSH)
    _send(django_capture_on_commit_callbacks, **_reminder_kwargs(inspection, rhian))
    assert Notification.objects.get(key="k").language == Language.WELSH


@pytest.mark.parametrize("port", [1], ids=["connection-refused"])
def test_an_email_that_cannot_be_sent_is_retried_then_shown_to_the_lead_inspector(
    client, settings, port, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = REFUSED_SMTP["EMAIL_BACKEND"]
    settings.EMAIL_HOST, settings.EMAIL_PORT = REFUSED_SMTP["EMAIL_HOST"], port
    inspection = f.inspection()
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot)
    _send(django_capture_on_commit_callbacks, **_reminder_kwargs(inspection, manager))
    failed = Notification.objects.get(key="k")
    # In-process there is no queue to wait on: it shows as failed at once (a real worker retries first).
    assert (failed.status, failed.attempts) == (NotificationStatus.FAILED, 1)
    assert "ConnectionRefusedError" in failed.last_error

    lead = inspection.lead_inspector
    client.force_login(lead)
    overview = client.get(reverse("inspections:timeline", args=[inspection.reference]))
    assert "1 email about this inspection could not be sent." in overview.content.decode()
    page = client.get(reverse("inspections:notifications", args=[inspection.reference]))
    assert failed.subject in page.content.decode()
    assert "Tried 1 time." in page.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("inspections:notification_resend", args=[inspection.reference, failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (NotificationStatus.SENT, 2)
    assert [m.to for m in mail.outbox] == [[manager.email]]
    # A second click finds nothing to send.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inspections:notification_resend", args=[inspection.reference, failed.pk]))
    assert len(mail.outbox) == 1


def test_only_the_lead_inspector_and_sso_see_the_emails_page(client):
    inspection = f.inspection()
    sso = f.member(inspection, TeamRole.SSO)
    assessor = f.member(inspection, TeamRole.ASSISTANT_INSPECTOR)
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot)
    stranger = f.user(role=StaffRole.LEAD_INSPECTOR)
    url = reverse("inspections:notifications", args=[inspection.reference])
    codes = {}
    for name, person in {"sso": sso, "assessor": assessor, "yot": manager, "stranger": stranger}.items():
        client.force_login(person)
        codes[name] = client.get(url).status_code
    assert codes == {"sso": 200, "assessor": 403, "yot": 403, "stranger": 404}


def test_a_resend_by_someone_who_may_not_changes_nothing(client, django_capture_on_commit_callbacks, settings):
    inspection = f.inspection()
    manager = f.user(role=StaffRole.YOT_MANAGER, yot=inspection.yot)
    notification = Notification.objects.create(
        key="failed", kind="k", inspection=inspection, to_email="a@example.org", subject="s", body="b",
        status=NotificationStatus.FAILED, attempts=7,
    )  # fmt: skip
    client.force_login(manager)
    response = client.post(reverse("inspections:notification_resend", args=[inspection.reference, notification.pk]))
    assert response.status_code == 403
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.FAILED, 7)


def test_sending_twice_sends_once():
    inspection = f.inspection()
    notification = Notification.objects.create(
        key="once", kind="k", inspection=inspection, to_email="a@example.org", subject="s", body="b"
    )
    assert notification_send(notification_id=notification.pk) is True
    assert notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


class _NotifyStandIn(BaseHTTPRequestHandler):
    """Answers as GOV.UK Notify's API does to POST /v2/notifications/email, and keeps what it was sent."""

    received: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append({"path": self.path, "auth": self.headers.get("Authorization", ""), **body})
        payload = json.dumps({"id": str(uuid.uuid4()), "content": {}, "template": {}}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_emails_go_through_gov_uk_notify_when_it_is_chosen(settings):
    server = HTTPServer(("127.0.0.1", 0), _NotifyStandIn)
    _NotifyStandIn.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        template_id = str(uuid.uuid4())
        settings.EMAIL_BACKEND = "inspections.mail.NotifyEmailBackend"
        settings.GOVUK_NOTIFY_API_KEY = f"test-{uuid.uuid4()}-{uuid.uuid4()}"
        settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = template_id
        settings.GOVUK_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
        inspection = f.inspection()
        notification = Notification.objects.create(
            key="notify", kind="k", inspection=inspection, to_email="yot.manager@council.example.gov.uk",
            to_name="Ann Other", subject="Subject line", body="Body text",
        )  # fmt: skip
        assert notification_send(notification_id=notification.pk) is True
    finally:
        server.shutdown()
    assert len(_NotifyStandIn.received) == 1
    request = _NotifyStandIn.received[0]
    assert request["path"] == "/v2/notifications/email"
    assert request["auth"].startswith("Bearer ")
    assert request["email_address"] == "yot.manager@council.example.gov.uk"
    assert request["template_id"] == template_id
    assert request["personalisation"] == {"subject": "Subject line", "body": "Body text"}
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


def test_an_email_whose_task_was_lost_is_queued_again_by_the_sweep(django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from inspections.notifications import notifications_sweep

    inspection = f.inspection()
    lost = Notification.objects.create(
        key="lost", kind="k", inspection=inspection, to_email="a@example.org", subject="s", body="b"
    )
    recent = Notification.objects.create(
        key="recent", kind="k", inspection=inspection, to_email="b@example.org", subject="s", body="b"
    )
    Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    assert notifications_sweep() == [lost.pk]
    assert Notification.objects.get(pk=lost.pk).status == NotificationStatus.SENT
    assert Notification.objects.get(pk=recent.pk).status == NotificationStatus.QUEUED
    assert notifications_sweep() == []
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_a_sent_invitation_keeps_no_usable_link():
    inspection = f.inspection()
    link = "http://testserver/accounts/invitation/Zx9-abc_DEF123/"
    notification = Notification.objects.create(
        key="invite", kind="invitation", inspection=inspection, to_email="a@example.org", subject="s",
        body=f"Set your password here: {link}\nThanks",
    )  # fmt: skip
    assert notification_send(notification_id=notification.pk) is True
    assert link in mail.outbox[0].body
    notification.refresh_from_db()
    assert "Zx9-abc_DEF123" not in notification.body
    assert notification.body == "Set your password here: [single-use link removed after sending]\nThanks"
