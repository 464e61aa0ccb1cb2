"""Large long-lists read by a worker (issue 15 §2): the upload page hands a file over
``LONG_LIST_BACKGROUND_BYTES`` to a worker and follows it; the outcome is the same as a small file's;
a read happens exactly once however often its message arrives; the sweeper sends a lost or stopped
read again and fails it visibly in the end; the file never outlives the read; and only those who may
upload the inspection's long-list see the page."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework.enums import Heading
from casework.enums import LongListReadStatus as Status
from casework.longlist.reader import DEFAULT_MAX_BYTES
from casework.models import LongList, LongListEntry, LongListRead, PendingLongList
from casework.services import longlist_reads as reads
from casework.tests import factories_longlist as fl
from inspections.models import AuditEvent
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.LONG_LIST_BACKGROUND_BYTES = 1000  # every test file is "large"
    return fl.team()


def _upload(client, world, data: bytes, name: str = "long-list.xlsx", persona: str = "yot_manager"):
    client.force_login(world["people"][persona])
    url = reverse("casework:longlist", args=[world["inspection"].reference])
    return client.post(url, {"upload": SimpleUploadedFile(name, data)})


def _read_url(world, read) -> str:
    return reverse("casework:longlist_read", args=[world["inspection"].reference, read.token.hex])


def _queue(world, data: bytes, name="long-list.xlsx", **kwargs) -> LongListRead:
    return reads.long_list_read_later(
        inspection=world["inspection"], by=world["people"]["yot_manager"], data=data, filename=name,
        language=kwargs.pop("language", "en-gb"), **kwargs,
    )  # fmt: skip


# --- The upload page hands a large file over ---------------------------------------------------


def test_a_large_upload_is_queued_not_read_in_the_request(client, world, django_capture_on_commit_callbacks):
    inspection = world["inspection"]
    data = fl.workbook(inspection, fl.rows_for(inspection, 30))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(client, world, data)
    read = LongListRead.objects.get()
    assert response.status_code == 302 and response["Location"] == _read_url(world, read)
    assert len(callbacks) == 1  # the worker is asked once the row is committed
    assert read.status == Status.QUEUED and read.size == len(data) and default_storage.exists(read.file.name)
    assert LongList.objects.count() == 0  # nothing read yet
    page = html.unescape(client.get(_read_url(world, read)).content.decode())
    assert "Reading your long-list" in page and "Waiting to be read" in page
    assert 'hx-trigger="every 2s"' in page and "Refresh to check progress" in page
    assert fl.DISTINCTIVE not in page


def test_a_small_upload_is_still_read_at_once(client, world, settings):
    settings.LONG_LIST_BACKGROUND_BYTES = 10 * 1024 * 1024
    inspection = world["inspection"]
    response = _upload(client, world, fl.workbook(inspection, fl.rows_for(inspection, 30)))
    assert response["Location"] == reverse("casework:longlist", args=[inspection.reference])
    assert LongListRead.objects.count() == 0 and LongList.objects.count() == 1


def test_a_read_stores_the_long_list_once_with_the_upload_time_and_deletes_the_file(
    client, world, django_capture_on_commit_callbacks
):
    inspection = world["inspection"]
    uploaded = timezone.now() - dt.timedelta(hours=2)
    read = _queue(world, fl.workbook(inspection, fl.rows_for(inspection, 1200)), now=uploaded)
    name = read.file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert reads.long_list_read_run(read_id=read.pk) == Status.STORED
        assert reads.long_list_read_run(read_id=read.pk) is None  # a second delivery does nothing

    read.refresh_from_db()
    long_list = LongList.objects.get()
    assert (read.status, read.rows_read, read.long_list, read.attempts) == (Status.STORED, 1200, long_list, 1)
    assert long_list.uploaded_at >= uploaded and LongListEntry.objects.count() == 1200
    assert not read.file and not default_storage.exists(name)
    client.force_login(world["people"]["yot_manager"])
    response = client.get(_read_url(world, read), follow=True)
    assert "Long-list version 1 accepted from long-list.xlsx: 1200 cases." in response.content.decode()


def test_progress_is_written_while_reading(world, monkeypatch):
    inspection = world["inspection"]
    read = _queue(world, fl.workbook(inspection, fl.rows_for(inspection, 1200)))
    seen = []
    real = reads._heartbeat

    def watching(read_id, token):
        beat = real(read_id, token)

        def progress(rows):
            beat(rows)
            seen.append(LongListRead.objects.get(pk=read_id).rows_read)

        return progress

    monkeypatch.setattr(reads, "_heartbeat", watching)
    reads.long_list_read_run(read_id=read.pk)
    assert seen == [500, 1000]


def test_a_refused_file_lists_every_problem_in_the_uploaders_language(client, world):
    inspection = world["inspection"]
    rows = fl.rows_for(inspection, 24, seed=5)

    def two_errors(wb):
        wb["Community"].cell(row=fl.FIRST, column=fl.column(Heading.COMMUNITY, "sentence_date")).value = "12/12/2025"
        wb["Community"].cell(row=fl.FIRST + 1, column=fl.column(Heading.COMMUNITY, "case_manager_email")).value = None

    read = _queue(world, fl.filled_template(inspection, rows, two_errors), name="mine.xlsx", language="cy")
    assert reads.long_list_read_run(read_id=read.pk) == Status.REFUSED
    read.refresh_from_db()
    assert len(read.errors) == 2 and not read.file
    assert "Rhes" in read.errors[1]["message"] or "Rhes" in read.errors[0]["message"]  # written in Welsh
    assert LongList.objects.count() == 0
    assert AuditEvent.objects.filter(action="long_list_refused").count() == 1

    read.language = "en-gb"
    read.save()
    client.force_login(world["people"]["yot_manager"])
    page = html.unescape(client.get(_read_url(world, read)).content.decode())
    assert "Your long-list was not accepted" in page
    assert "mine.xlsx was not accepted: there are 2 problems to fix. Nothing has been stored." in page
    assert page.count('id="longlist-error-') == 2 and "hx-trigger" not in page


def test_a_file_needing_readings_is_held_and_the_page_goes_to_the_check(client, world):
    inspection = world["inspection"]
    rows = fl.rows_for(inspection, 12)

    def synonyms(wb):
        for ws in wb.worksheets[1:]:
            for cell in ws[fl.FIRST - 1]:
                if cell.value == "Gender":
                    cell.value = "Sex"

    read = _queue(world, fl.filled_template(inspection, rows, synonyms))
    assert reads.long_list_read_run(read_id=read.pk) == Status.HELD
    read.refresh_from_db()
    pending = PendingLongList.objects.get()
    assert read.pending == pending and LongList.objects.count() == 0
    client.force_login(world["people"]["yot_manager"])
    response = client.get(_read_url(world, read))
    assert response["Location"] == reverse("casework:longlist_check", args=[inspection.reference, pending.token.hex])


def test_the_five_megabyte_file_is_refused_by_the_worker(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, world, b"\x00" * DEFAULT_MAX_BYTES, "five.bin")
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "five.bin was not accepted: there is 1 problem to fix." in page
    assert "This file is not a spreadsheet." in page


def test_a_sample_made_final_while_the_file_waited_is_refused_with_the_reason(world, monkeypatch):
    inspection = world["inspection"]
    read = _queue(world, fl.workbook(inspection, fl.rows_for(inspection, 12)))
    monkeypatch.setattr("casework.services.longlist._sample_is_final", lambda inspection: True)
    assert reads.long_list_read_run(read_id=read.pk) == Status.REFUSED
    read.refresh_from_db()
    assert "sample has been made final" in read.message and LongList.objects.count() == 0


def test_a_fault_fails_the_read_visibly_and_deletes_the_file(world, monkeypatch, django_capture_on_commit_callbacks):
    inspection = world["inspection"]
    read = _queue(world, fl.workbook(inspection, fl.rows_for(inspection, 12)))
    name = read.file.name

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reads, "_store", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert reads.long_list_read_run(read_id=read.pk) == Status.FAILED
    read.refresh_from_db()
    assert read.status == Status.FAILED and "Upload it again" in read.message
    assert not default_storage.exists(name) and "disk on fire" not in read.message


# --- Exactly once, and the sweeper -----------------------------------------------------------------


def test_a_lost_claim_stores_nothing(world, monkeypatch):
    """Another worker took the read over while this one was reading: this one stores nothing."""
    inspection = world["inspection"]
    read = _queue(world, fl.workbook(inspection, fl.rows_for(inspection, 600)))
    real = reads._heartbeat

    def taken_over(read_id, token):
        beat = real(read_id, token)

        def progress(rows):
            LongListRead.objects.filter(pk=read_id).update(claim_token="another-worker")
            beat(rows)

        return progress

    monkeypatch.setattr(reads, "_heartbeat", taken_over)
    assert reads.long_list_read_run(read_id=read.pk) is None
    assert LongList.objects.count() == 0
    assert not AuditEvent.objects.filter(action="long_list_refused").exists()


def test_the_sweeper_sends_a_lost_read_again_then_fails_a_stopped_one(world, django_capture_on_commit_callbacks):
    inspection = world["inspection"]
    read = _queue(world, fl.workbook(inspection, fl.rows_for(inspection, 12)))
    later = timezone.now() + dt.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert reads.long_list_reads_sweep(now=later) == {"sent_again": [read.pk], "failed": []}
    assert len(callbacks) == 1
    read.refresh_from_db()
    assert read.retry_note.startswith("Sent to a worker again at")

    # A worker claims it and dies at once, three times over.
    for attempt in range(1, reads.MAX_ATTEMPTS + 1):
        assert reads.read_claim(read_id=read.pk), attempt
        LongListRead.objects.filter(pk=read.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=False):  # the message is lost again
            result = reads.long_list_reads_sweep()
        assert result == ({"sent_again": [read.pk], "failed": []} if attempt < reads.MAX_ATTEMPTS else {
            "sent_again": [], "failed": [read.pk]
        })  # fmt: skip
    read.refresh_from_db()
    assert read.status == Status.FAILED and "stopped 3 times" in read.message and not read.file
    assert reads.read_claim(read_id=read.pk) is None
    assert LongList.objects.count() == 0


# --- Who may see the page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("yot_manager", 200), ("lead", 403), ("sso", 403),
        ("assistant", 403), ("assessor", 403), ("partner", 403), ("stranger", 404),
    ],
)  # fmt: skip
def test_who_may_follow_a_read(client, world, persona, status):
    read = _queue(world, b"x" * 2000, name="list.csv")
    client.force_login(world["people"][persona])
    assert client.get(_read_url(world, read)).status_code == status


def test_a_read_of_another_inspection_or_an_unknown_token_is_not_found(client, world):
    manager = world["people"]["yot_manager"]
    other = f.inspection(lead=world["people"]["lead"], yot_=world["inspection"].yot)
    read = reads.long_list_read_later(
        inspection=other, by=manager, data=b"x" * 2000, filename="list.csv", language="en"
    )
    client.force_login(manager)
    ref = world["inspection"].reference
    for token in (read.token.hex, "nope", "0" * 32):  # another inspection's read, under this one
        assert client.get(reverse("casework:longlist_read", args=[ref, token])).status_code == 404
    assert client.get(reverse("casework:longlist_read", args=[other.reference, read.token.hex])).status_code == 200


def test_only_an_uploader_may_post_a_large_file(client, world):
    response = _upload(client, world, b"x" * 2000, "list.csv", persona="assistant")
    assert response.status_code == 403 and LongListRead.objects.count() == 0
