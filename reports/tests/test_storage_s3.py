"""Files in an S3-compatible bucket (issue 11 §2): with ``STORAGE_BACKEND=s3`` every file goes to
the bucket and comes back through the app's own views and their access checks.

A real S3 server runs in the test session: moto's, in server mode, on 127.0.0.1 at a free port.
boto3 talks HTTP to it exactly as it would to AWS or MinIO; nothing in boto3 or django-storages is
patched. Each test gets a bucket of its own, and the storage settings come from
``config.storage.default_storage_config``, the function ``config/settings.py`` calls.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from casework import retention
from config.storage import default_storage_config
from inspections.enums import IIAKind, Status
from inspections.models import StatusChange
from inspections.services import iia_upload
from reports import services
from reports.enums import JobKind, JobStatus
from reports.models import Report, ReportFile
from reports.tests.factories import finish_sections, world

pytestmark = pytest.mark.django_db

REGION = "eu-west-2"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start_server() -> tuple[ThreadedMotoServer, str]:
    """A moto S3 server on a free port of 127.0.0.1; ``start`` returns once it listens."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


@pytest.fixture(scope="session")
def s3_endpoint():
    server, endpoint = start_server()
    yield endpoint
    server.stop()


@dataclass
class Bucket:
    client: object
    name: str
    endpoint: str

    def object_keys(self) -> list[str]:
        return [item["Key"] for item in self.client.list_objects_v2(Bucket=self.name).get("Contents", [])]

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def aws_credentials(monkeypatch):
    # moto takes any key; boto3 reads them from the usual variables, as it does in production.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "inspections-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "inspections-test-secret")
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)


def use_bucket(settings, endpoint: str) -> Bucket:
    """A new bucket on the server at ``endpoint``, made the default storage as STORAGE_BACKEND=s3 would."""
    name = f"inspections-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    environ = {
        "STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
    }
    # Overriding STORAGES resets default_storage (Django's setting_changed handler), so every
    # FileField, the retention job and /readyz use the bucket from here on.
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_config(environ=environ)}
    return Bucket(client, name, endpoint)


@pytest.fixture
def bucket(settings, s3_endpoint, aws_credentials) -> Bucket:
    return use_bucket(settings, s3_endpoint)


def assert_no_bucket_address(text: str, bucket: Bucket) -> None:
    for leak in (bucket.endpoint, bucket.endpoint.removeprefix("http://"), bucket.name, "X-Amz-", "amazonaws"):
        assert leak not in text


def test_default_storage_is_the_bucket(bucket):
    default_storage._setup()
    assert isinstance(default_storage._wrapped, S3Storage)
    assert (default_storage.bucket_name, default_storage.endpoint_url) == (bucket.name, bucket.endpoint)


def test_a_file_saved_through_default_storage_is_an_object_in_the_bucket_and_reads_back(bucket):
    name = default_storage.save("checks/hello.txt", ContentFile(b"hello, bucket"))

    assert bucket.object_keys() == [name]
    assert bucket.read(name) == b"hello, bucket"
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == b"hello, bucket"
    assert default_storage.exists(name)
    assert default_storage.size(name) == len(b"hello, bucket")


def test_a_second_file_of_the_same_name_does_not_replace_the_first(bucket):
    first = default_storage.save("checks/same.txt", ContentFile(b"first"))
    second = default_storage.save("checks/same.txt", ContentFile(b"second"))

    assert first != second
    assert (bucket.read(first), bucket.read(second)) == (b"first", b"second")


def test_objects_get_no_public_grant(bucket):
    name = default_storage.save("checks/private.txt", ContentFile(b"private"))

    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=name)["Grants"]
    grantees = {grant["Grantee"].get("URI") for grant in grants}
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in grantees
    assert "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" not in grantees


@pytest.fixture
def draft(bucket, django_capture_on_commit_callbacks):
    """The SQS draft letter generated by the app's own job (a real PDF), stored in the bucket."""
    from reports.domain.drafting import sqs_sections
    from reports.generation import _sync_sections
    from reports.selectors import inspection_data

    inspection, people = world()
    data = inspection_data(inspection)
    report = Report.objects.create(inspection=inspection)
    _sync_sections(report, sqs_sections(data.bank, data.scores, data.narratives))
    finish_sections(report, people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_create(kind=JobKind.DRAFT, by=people["lead"], inspection=inspection)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    record = job.files.get()
    url = reverse("reports:download", args=[inspection.reference, job.pk, record.pk])
    return {"inspection": inspection, "people": people, "job": job, "record": record, "url": url}


def test_a_generated_report_file_is_an_object_in_the_bucket(bucket, draft):
    record = draft["record"]

    assert record.file.name in bucket.object_keys()
    stored = bucket.read(record.file.name)
    assert stored.startswith(b"%PDF-")
    assert len(stored) == record.size


def test_the_download_streams_the_file_from_the_bucket_through_the_app(client, bucket, draft):
    client.force_login(draft["people"]["lead"])

    response = client.get(draft["url"])

    assert response.status_code == 200
    assert response.streaming  # sent by the app itself, not a redirect to the bucket
    assert b"".join(response.streaming_content) == bucket.read(draft["record"].file.name)
    assert "Location" not in response
    assert response["Content-Disposition"] == f'attachment; filename="{draft["record"].filename}"'
    assert_no_bucket_address(str(response.headers), bucket)


def test_the_pages_that_list_the_file_link_to_the_app_not_the_bucket(client, bucket, draft):
    client.force_login(draft["people"]["lead"])
    ref, job = draft["inspection"].reference, draft["job"]

    for page in (reverse("reports:reports", args=[ref]), reverse("reports:job", args=[ref, job.pk])):
        html = client.get(page).content.decode()
        assert f'href="{draft["url"]}"' in html, page
        assert_no_bucket_address(html, bucket)


@pytest.mark.parametrize(("persona", "status"), [("yot_manager", 403), ("stranger", 404)])
def test_the_wrong_user_cannot_download_the_file_from_the_bucket(client, bucket, draft, persona, status):
    client.force_login(draft["people"][persona])

    response = client.get(draft["url"])

    assert response.status_code == status
    assert not getattr(response, "streaming", False)
    assert b"%PDF" not in response.content
    assert_no_bucket_address(response.content.decode(), bucket)


def test_an_uploaded_document_is_kept_in_the_bucket_and_only_its_readers_download_it(client, bucket):
    inspection, people = world(status=Status.ANNOUNCED)
    document = iia_upload(
        inspection=inspection,
        by=people["yot_manager"],
        kind=IIAKind.PUBLIC_PROTECTION,
        upload=SimpleUploadedFile("policy.pdf", PDF, content_type="application/pdf"),
    )
    url = reverse("inspections:document", args=[inspection.reference, document.token])

    assert bucket.read(document.file.name) == PDF
    client.force_login(people["lead"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    page = client.get(reverse("inspections:documents", args=[inspection.reference])).content.decode()
    assert f'href="{url}"' in page
    assert_no_bucket_address(page, bucket)
    # Other Information in Advance is for the lead inspector and SSO: not a local assessor.
    for persona, status in (("assessor", 403), ("stranger", 404)):
        client.force_login(people[persona])
        refused = client.get(url)
        assert refused.status_code == status, persona
        assert PDF not in refused.content


def test_retention_deletes_a_named_file_from_the_bucket(bucket, monkeypatch, django_capture_on_commit_callbacks):
    inspection, people = world(status=Status.PUBLISHED)
    published = dt.datetime(2027, 3, 3, 12, 0, tzinfo=dt.UTC)
    change = StatusChange.objects.create(
        inspection=inspection,
        from_status=Status.FACTUAL_ACCURACY,
        to_status=Status.PUBLISHED,
        changed_by=people["lead"],
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=published)
    kept = default_storage.save("reports/kept.pdf", ContentFile(PDF))
    named = default_storage.save(f"named/{inspection.reference}.xlsx", ContentFile(b"a file with names"))
    # No stored file holds a child's name today (casework/retention.py), so this test lists one
    # where the module says such a file would be listed; the deletion itself is the real one.
    monkeypatch.setattr(retention, "NAMED_FILES", (lambda insp: [f"named/{insp.reference}.xlsx"],))

    with django_capture_on_commit_callbacks(execute=True):
        done = retention.anonymise_due(now=published + dt.timedelta(days=400))

    assert [removal.files for removal in done] == [(named,)]
    assert bucket.object_keys() == [kept]
    with pytest.raises(ClientError):
        bucket.client.head_object(Bucket=bucket.name, Key=named)


def test_readyz_reports_the_bucket_ok_and_503_once_the_server_stops(client, settings, aws_credentials):
    # Room for a slow machine: the answer below comes from the refused connection, not the limit.
    settings.READINESS_CHECK_SECONDS = 20
    server, endpoint = start_server()  # its own server: stopping it must not touch the other tests
    try:
        bucket = use_bucket(settings, endpoint)

        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.json()
        assert ready.json()["checks"]["storage"]["ok"] is True
        assert bucket.object_keys() == []  # the check's file was deleted again

        server.stop()
        server = None
        down = client.get("/readyz")
    finally:
        if server is not None:
            server.stop()

    body = down.json()
    assert down.status_code == 503
    assert body["status"] == "not ready"
    assert body["checks"]["storage"] == {
        "ok": False,
        "error": "RuntimeError: the file storage failed (EndpointConnectionError)",
    }
    assert body["checks"]["database"]["ok"] is True
    assert_no_bucket_address(str(body), bucket)  # /readyz is public: the error names no address


def test_report_file_rows_hold_storage_names_not_bucket_urls(bucket, draft):
    name = ReportFile.objects.values_list("file", flat=True).get(pk=draft["record"].pk)
    assert name == f"reports/job-{draft['job'].pk}/{draft['record'].filename}"
