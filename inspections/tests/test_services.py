import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import services
from inspections.enums import ContactRole, Country, IIAKind, Inspectorate, Programme, StaffRole, Status, TeamRole
from inspections.models import AuditEvent, InformationDocument, Inspection, StatusChange
from inspections.tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_create_makes_the_creator_lead_inspector_and_numbers_by_programme_and_year():
    lead = f.user(role=StaffRole.LEAD_INSPECTOR)
    first = services.inspection_create(
        created_by=lead, programme=Programme.SQS, yot=f.yot(), fieldwork_start=f.FIELDWORK_MONDAY, today=f.TODAY
    )
    # A week later: the lead inspector cannot be on site at two inspections in one week.
    second = services.inspection_create(
        created_by=lead,
        programme=Programme.SQS,
        yot=f.yot(),
        fieldwork_start=f.FIELDWORK_MONDAY + dt.timedelta(weeks=1),
        today=f.TODAY,
    )
    assert (first.reference, second.reference) == ("SQS-2027-001", "SQS-2027-002")
    assert first.lead_inspector == lead
    assert first.status == Status.PLANNED
    assert AuditEvent.objects.filter(inspection=first, action="created").count() == 1


@pytest.mark.parametrize(
    ("start", "message"),
    [
        pytest.param(
            dt.date(2027, 2, 9), "Fieldwork must start on a Monday. 9 February 2027 is a Tuesday.", id="not-monday"
        ),
        pytest.param(dt.date(2026, 12, 28), "The fieldwork start must be in the future.", id="past"),
        pytest.param(dt.date(2027, 5, 3), "includes May Day on Monday 3 May 2027", id="bank-holiday-week"),
    ],
)
def test_create_refuses_bad_fieldwork_starts_with_a_message_on_the_field(start, message):
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            created_by=f.user(), programme=Programme.SQS, yot=f.yot(), fieldwork_start=start, today=f.TODAY
        )
    assert any(message in m for m in exc.value.message_dict["fieldwork_start"])
    assert Inspection.objects.count() == 0


@pytest.mark.parametrize(
    ("programme", "modules", "ok"),
    [
        (Programme.FJI, ["court_work"], True),
        (Programme.FJI, ["court_work", "governance"], True),
        (Programme.FJI, [], False),
        (Programme.FJI, ["court_work", "governance", "interventions"], False),
        (Programme.SQS, ["court_work"], False),
        (Programme.FJI, ["astrology"], False),
    ],
)
def test_fji_takes_one_or_two_modules_and_sqs_none(programme, modules, ok):
    if ok:
        assert services.validate_modules(programme=programme, modules=modules) == modules
    else:
        with pytest.raises(ValidationError):
            services.validate_modules(programme=programme, modules=modules)


# After the first fieldwork (Monday 8 February 2027) has ended: Wednesday 6pm.
AFTER_FIELDWORK = dt.datetime(2027, 2, 11, 9, 0, tzinfo=dt.UTC)


def test_status_moves_one_step_at_a_time_and_is_audited():
    inspection = f.inspection(status=Status.FIELDWORK)
    lead = inspection.lead_inspector
    services.inspection_set_status(inspection=inspection, to_status=Status.DRAFT_REPORT, by=lead, now=AFTER_FIELDWORK)
    with pytest.raises(ValidationError, match="the next step is “Factual accuracy check”"):
        services.inspection_set_status(inspection=inspection, to_status=Status.PUBLISHED, by=lead)
    change = StatusChange.objects.get(inspection=inspection)
    assert (change.from_status, change.to_status, change.changed_by) == (Status.FIELDWORK, Status.DRAFT_REPORT, lead)
    assert Inspection.objects.get(pk=inspection.pk).status == Status.DRAFT_REPORT


def test_status_move_to_the_current_status_does_nothing():
    inspection = f.inspection(status=Status.ANNOUNCED)
    services.inspection_set_status(inspection=inspection, to_status=Status.ANNOUNCED, by=inspection.lead_inspector)
    assert StatusChange.objects.count() == 0


def test_status_move_tells_the_second_user_someone_else_got_there_first():
    inspection = f.inspection(status=Status.FIELDWORK)
    lead = inspection.lead_inspector
    stale_copy = Inspection.objects.get(pk=inspection.pk)
    services.inspection_set_status(
        inspection=inspection, to_status=Status.DRAFT_REPORT, by=lead, expected=Status.FIELDWORK, now=AFTER_FIELDWORK
    )
    f.force_status(inspection, Status.FACTUAL_ACCURACY)  # the draft has gone to the YOT since
    with pytest.raises(services.StaleStatus) as exc:
        services.inspection_set_status(
            inspection=stale_copy, to_status=Status.DRAFT_REPORT, by=lead, expected=Status.FIELDWORK
        )
    assert exc.value.current == Status.FACTUAL_ACCURACY
    assert StatusChange.objects.count() == 1


def test_status_reaching_a_step_marks_its_milestones_done():
    inspection = f.inspection(status=Status.SAMPLE_SELECTED)
    done = services.milestone_done_keys(inspection)
    assert {"announcement", "long_list_due", "sample_due"} <= done
    assert "final_schedule_due" not in done


def _planned_with_contacts(country=Country.ENGLAND):
    inspection = f.inspection(status=Status.PLANNED, yot_=f.yot(name="Westshire", country=country))
    f.member(inspection, TeamRole.SSO)
    f.announcement_contacts(inspection)
    return inspection


def test_announce_sends_the_confirmation_to_the_seed_000_recipients_with_instructions(
    django_capture_on_commit_callbacks,
):
    inspection = _planned_with_contacts()
    now = dt.datetime(2027, 1, 22, 9, 45, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_announce(
            inspection=inspection, by=inspection.lead_inspector, received_by="Pat Jones", now=now
        )
    assert Inspection.objects.get(pk=inspection.pk).status == Status.ANNOUNCED
    # The confirmation, and the YOT manager's invitation to the service (tested in test_accounts_invitations).
    confirmations = [m for m in mail.outbox if "Westshire" in m.subject and "invit" not in m.subject.lower()]
    assert len(confirmations) == 1 and len(mail.outbox) == 2
    message = confirmations[0]
    assert sorted(message.to) == sorted(
        f"{role}@council.example.gov.uk"
        for role in ("chief_executive", "board_chair", "director_childrens_services", "yot_manager")
    )
    body = message.body
    assert "Westshire" in message.subject
    # Seed 000 §10.2: the long-list deadline, its windows, and the IIA list with its deadline.
    assert "by midday on Thursday 28 January 2027" in body
    assert "1st tier: sentences starting from 11 September 2026 to 11 December 2026" in body
    assert "Custodial: sentences starting from 11 June 2026 to 11 December 2026" in body
    assert "no later than 5pm on Monday 1 February 2027" in body
    assert "YOT structure chart (with names) and strategic chart (required)" in body
    assert "Standalone attendance centre requirements are not required" in body


def test_announcement_email_is_sent_once_even_if_the_task_runs_twice(django_capture_on_commit_callbacks):
    inspection = _planned_with_contacts()
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_announce(
            inspection=inspection,
            by=inspection.lead_inspector,
            received_by="Pat",
            now=dt.datetime(2027, 1, 22, 10, tzinfo=dt.UTC),
        )
    assert services.announcement_email_send(inspection=inspection) is False
    # One confirmation, one invitation for the YOT manager: nothing sent twice.
    assert len(mail.outbox) == 2


def test_wales_announcement_goes_to_the_director_of_social_care_services():
    inspection = _planned_with_contacts(Country.WALES)
    email = services.announcement_email(inspection)
    assert "director_social_care@council.example.gov.uk" in email.to
    assert "director_childrens_services@council.example.gov.uk" not in email.to


def test_announce_needs_every_recipient_and_a_future_fieldwork_start():
    inspection = f.inspection(status=Status.PLANNED)
    with pytest.raises(ValidationError) as exc:
        services.inspection_announce(
            inspection=inspection,
            by=inspection.lead_inspector,
            received_by="",
            now=dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC),
        )
    errors = exc.value.message_dict
    assert "The fieldwork start must be in the future." in errors["__all__"]
    assert any("Local authority chief executive, Chair of the YOT Management Board" in m for m in errors["__all__"])
    assert errors["received_by"] == ["Enter the name of the person who took the call."]
    assert Inspection.objects.get(pk=inspection.pk).status == Status.PLANNED
    assert len(mail.outbox) == 0


def test_local_assessor_comes_from_another_yot_and_has_a_supervisor():
    inspection = f.inspection()
    assessor = f.user(role=StaffRole.LOCAL_ASSESSOR, yot=inspection.yot)
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(
            inspection=inspection, by=inspection.lead_inspector, user=assessor, role=TeamRole.LOCAL_ASSESSOR
        )
    assert any("a local assessor comes from another YOT" in m for m in exc.value.message_dict["user"])
    assert "supervisor" in exc.value.message_dict


def test_partner_inspectors_join_fji_from_their_countrys_inspectorates():
    fji_wales = f.inspection(programme=Programme.FJI, yot_=f.yot(country=Country.WALES))
    ofsted = f.user(role=StaffRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.OFSTED)
    estyn = f.user(role=StaffRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.ESTYN)
    with pytest.raises(ValidationError, match="does not take part in inspections in Wales"):
        services.team_member_add(
            inspection=fji_wales, by=fji_wales.lead_inspector, user=ofsted, role=TeamRole.PARTNER_INSPECTOR
        )
    membership = services.team_member_add(
        inspection=fji_wales, by=fji_wales.lead_inspector, user=estyn, role=TeamRole.PARTNER_INSPECTOR
    )
    assert membership.role == TeamRole.PARTNER_INSPECTOR
    sqs = f.inspection()
    with pytest.raises(ValidationError, match="Full Joint Inspections only"):
        services.team_member_add(inspection=sqs, by=sqs.lead_inspector, user=estyn, role=TeamRole.PARTNER_INSPECTOR)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ\x90\x00", "notes.exe is not a file type we accept"),
        ("chart.pdf", b"PK\x03\x04 not a pdf", "chart.pdf does not look like a PDF file"),
        ("empty.pdf", b"", "empty.pdf is empty."),
    ],
)
def test_iia_upload_refuses_wrong_types_and_stores_nothing(name, content, message):
    inspection = f.inspection()
    with pytest.raises(ValidationError, match=message):
        services.iia_upload(
            inspection=inspection,
            by=inspection.lead_inspector,
            kind=IIAKind.STRUCTURE_CHART,
            upload=SimpleUploadedFile(name, content),
        )
    assert InformationDocument.objects.count() == 0


def test_iia_upload_refuses_files_over_the_limit(settings, tmp_path):
    settings.UPLOAD_MAX_MB = 1
    inspection = f.inspection()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="the largest file allowed is 1 MB"):
        services.iia_upload(
            inspection=inspection, by=inspection.lead_inspector, kind=IIAKind.STRUCTURE_CHART, upload=big
        )
    assert InformationDocument.objects.count() == 0
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*"))


def test_iia_structure_chart_completes_the_milestone():
    inspection = f.inspection()
    assert "iia_due" not in services.milestone_done_keys(inspection)
    services.iia_upload(
        inspection=inspection,
        by=inspection.lead_inspector,
        kind=IIAKind.STRUCTURE_CHART,
        upload=SimpleUploadedFile("c.pdf", PDF),
    )
    assert "iia_due" in services.milestone_done_keys(inspection)


def test_contacts_are_validated():
    inspection = f.inspection()
    with pytest.raises(ValidationError) as exc:
        services.contact_add(
            inspection=inspection,
            by=inspection.lead_inspector,
            role=ContactRole.BOARD_CHAIR,
            name="Jo",
            email="not-an-email",
        )
    assert "email" in exc.value.message_dict
