"""Issue 9 §5 across the apps: the gates whose facts live in casework, scheduling and reports; the
confirmation pages before sending and publishing; a second click; corrected comments; and the
report's emails (§2). Every refusal checks that nothing was written."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.models import Sample
from inspections.domain.timeline import LONDON
from inspections.enums import Country, Language, Programme, Status, TeamRole
from inspections.models import AuditEvent, Contact, Inspection, Notification, StatusChange
from inspections.services import inspection_set_status, status_move_problems
from inspections.tests import factories as f
from reports import services
from reports.domain.drafting import fji_sections, sqs_sections
from reports.domain.stars import judgement_areas
from reports.enums import CommentStatus, ReportStage
from reports.generation import _sync_judgements, _sync_sections
from reports.models import FactualComment, Report, ReportJob
from reports.selectors import inspection_data
from reports.tests.factories import after_the_check, finish_sections, long_list, world
from scheduling.enums import VersionState
from scheduling.models import ScheduleVersion

pytestmark = pytest.mark.django_db


def drafted(*, programme=Programme.SQS, country=Country.ENGLAND, status=Status.DRAFT_REPORT):
    """An inspection with its generated draft (sections and judgements as the job writes them, no PDF)."""
    inspection, people = world(programme=programme, country=country, status=status)
    data = inspection_data(inspection)
    report = Report.objects.create(inspection=inspection)
    if programme == Programme.FJI:
        _sync_sections(report, fji_sections(data.bank, data.scores, inspection.modules, data.narratives))
        _sync_judgements(report, judgement_areas(data.bank, data.scores, inspection.modules))
    else:
        _sync_sections(report, sqs_sections(data.bank, data.scores, data.narratives))
    return inspection, people, report


def sent(**kwargs):
    inspection, people, report = drafted(**kwargs)
    finish_sections(report, people["lead"])
    on_time = inspection.timeline.get("draft_report_due").moment  # the YOT then has until the planned deadline
    services.report_send(report=report, by=people["lead"], now=on_time)
    return inspection, people, report


def snapshot(inspection: Inspection) -> tuple:
    row = Inspection.objects.get(pk=inspection.pk)
    report = Report.objects.filter(inspection=inspection).first()
    return (
        row.status,
        row.version,
        StatusChange.objects.filter(inspection=inspection).count(),
        AuditEvent.objects.filter(inspection=inspection).count(),
        report.stage if report else None,
        ReportJob.objects.filter(inspection=inspection).count(),
        Notification.objects.filter(inspection=inspection).count(),
    )


# --- Gates refused, nothing written --------------------------------------------------------------


def _long_list_missing():
    inspection = f.inspection(status=Status.ANNOUNCED)
    return inspection, lambda: inspection_set_status(
        inspection=inspection, to_status=Status.LONG_LIST_RECEIVED, by=inspection.lead_inspector
    )


def _sample_not_final():
    inspection = f.inspection(status=Status.LONG_LIST_RECEIVED)
    lead = inspection.lead_inspector
    Sample.objects.create(inspection=inspection, long_list=long_list(inspection, lead), size=6, selected_by=lead)
    return inspection, lambda: inspection_set_status(inspection=inspection, to_status=Status.SAMPLE_SELECTED, by=lead)


def _schedule_not_final():
    inspection = f.inspection(status=Status.SAMPLE_SELECTED)
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.SENT)
    return inspection, lambda: inspection_set_status(
        inspection=inspection, to_status=Status.SCHEDULE_FINAL, by=inspection.lead_inspector
    )


def _fieldwork_without_a_final_schedule():
    inspection = f.inspection(status=Status.SCHEDULE_FINAL)
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.DRAFT)
    started = inspection.timeline.get("fieldwork_start").moment + dt.timedelta(hours=1)
    return inspection, lambda: inspection_set_status(
        inspection=inspection, to_status=Status.FIELDWORK, by=inspection.lead_inspector, now=started
    )


def _send_with_a_prompt_left():
    inspection, people, report = drafted()
    return inspection, lambda: services.report_send(report=report, by=people["lead"])


def _send_with_an_empty_section():
    inspection, people, report = drafted()
    finish_sections(report, people["lead"])
    section = report.sections.get(key="strengths")
    section.versions.update(text="   ")
    return inspection, lambda: services.report_send(report=report, by=people["lead"])


def _send_fji_with_judgements_unset():
    inspection, people, report = drafted(programme=Programme.FJI)
    finish_sections(report, people["lead"])
    return inspection, lambda: services.report_send(report=report, by=people["lead"])


def _factual_accuracy_without_a_draft():
    inspection = f.inspection(status=Status.DRAFT_REPORT)
    return inspection, lambda: inspection_set_status(
        inspection=inspection, to_status=Status.FACTUAL_ACCURACY, by=inspection.lead_inspector
    )


def _publish_before_the_deadline():
    inspection, people, report = sent()
    before = services.comments_close_at(report)
    return inspection, lambda: services.report_publish(report=report, by=people["lead"], now=before)


def _publish_with_a_comment_open():
    inspection, people, report = sent()
    services.comment_add(section=report.sections.get(key="commentary"), by=people["yot_manager"], text="Six, not 7.")
    return inspection, lambda: services.report_publish(report=report, by=people["lead"], now=after_the_check(report))


def _publish_in_wales_without_welsh():
    inspection, people, report = sent(country=Country.WALES)
    return inspection, lambda: services.report_publish(report=report, by=people["lead"], now=after_the_check(report))


def _publish_before_sending():
    inspection, people, report = drafted(status=Status.FACTUAL_ACCURACY)
    return inspection, lambda: inspection_set_status(
        inspection=inspection, to_status=Status.PUBLISHED, by=people["lead"], now=after_the_check(report)
    )


REFUSED = [
    pytest.param(
        _long_list_missing, "The YOT has not uploaded its long-list of cases yet.", id="long-list-received-without-one"
    ),
    pytest.param(_sample_not_final, "The case sample has not been made final yet.", id="sample-selected-not-final"),
    pytest.param(
        _schedule_not_final, "The fieldwork schedule has not been made final yet.", id="schedule-final-not-final"
    ),
    pytest.param(
        _fieldwork_without_a_final_schedule,
        "The fieldwork schedule has not been made final yet.",
        id="fieldwork-without-a-final-schedule",
    ),
    pytest.param(
        _send_with_a_prompt_left,
        "“Commentary” still has 3 prompts in square brackets to replace, such as "
        "[Lead inspector: explain what lies behind this.]",
        id="send-with-a-prompt-left",
    ),
    pytest.param(_send_with_an_empty_section, "“Strengths” is empty: write its text.", id="send-with-an-empty-section"),
    pytest.param(
        _send_fji_with_judgements_unset,
        "Set the judgement of every theme and module before sending the report. Not set yet: "
        "Reducing the likelihood of reoffending, Protecting the public, Protecting the child or young person, "
        "Ensuring the sentence is served, Court Work.",
        id="send-fji-with-judgements-unset",
    ),
    pytest.param(
        _factual_accuracy_without_a_draft, "Generate the draft before sending it.", id="factual-accuracy-no-draft"
    ),
    pytest.param(
        _publish_before_the_deadline,
        "The YOT has until 5pm on Monday 22 February 2027 to check the draft for factual accuracy: "
        "the report can be published after that.",
        id="publish-before-the-factual-accuracy-deadline",
    ),
    pytest.param(
        _publish_with_a_comment_open,
        "Resolve every comment from the YOT before publishing. Still waiting: 1 on “Commentary”.",
        id="publish-with-a-comment-open",
    ),
    pytest.param(
        _publish_in_wales_without_welsh,
        "Enter the Welsh version of every section before publishing: Strengths, Areas for improvement, Commentary.",
        id="publish-in-wales-without-welsh",
    ),
    pytest.param(
        _publish_before_sending,
        "Send the draft for the factual accuracy check before publishing it.",
        id="published-without-sending",
    ),
]


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_a_gated_move_is_refused_saying_why_and_writes_nothing(make, message):
    inspection, move = make()
    before = snapshot(inspection)
    with pytest.raises(ValidationError) as exc:
        move()
    assert message in exc.value.messages
    assert snapshot(inspection) == before


@pytest.mark.parametrize("programme", [Programme.SQS, Programme.FJI], ids=["sqs", "fji"])
def test_every_section_of_a_generated_draft_with_a_prompt_is_named(programme):
    _inspection, _people, report = drafted(programme=programme)
    problems = services.report_send_problems(report)
    with_prompts = [s.title for s in report.sections.all() if "[" in s.current.text]
    assert with_prompts  # the generated draft always leaves the lead inspector something to write
    named = [title for title in with_prompts if any(p.startswith(f"“{title}” still has") for p in problems)]
    assert named == with_prompts


def _with_long_list():
    inspection = f.inspection(status=Status.ANNOUNCED)
    long_list(inspection, inspection.lead_inspector)
    return inspection, Status.LONG_LIST_RECEIVED, None


def _with_final_sample():
    inspection = f.inspection(status=Status.LONG_LIST_RECEIVED)
    lead = inspection.lead_inspector
    Sample.objects.create(
        inspection=inspection,
        long_list=long_list(inspection, lead),
        size=6,
        selected_by=lead,
        finalised_at=timezone.now(),
        finalised_by=lead,
    )
    return inspection, Status.SAMPLE_SELECTED, None


def _with_final_schedule():
    inspection = f.inspection(status=Status.SAMPLE_SELECTED)
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.FINAL)
    return inspection, Status.SCHEDULE_FINAL, None


def _fieldwork_started_with_a_final_schedule():
    inspection = f.inspection(status=Status.SCHEDULE_FINAL)
    ScheduleVersion.objects.create(inspection=inspection, number=1, state=VersionState.FINAL)
    ScheduleVersion.objects.create(inspection=inspection, number=2, state=VersionState.DRAFT)  # a later change
    return inspection, Status.FIELDWORK, inspection.timeline.get("fieldwork_start").moment


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_with_long_list, id="long-list-received"),
        pytest.param(_with_final_sample, id="sample-selected"),
        pytest.param(_with_final_schedule, id="schedule-final"),
        pytest.param(_fieldwork_started_with_a_final_schedule, id="fieldwork"),
    ],
)
def test_a_move_whose_gate_is_satisfied_goes_ahead(make):
    inspection, to_status, now = make()
    assert status_move_problems(inspection, to_status, now) == []
    inspection_set_status(inspection=inspection, to_status=to_status, by=inspection.lead_inspector, now=now)
    assert Inspection.objects.get(pk=inspection.pk).status == to_status


def test_send_then_publish_go_ahead_once_everything_is_ready():
    inspection, people, report = sent(country=Country.WALES)
    assert Inspection.objects.get(pk=inspection.pk).status == Status.FACTUAL_ACCURACY
    finish_sections(report, people["lead"], welsh=True)
    services.report_publish(report=report, by=people["lead"], now=after_the_check(report))
    assert Inspection.objects.get(pk=inspection.pk).status == Status.PUBLISHED
    assert Report.objects.get(pk=report.pk).stage == ReportStage.PUBLISHED


# --- Confirmation pages ---------------------------------------------------------------------------


def test_the_send_page_says_what_stops_it_and_offers_no_button(client):
    inspection, people, _report = drafted()
    client.force_login(people["lead"])
    page = client.get(reverse("reports:send", args=[inspection.reference])).content.decode()
    assert "You cannot do this yet" in page
    assert "“Commentary” still has 3 prompts in square brackets to replace" in page
    assert 'name="confirmed"' not in page


def test_the_send_page_says_what_will_happen_then_sends_once(client):
    inspection, people, report = drafted()
    finish_sections(report, people["lead"])
    url = reverse("reports:send", args=[inspection.reference])
    client.force_login(people["lead"])
    page = client.get(url).content.decode()
    assert "comment on each section until 5pm on Monday 22 February 2027 (three working days)" in page
    assert f"{people['yot_manager']} ({people['yot_manager'].email})" in page
    assert 'name="confirmed" value="yes"' in page
    assert client.post(url)["Location"] == url  # no confirmation: asked again, nothing sent
    assert Report.objects.get(pk=report.pk).stage == ReportStage.DRAFTING
    response = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "Draft sent to the YOT manager for the factual accuracy check." in response.content.decode()
    after = snapshot(inspection)
    second = client.post(url, {"confirmed": "yes"})
    assert "The draft was already sent to the YOT manager on" in second.content.decode()
    assert "Nothing was sent twice." in second.content.decode()
    assert snapshot(inspection) == after
    assert AuditEvent.objects.filter(inspection=inspection, action="report_sent").count() == 1


@pytest.mark.parametrize(("persona", "expected"), [("yot_manager", 403), ("assistant", 403), ("stranger", 404)])
def test_only_the_lead_inspector_sees_the_send_and_publish_pages(client, persona, expected):
    inspection, people, report = drafted()
    client.force_login(people[persona])
    for name in ("reports:send", "reports:publish"):
        assert client.get(reverse(name, args=[inspection.reference])).status_code == expected
        assert client.post(reverse(name, args=[inspection.reference]), {"confirmed": "yes"}).status_code == expected
    assert Report.objects.get(pk=report.pk).stage == ReportStage.DRAFTING


def test_publish_before_the_deadline_shows_the_deadline_and_changes_nothing(client):
    inspection, people, _report = sent()
    url = reverse("reports:publish", args=[inspection.reference])
    client.force_login(people["lead"])
    message = (
        "The YOT has until 5pm on Monday 22 February 2027 to check the draft for factual accuracy: "
        "the report can be published after that."
    )
    page = client.get(url).content.decode()
    assert message in page and 'name="confirmed"' not in page
    before = snapshot(inspection)
    response = client.post(url, {"confirmed": "yes"})
    assert message in response.content.decode()
    assert snapshot(inspection) == before


def test_double_publish_gets_a_clear_page_one_audit_row_and_one_job(client, monkeypatch):
    inspection, people, report = sent()
    ReportJob.objects.filter(inspection=inspection).delete()  # the draft's job from sending, long done
    later = after_the_check(report)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    url = reverse("reports:publish", args=[inspection.reference])
    client.force_login(people["lead"])
    page = client.get(url).content.decode()
    assert "Once published, the report cannot change" in page and 'name="confirmed" value="yes"' in page
    assert "Morgan Chair (board_chair@council.example.gov.uk)" in page  # a contact to be emailed
    response = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "Report published. The published version is frozen." in response.content.decode()
    second = client.post(url, {"confirmed": "yes"})
    assert second.status_code == 200
    text = second.content.decode()
    assert "This has already been done" in text
    assert f"The report was already published on {later.astimezone(timezone.get_current_timezone()):%-d %B %Y}" in text
    assert AuditEvent.objects.filter(inspection=inspection, action="report_published").count() == 1
    assert ReportJob.objects.filter(inspection=inspection).count() == 1
    assert StatusChange.objects.filter(inspection=inspection, to_status=Status.PUBLISHED).count() == 1
    assert client.get(url).content.decode().count("This has already been done") == 1


def test_a_stale_copy_of_the_report_cannot_publish_twice():
    inspection, people, report = sent()
    stale = Report.objects.get(pk=report.pk)  # loaded by a second tab before the first publishes
    services.report_publish(report=report, by=people["lead"], now=after_the_check(report))
    after = snapshot(inspection)
    with pytest.raises(services.ReportAlreadyDone):
        services.report_publish(report=stale, by=people["lead"], now=after_the_check(report))
    with pytest.raises(services.ReportAlreadyDone):
        services.report_send(report=stale, by=people["lead"])
    assert snapshot(inspection) == after


# --- Corrected comments ------------------------------------------------------------------------


@pytest.fixture
def commented():
    inspection, people, report = sent()
    section = report.sections.get(key="commentary")
    earlier = section.current
    comment = services.comment_add(section=section, by=people["yot_manager"], text="We inspected 6 cases, not 7.")
    return inspection, people, report, section, earlier, comment


def _resolve(comment, people, version):
    return services.comment_resolve(
        comment=comment, by=people["lead"], status=CommentStatus.ACCEPTED, note="Corrected.", corrected_in=version
    )


def test_accepting_a_comment_without_its_correction_is_refused_naming_the_section(commented):
    _inspection, people, report, _section, earlier, comment = commented
    for version, message in [
        (None, "Choose the version of “Commentary” that makes this correction."),
        (earlier, "was saved before the comment was made"),
        (report.sections.get(key="strengths").current, "is a version of “Strengths”: choose a version of “Commentary”"),
    ]:
        with pytest.raises(ValidationError) as exc:
            _resolve(comment, people, version)
        assert message in exc.value.message_dict["corrected_in"][0]
    comment.refresh_from_db()
    assert (comment.status, comment.corrected_in) == (CommentStatus.OPEN, None)


def test_accepting_a_comment_points_to_the_version_saved_after_it(commented):
    inspection, people, _report, section, _earlier, comment = commented
    correction = services.section_save(section=section, by=people["lead"], text="We inspected 6 cases.")
    _resolve(comment, people, correction)
    comment.refresh_from_db()
    assert (comment.status, comment.corrected_in) == (CommentStatus.ACCEPTED, correction)
    assert AuditEvent.objects.get(inspection=inspection, action="report_comment_resolved").detail == {
        "comment": comment.pk,
        "status": "accepted",
        "version": correction.number,
    }


def test_the_resolve_page_offers_only_versions_saved_after_the_comment(client, commented):
    inspection, people, _report, section, earlier, comment = commented
    correction = services.section_save(section=section, by=people["lead"], text="We inspected 6 cases.")
    url = reverse("reports:resolve", args=[inspection.reference, comment.pk])
    client.force_login(people["lead"])
    page = client.get(url).content.decode()
    assert f'<option value="{correction.pk}">Version {correction.number}, saved by {people["lead"]}' in page
    assert f'<option value="{earlier.pk}"' not in page
    response = client.post(url, {"status": CommentStatus.ACCEPTED, "note": "Done."})
    assert "Choose the version of “Commentary” that makes this correction." in response.content.decode()
    assert FactualComment.objects.get(pk=comment.pk).status == CommentStatus.OPEN
    response = client.post(url, {"status": CommentStatus.ACCEPTED, "corrected_in": correction.pk, "note": "Done."})
    assert response.status_code == 302
    assert FactualComment.objects.get(pk=comment.pk).corrected_in == correction


# --- Emails -----------------------------------------------------------------------------------


def test_sending_emails_the_yot_manager_the_deadline_and_the_link(django_capture_on_commit_callbacks):
    inspection, people, report = drafted()
    finish_sections(report, people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_send(report=report, by=people["lead"])
    (email,) = [m for m in mail.outbox if people["yot_manager"].email in m.to]
    assert email.subject == f"Draft report for inspection {inspection.reference}: check it for factual accuracy"
    assert "You have three working days: comment on each section by 5pm on Monday 22 February 2027." in email.body
    assert f"http://testserver/inspections/{inspection.reference}/reports/draft/" in email.body
    assert email.reply_to == [people["lead"].email]


def test_a_draft_sent_late_still_gives_the_yot_three_working_days(django_capture_on_commit_callbacks):
    inspection, people, report = drafted()
    finish_sections(report, people["lead"])
    late = dt.datetime(2027, 2, 18, 10, 0, tzinfo=LONDON)  # the day after the draft was due
    with django_capture_on_commit_callbacks(execute=True):
        services.report_send(report=report, by=people["lead"], now=late)
    assert services.comments_close_at(report) == dt.datetime(2027, 2, 23, 17, 0, tzinfo=LONDON)
    (email,) = [m for m in mail.outbox if people["yot_manager"].email in m.to]
    assert "comment on each section by 5pm on Tuesday 23 February 2027." in email.body
    planned = inspection.timeline.get("factual_accuracy_due").moment
    assert services.comments_open(report, planned + dt.timedelta(hours=1))
    before = snapshot(inspection)
    with pytest.raises(ValidationError) as exc:
        services.report_publish(report=report, by=people["lead"], now=planned + dt.timedelta(hours=1))
    assert (
        "The YOT has until 5pm on Tuesday 23 February 2027 to check the draft for factual accuracy: "
        "the report can be published after that." in exc.value.messages
    )
    assert snapshot(inspection) == before


def test_comments_email_the_lead_inspector_once_a_day_per_section():
    inspection, people, report = sent()
    commentary, strengths = report.sections.get(key="commentary"), report.sections.get(key="strengths")
    day1 = services.comments_close_at(report) - dt.timedelta(days=2)
    for section, now in [
        (commentary, day1),
        (commentary, day1 + dt.timedelta(minutes=5)),
        (strengths, day1 + dt.timedelta(minutes=10)),
        (commentary, day1 + dt.timedelta(days=1)),
    ]:
        services.comment_add(section=section, by=people["yot_manager"], text="A fact.", now=now)
    notices = Notification.objects.filter(kind="report_comments").order_by("pk")
    assert [n.recipient for n in notices] == [people["lead"]] * 3
    assert notices[0].subject == f"Factual accuracy comments on “Commentary” ({inspection.reference})"
    assert f"#section-{commentary.pk}" in notices[0].body


def test_publishing_emails_the_yot_manager_and_each_contact_once_in_their_language():
    inspection, people, report = sent()
    Contact.objects.filter(inspection=inspection, role="chief_executive").update(language=Language.WELSH)
    Contact.objects.create(  # the YOT manager's own address as a contact: one email, not two
        inspection=inspection, role="other", name="Also the manager", email=people["yot_manager"].email
    )
    services.report_publish(report=report, by=people["lead"], now=after_the_check(report))
    notices = Notification.objects.filter(kind="report_published")
    to = sorted(n.to_email for n in notices)
    contacts = sorted(
        set(Contact.objects.filter(inspection=inspection).values_list("email", flat=True))
        - {people["yot_manager"].email}
    )
    assert to == sorted([people["yot_manager"].email, *contacts])
    manager = notices.get(recipient=people["yot_manager"])
    assert f"http://testserver/inspections/{inspection.reference}/reports/" in manager.body
    chief = notices.get(to_email="chief_executive@council.example.gov.uk")
    assert chief.language == Language.WELSH
    assert "reply to this email" in notices.get(to_email="pcc@example.gov.uk").body
    assert {n.reply_to for n in notices} == {people["lead"].email}


def test_the_lead_inspector_is_the_only_one_told_about_comments():
    inspection, people, report = sent()
    f.member(inspection, TeamRole.SSO)
    services.comment_add(section=report.sections.get(key="commentary"), by=people["yot_manager"], text="A fact.")
    assert list(Notification.objects.filter(kind="report_comments").values_list("recipient", flat=True)) == [
        people["lead"].pk
    ]
