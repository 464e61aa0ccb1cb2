"""Sessions end after 30 idle minutes or 8 hours after sign-in; refusals are logged on one line."""

import logging
import time

import pytest
from django.urls import reverse

from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


def _signed_in(client, **session):
    inspection = f.inspection()
    client.force_login(inspection.lead_inspector)
    stored = client.session
    for key, value in session.items():
        stored[key] = value
    stored.save()
    return reverse("inspections:detail", args=[inspection.reference])


def test_an_active_session_carries_on(client):
    now = int(time.time())
    url = _signed_in(client, _signed_in_at=now - 3600, _seen_at=now - 60)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("ago_signed_in", "ago_seen", "says"),
    [(3600, 31 * 60, "had not used the service"), (8 * 3600 + 5, 10, "more than 8 hours ago")],
    ids=["idle-31-minutes", "absolute-8-hours"],
)
def test_a_session_ends_when_idle_or_old(client, ago_signed_in, ago_seen, says):
    now = int(time.time())
    url = _signed_in(client, _signed_in_at=now - ago_signed_in, _seen_at=now - ago_seen)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert says in client.get(response.url).content.decode()


@pytest.mark.parametrize("code", [403, 404], ids=["forbidden", "not-found"])
def test_a_refusal_is_logged_as_one_line(client, caplog, code):
    from inspections.enums import TeamRole

    inspection = f.inspection()
    if code == 403:
        client.force_login(f.member(inspection, TeamRole.ASSISTANT_INSPECTOR))
    else:
        client.force_login(f.user())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("inspections:edit", args=[inspection.reference])).status_code == code
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].exc_info is None
