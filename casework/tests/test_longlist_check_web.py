"""Check how a long-list was read before it is stored (issue 10 item 2): a file in Appendix A's words
or a case management system's values is held aside, every reading is shown to the YOT manager, and
nothing is stored until they accept; cancel, expiry, double accepts and access."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.models import LongList, PendingLongList
from casework.services import longlist as intake
from casework.tests import factories_longlist as fl
from casework.tests.test_longlist_appendix_a import appendix_a_csv
from inspections.enums import Status
from inspections.models import AuditEvent
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return fl.team()


def _export(world, n=30) -> bytes:
    return appendix_a_csv(fl.rows_for(world["inspection"], n))


def _upload(client, world, data: bytes, name: str = "export.csv"):
    client.force_login(world["people"]["yot_manager"])
    url = reverse("casework:longlist", args=[world["inspection"].reference])
    return client.post(url, {"upload": SimpleUploadedFile(name, data)})


def _check_url(world, pending) -> str:
    return reverse("casework:longlist_check", args=[world["inspection"].reference, pending.token.hex])


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_an_export_is_held_and_its_readings_shown_before_anything_is_stored(client, world):
    inspection = world["inspection"]
    data = _export(world)
    response = _upload(client, world, data)
    pending = PendingLongList.objects.get(inspection=inspection)
    assert response.status_code == 302 and response["Location"] == _check_url(world, pending)
    assert not LongList.objects.filter(inspection=inspection).exists()
    assert default_storage.exists(pending.file.name)
    inspection.refresh_from_db()
    assert inspection.status == Status.ANNOUNCED

    page = _page(client.get(_check_url(world, pending)))
    assert "Check how we read your long-list" in page
    assert "export.csv has 30 cases and no errors" in page
    assert "ASSET score from first assessment post sentence" in page  # the heading as the file has it
    assert "White British" in page
    assert "Nothing is stored until you accept" in page
    assert fl.DISTINCTIVE not in page  # readings never show a child's details


def test_accepting_stores_the_version_and_deletes_the_held_file(client, world, django_capture_on_commit_callbacks):
    inspection = world["inspection"]
    _upload(client, world, _export(world))
    pending = PendingLongList.objects.get(inspection=inspection)
    name = pending.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_check_url(world, pending), {"action": "accept"})
    assert response.status_code == 302
    long_list = LongList.objects.get(inspection=inspection)
    assert (long_list.version, long_list.row_count, long_list.original_name) == (1, 30, "export.csv")
    assert long_list.entries.filter(family_name=fl.DISTINCTIVE).exists()
    assert not PendingLongList.objects.exists()
    assert not default_storage.exists(name)
    event = AuditEvent.objects.get(inspection=inspection, action="long_list_uploaded")
    assert event.detail["readings_accepted"] > 0
    inspection.refresh_from_db()
    assert inspection.status == Status.LONG_LIST_RECEIVED
    # The token is used up: a second accept (another tab) finds nothing.
    assert client.post(_check_url(world, pending), {"action": "accept"}).status_code == 404


def test_cancelling_stores_nothing_and_deletes_the_file(client, world):
    _upload(client, world, _export(world))
    pending = PendingLongList.objects.get()
    name = pending.file.name
    response = client.post(_check_url(world, pending), {"action": "cancel"}, follow=True)
    assert "Nothing was stored" in _page(response)
    assert not LongList.objects.exists() and not PendingLongList.objects.exists()
    assert not default_storage.exists(name)


def test_no_choice_keeps_the_page_with_an_error(client, world):
    _upload(client, world, _export(world))
    pending = PendingLongList.objects.get()
    response = client.post(_check_url(world, pending), {})
    assert response.status_code == 400
    assert "Choose whether to store the long-list as it was read." in _page(response)
    assert PendingLongList.objects.exists()


def test_a_file_in_the_templates_own_words_is_stored_at_once(client, world):
    inspection = world["inspection"]
    response = _upload(client, world, fl.filled_template(inspection, fl.rows_for(inspection, 20)), "long-list.xlsx")
    assert response.status_code == 302 and response["Location"].endswith("/long-list/")
    assert LongList.objects.get(inspection=inspection).row_count == 20
    assert not PendingLongList.objects.exists()


def test_an_expired_check_is_deleted_and_says_so(client, world):
    _upload(client, world, _export(world))
    pending = PendingLongList.objects.get()
    PendingLongList.objects.filter(pk=pending.pk).update(
        uploaded_at=pending.uploaded_at - dt.timedelta(hours=intake.PENDING_HOURS, minutes=1)
    )
    response = client.post(_check_url(world, pending), {"action": "accept"}, follow=True)
    assert "This check has expired" in _page(response)
    assert not LongList.objects.exists() and not PendingLongList.objects.exists()


def test_lateness_is_judged_by_when_the_file_was_uploaded_not_accepted(world):
    inspection = world["inspection"]
    yot_manager = world["people"]["yot_manager"]
    due = intake.long_list_due(inspection)
    pending = intake.long_list_receive(
        inspection=inspection, by=yot_manager, data=_export(world), filename="x.csv", now=due - dt.timedelta(hours=1)
    )
    long_list = intake.long_list_confirm(pending=pending, by=yot_manager, now=due + dt.timedelta(hours=2))
    assert long_list.late is False


def test_two_accepts_of_one_check_store_one_version(world):
    inspection = world["inspection"]
    yot_manager = world["people"]["yot_manager"]
    pending = intake.long_list_receive(inspection=inspection, by=yot_manager, data=_export(world), filename="x.csv")
    same = PendingLongList.objects.get(pk=pending.pk)  # the second tab's copy
    intake.long_list_confirm(pending=pending, by=yot_manager)
    with pytest.raises(ValidationError):
        intake.long_list_confirm(pending=same, by=yot_manager)
    assert LongList.objects.filter(inspection=inspection).count() == 1


def test_held_files_older_than_the_limit_are_deleted_by_the_daily_job(world):
    inspection = world["inspection"]
    yot_manager = world["people"]["yot_manager"]
    old = intake.long_list_receive(
        inspection=inspection,
        by=yot_manager,
        data=_export(world),
        filename="old.csv",
        now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=intake.PENDING_HOURS + 1),
    )
    fresh = intake.long_list_receive(inspection=inspection, by=yot_manager, data=_export(world), filename="new.csv")
    assert intake.pending_long_lists_expire() == 1
    assert list(PendingLongList.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not default_storage.exists(old.file.name)
    assert AuditEvent.objects.filter(action="long_list_hold_expired").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("stranger", 404), ("lead", 403), ("sso", 403), ("assessor", 403), ("partner", 403), ("yot_manager", 200)],
)
def test_only_who_may_upload_sees_the_check(client, world, persona, status):
    pending = intake.long_list_receive(
        inspection=world["inspection"], by=world["people"]["yot_manager"], data=_export(world), filename="x.csv"
    )
    client.force_login(world["people"][persona])
    assert client.get(_check_url(world, pending)).status_code == status
    assert client.post(_check_url(world, pending), {"action": "accept"}).status_code in (status, 302)
    if status != 200:
        assert PendingLongList.objects.filter(pk=pending.pk).exists()


def test_a_token_of_another_inspection_or_a_made_up_one_is_404(client, world):
    inspection = world["inspection"]
    # A second inspection of the same YOT, which its manager may see.
    other = f.inspection(lead=world["people"]["lead"], yot_=inspection.yot, fieldwork_start=fl.monday(20))
    pending = intake.long_list_receive(
        inspection=inspection, by=world["people"]["yot_manager"], data=_export(world), filename="x.csv"
    )
    client.force_login(world["people"]["yot_manager"])
    assert client.get(reverse("casework:longlist", args=[other.reference])).status_code == 200
    url = reverse("casework:longlist_check", args=[other.reference, pending.token.hex])
    assert client.get(url).status_code == 404
    client.force_login(world["people"]["yot_manager"])
    url = reverse("casework:longlist_check", args=[world["inspection"].reference, "not-a-token"])
    assert client.get(url).status_code == 404
