"""Who may open what: personas on every reports URL and download, before and after the draft is sent."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections.enums import Status
from reports import services
from reports.enums import CommentStatus, JobKind, JobStatus
from reports.models import FactualComment, Report, ReportJob
from reports.tests.factories import finish_sections, world

pytestmark = pytest.mark.django_db

ALL = ["lead", "assistant", "sso", "assessor", "yot_manager", "stranger"]
TEAM = {"lead", "assistant", "sso", "assessor"}
HMIP = {"lead", "assistant", "sso"}


def expect(ok: set[str]) -> dict[str, int]:
    """200 for those allowed, 404 for the stranger, 403 for everyone else who can see the inspection."""
    return {p: 200 if p in ok else 404 if p == "stranger" else 403 for p in ALL}


PDF = b"%PDF-1.7\n% a stand-in: these tests are about access, test_pdfs.py renders the real ones\n%%EOF\n"


def finished_job(inspection, kind, by, filename):
    """A done job with one file, built directly (rendering real PDFs here would only slow 100 tests)."""
    job = ReportJob.objects.create(inspection=inspection, kind=kind, created_by=by)
    token = services.job_claim(job_id=job.pk)
    services.job_finish(job_id=job.pk, token=token, files=[services.OutputFile(filename, "application/pdf", PDF, 1)])
    job.refresh_from_db()
    return job


@pytest.fixture
def setup():
    from reports.domain.drafting import sqs_sections
    from reports.generation import _sync_sections
    from reports.selectors import inspection_data

    inspection, people = world()
    data = inspection_data(inspection)
    report = Report.objects.create(inspection=inspection)
    _sync_sections(report, sqs_sections(data.bank, data.scores, data.narratives))
    finish_sections(report, people["lead"])
    ref = inspection.reference
    draft = finished_job(inspection, JobKind.DRAFT, people["lead"], f"{ref}-letter-draft.pdf")
    charts = finished_job(inspection, JobKind.CHART_PACK, people["lead"], f"{ref}-chart-pack.pdf")
    return {
        "inspection": inspection,
        "people": people,
        "report": report,
        "draft": draft,
        "draft_file": draft.files.get(),
        "charts": charts,
        "charts_file": charts.files.get(),
        "section": report.sections.get(key="commentary"),
    }


def urls(s):
    ref = s["inspection"].reference
    return {
        "reports": reverse("reports:reports", args=[ref]),
        "draft": reverse("reports:draft", args=[ref]),
        "draft_job": reverse("reports:job", args=[ref, s["draft"].pk]),
        "draft_download": reverse("reports:download", args=[ref, s["draft"].pk, s["draft_file"].pk]),
        "chart_job": reverse("reports:job", args=[ref, s["charts"].pk]),
        "chart_download": reverse("reports:download", args=[ref, s["charts"].pk, s["charts_file"].pk]),
        "section": reverse("reports:section", args=[ref, s["section"].pk]),
        "good_practice": reverse("reports:good_practice", args=[ref]),
    }


BEFORE_SENDING = {
    "reports": expect(TEAM | {"yot_manager"}),
    "draft": expect(TEAM),
    "draft_job": expect(TEAM),
    "draft_download": expect(TEAM),
    "chart_job": expect(HMIP | {"yot_manager"}),
    "chart_download": expect(HMIP | {"yot_manager"}),
    "section": expect({"lead"}),
    "good_practice": expect({"lead"}),
}


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", list(BEFORE_SENDING))
def test_get_before_the_draft_is_sent(client, setup, name, persona):
    client.force_login(setup["people"][persona])
    response = client.get(urls(setup)[name])
    assert response.status_code == BEFORE_SENDING[name][persona]
    if response.status_code == 200 and name.endswith("download"):
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("attachment;")
    elif response.status_code == 200:
        assert "Northshire" in response.content.decode()


AFTER_SENDING = {
    "draft": expect(TEAM | {"yot_manager"}),
    "draft_download": expect(TEAM | {"yot_manager"}),
    "chart_download": expect(HMIP | {"yot_manager"}),
    "section": expect({"lead"}),
}


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", list(AFTER_SENDING))
def test_get_after_the_draft_is_sent(client, setup, name, persona):
    services.report_send(report=setup["report"], by=setup["people"]["lead"])  # its PDF job is not run here
    client.force_login(setup["people"][persona])
    assert client.get(urls(setup)[name]).status_code == AFTER_SENDING[name][persona]


POSTS = [
    ("generate_draft", lambda s: reverse("reports:generate", args=[s["inspection"].reference, "draft"]), {}, {"lead"}),
    (
        "generate_charts",
        lambda s: reverse("reports:generate", args=[s["inspection"].reference, "chart_pack"]),
        {},
        HMIP,
    ),
    ("send", lambda s: reverse("reports:send", args=[s["inspection"].reference]), {}, {"lead"}),
    (
        "section",
        lambda s: reverse("reports:section", args=[s["inspection"].reference, s["section"].pk]),
        {"text": "New text"},
        {"lead"},
    ),
]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "url", "data", "allowed"), POSTS, ids=[p[0] for p in POSTS])
def test_posts_by_persona(client, setup, name, url, data, allowed, persona):
    client.force_login(setup["people"][persona])
    response = client.post(url(setup), data)
    expected = 302 if persona in allowed else 404 if persona == "stranger" else 403
    assert response.status_code == expected


@pytest.mark.parametrize("persona", ALL)
def test_only_the_yot_manager_comments_and_only_the_lead_resolves(client, setup, persona):
    services.report_send(report=setup["report"], by=setup["people"]["lead"])
    ref = setup["inspection"].reference
    client.force_login(setup["people"][persona])
    response = client.post(
        reverse("reports:comment", args=[ref, setup["section"].pk]), {"text": "Six cases, not seven."}
    )
    assert response.status_code == (302 if persona == "yot_manager" else 404 if persona == "stranger" else 403)
    comment = FactualComment.objects.create(section=setup["section"], author=setup["people"]["yot_manager"], text="x")
    correction = services.section_save(section=setup["section"], by=setup["people"]["lead"], text="Six cases.")
    response = client.post(
        reverse("reports:resolve", args=[ref, comment.pk]),
        {"status": CommentStatus.ACCEPTED, "corrected_in": correction.pk, "note": "Corrected."},
    )
    assert response.status_code == (302 if persona == "lead" else 404 if persona == "stranger" else 403)


def test_the_yot_manager_is_told_when_the_draft_will_come(client, setup):
    client.force_login(setup["people"]["yot_manager"])
    page = client.get(urls(setup)["reports"]).content.decode()
    assert "The lead inspector will send you the draft report" in page
    assert "SQS report (letter to the Chair" not in page  # no draft job shown
    assert "Chart pack for the YOT (internal use only)" in page


def test_the_page_polls_a_running_job_and_stops_when_it_is_done(client, setup):
    client.force_login(setup["people"]["lead"])
    running = ReportJob.objects.create(
        inspection=setup["inspection"],
        kind=JobKind.DRAFT,
        created_by=setup["people"]["lead"],
        status=JobStatus.RUNNING,
        progress=40,
        message="Drafting the sections",
    )
    url = reverse("reports:job", args=[setup["inspection"].reference, running.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial
    assert '<progress class="app-progress" max="100" value="40"' in partial
    assert "Drafting the sections" in partial
    assert "<html" not in partial
    page = client.get(url).content.decode()
    assert "Refresh to check progress" in page and "htmx.min.js" in page and "includeIndicatorStyles" in page
    done = client.get(
        reverse("reports:job", args=[setup["inspection"].reference, setup["draft"].pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in done
    assert f"Download {setup['inspection'].reference}-letter-draft.pdf" in done


def test_a_failed_job_says_so_and_offers_a_retry(client, setup):
    client.force_login(setup["people"]["lead"])
    failed = ReportJob.objects.create(
        inspection=setup["inspection"],
        kind=JobKind.CHART_PACK,
        created_by=setup["people"]["lead"],
        status=JobStatus.FAILED,
        attempts=4,
        message="OSError: storage unavailable",
    )
    page = client.get(reverse("reports:reports", args=[setup["inspection"].reference])).content.decode()
    assert "The file could not be generated" in page
    assert "It failed after 4 attempts. OSError: storage unavailable" in page
    retry = reverse("reports:retry", args=[setup["inspection"].reference, failed.pk])
    assert f'action="{retry}"' in page
    client.force_login(setup["people"]["yot_manager"])  # sees the failure, may not retry
    assert client.post(retry).status_code == 403
    client.force_login(setup["people"]["lead"])
    assert client.post(retry).status_code == 302
    assert ReportJob.objects.filter(kind=JobKind.CHART_PACK, status=JobStatus.QUEUED).count() == 1


def test_after_the_deadline_the_draft_is_read_only_for_the_yot(client, setup, monkeypatch):
    import datetime as dt

    services.report_send(report=setup["report"], by=setup["people"]["lead"])
    late = services.comments_close_at(setup["report"]) + dt.timedelta(minutes=5)
    monkeypatch.setattr("reports.services.timezone.now", lambda: late)
    client.force_login(setup["people"]["yot_manager"])
    page = client.get(urls(setup)["draft"]).content.decode()
    assert "The factual accuracy check closed" in page
    assert 'name="text"' not in page
    response = client.post(
        reverse("reports:comment", args=[setup["inspection"].reference, setup["section"].pk]),
        {"text": "Late"},
        follow=True,
    )
    assert "The factual accuracy check has closed" in response.content.decode()
    assert not FactualComment.objects.exists()


def test_aggregate_pages_are_for_hmi_probation_staff(client, setup):
    people = setup["people"]
    for persona, expected in (("lead", 200), ("sso", 200), ("yot_manager", 404), ("assessor", 404)):
        client.force_login(people[persona])
        assert client.get(reverse("reports_aggregate:aggregate")).status_code == expected
    client.force_login(people["sso"])
    assert client.post(reverse("reports_aggregate:aggregate"), {}).status_code == 403
    client.force_login(people["lead"])
    response = client.post(
        reverse("reports_aggregate:aggregate"),
        {
            "period_start_0": "1",
            "period_start_1": "2",
            "period_start_2": "2027",
            "period_end_0": "28",
            "period_end_1": "2",
            "period_end_2": "2027",
        },
    )
    assert response.status_code == 302
    job = ReportJob.objects.get(kind=JobKind.AGGREGATE)
    assert (str(job.period_start), str(job.period_end)) == ("2027-02-01", "2027-02-28")
    assert setup["inspection"].status == Status.DRAFT_REPORT


def test_text_too_long_is_refused_naming_the_limit_and_what_was_typed_comes_back(client, setup):
    from reports.domain.gates import COMMENT_MAX_CHARACTERS, NOTE_MAX_CHARACTERS, SECTION_MAX_CHARACTERS

    lead, manager = setup["people"]["lead"], setup["people"]["yot_manager"]
    section = setup["section"]
    versions = section.versions.count()
    with pytest.raises(ValidationError) as refused:
        services.section_save(section=section, by=lead, text="x" * (SECTION_MAX_CHARACTERS + 1))
    assert refused.value.message_dict["text"] == ["The text must be 15,000 characters or fewer; it has 15,001."]
    assert section.versions.count() == versions

    services.report_send(report=setup["report"], by=lead)
    client.force_login(manager)
    ref = setup["inspection"].reference
    long_comment = "Seven cases, not six. " * (COMMENT_MAX_CHARACTERS // 20)
    response = client.post(reverse("reports:comment", args=[ref, section.pk]), {"text": long_comment}, follow=True)
    page = html.unescape(response.content.decode())
    assert "Your comment must be 3,000 characters or fewer" in page
    assert long_comment.strip() in page  # given back in its box, to shorten rather than retype
    assert FactualComment.objects.count() == 0
    assert long_comment.strip() not in html.unescape(client.get(reverse("reports:draft", args=[ref])).content.decode())

    comment = FactualComment.objects.create(section=section, author=manager, text="x")
    with pytest.raises(ValidationError) as refused:
        services.comment_resolve(
            comment=comment, by=lead, status=CommentStatus.REJECTED, note="n" * (NOTE_MAX_CHARACTERS + 1)
        )
    assert "The note must be 3,000 characters or fewer" in refused.value.message_dict["note"][0]
