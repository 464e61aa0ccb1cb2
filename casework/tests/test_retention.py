"""Storage limitation: after the retention period the children's names, dates of birth and case IDs
are gone from every table and from storage, and the scores are unchanged."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from casework import retention
from casework.enums import AlertKind
from casework.models import Answer, AnswerRevision, Case, LongListEntry, Sample, SampleChange
from casework.services import assessment as services
from casework.services.assessment import inspection_scores, scores_as_dict
from casework.services.sample import sample_case_remove, sample_select
from casework.tasks import anonymise_due as anonymise_due_task
from casework.tests import factories as cf
from casework.tests import factories_longlist as fl
from inspections.enums import Status
from inspections.models import AuditEvent, IdentityView, StatusChange
from inspections.tests import factories as f
from reports.enums import SectionKind
from reports.models import FactualComment, GoodPractice, Report, ReportSection, SectionVersion
from reports.selectors import sample_profiles

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2027, 3, 3, 12, 0, tzinfo=dt.UTC)
AFTER = PUBLISHED + dt.timedelta(days=settings.RETENTION_DAYS, hours=1)
BEFORE = PUBLISHED + dt.timedelta(days=settings.RETENTION_DAYS - 1)
DOB = dt.date(2010, 3, 14)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def publish(inspection, by, at=PUBLISHED):
    """The inspection as published at ``at`` (the status change is what retention counts from)."""
    f.force_status(inspection, Status.PUBLISHED)
    change = StatusChange.objects.create(
        inspection=inspection, from_status=Status.FACTUAL_ACCURACY, to_status=Status.PUBLISHED, changed_by=by
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=at)


def answer_everything(assessment, user):
    """Answer every required question with its first option (or some text), to a fixed point."""
    for _ in range(10):
        state = services.case_state(assessment.case, assessment)
        todo = [qid for qid in state.route.required if not state.is_answered(qid)]
        if not todo:
            return state
        for qid in todo:
            question = state.bank.question(qid)
            if question.input == "choice":
                value = [question.options[0]] if question.multiple else question.options[0]
            else:
                value = "12" if question.input == "number" else "Notes"
            current = Answer.objects.filter(assessment=assessment, question_id=qid).first()
            services.assessment_answer(
                assessment=assessment, question_id=qid, value=value, user=user,
                expected_revision=current.revision if current else 0,
            )  # fmt: skip
    raise AssertionError("answering did not settle")


def rows_holding(text: str) -> list[str]:
    """Every (table, column) of casework, inspections and reports whose text or JSON holds ``text``."""
    found = []
    for label in ("casework", "inspections", "reports"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, TEXT_FIELDS):
                    continue
                as_text = Cast(field.name, models.TextField())
                if model.objects.annotate(t=as_text).filter(t__icontains=text).exists():
                    found.append(f"{model._meta.db_table}.{field.column}")
    return found


def files_holding(text: str) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    paths = root.rglob("*") if root.exists() else []
    return [str(p) for p in paths if p.is_file() and text.encode() in p.read_bytes()]


@pytest.fixture
def world():
    """A published inspection whose child's name and case ID were copied into free text and trails."""
    world = cf.team()
    inspection, lead, case = world["inspection"], world["people"]["lead"], world["case"]
    entry = case.entry
    assessor = world["people"]["assessor"]
    assessment = services.assessment_start(case=case, user=assessor)
    answer_everything(assessment, assessor)
    # A free-text answer: where an inspector may well write the child's name.
    narrative = Answer.objects.filter(assessment=assessment, value="Notes").values_list("question_id", flat=True)[0]
    text = f"{cf.CHILD_FIRST_NAMES} told me she has settled; PERSEPHONE's mother agreed. Will she stay?"
    Answer.objects.filter(assessment=assessment, question_id=narrative).update(value=text)
    AnswerRevision.objects.filter(answer__assessment=assessment, answer__question_id=narrative).update(value=text)
    services.alert_raise(
        case=case, kind=AlertKind.CONCERN, description=f"{cf.CHILD_FAMILY_NAME} family: risk at home", user=assessor
    )
    sample = Sample.objects.create(inspection=inspection, long_list=entry.long_list, size=1, selected_by=lead)
    SampleChange.objects.create(
        sample=sample, kind="removed", by=lead, reason=f"{cf.CHILD_FIRST_NAMES} moved away",
        detail={"case_out": entry.case_id, "size": 1},
    )  # fmt: skip
    AuditEvent.objects.create(
        inspection=inspection, actor=lead, action="sample_case_removed", detail={"case_out": entry.case_id}
    )
    IdentityView.objects.create(inspection=inspection, user=lead, what="Sample download (CSV)", path="/sample.csv")
    LongListEntry.objects.filter(pk=entry.pk).update(
        suitability_note=f"{cf.CHILD_FIRST_NAMES} is in care", other_information="Lives with an aunt"
    )
    # The report: a name typed into a section, a factual-accuracy comment and a good-practice note.
    report = Report.objects.create(inspection=inspection)
    section = ReportSection.objects.create(
        report=report, key="case-notes", kind=SectionKind.COMMENTARY, title="Case notes", position=1,
        generated_text=f"Case {entry.case_id}", prompts=[f"Say how {cf.CHILD_FIRST_NAMES} was helped"],
    )  # fmt: skip
    SectionVersion.objects.create(
        section=section, number=1, author=lead, text=f"{cf.CHILD_FIRST_NAMES} {cf.CHILD_FAMILY_NAME} did well.",
        text_cy=f"Gwnaeth {cf.CHILD_FIRST_NAMES} yn dda.",
    )  # fmt: skip
    FactualComment.objects.create(
        section=section, author=world["people"]["yot_manager"], text=f"{cf.CHILD_FAMILY_NAME} moved in May",
        resolution_note=f"Corrected: {entry.case_id}",
    )  # fmt: skip
    GoodPractice.objects.create(inspection=inspection, note=f"The work with {cf.CHILD_FIRST_NAMES}", marked_by=lead)
    publish(inspection, lead)
    return {**world, "entry": entry, "assessment": assessment, "narrative": narrative}


def identifiers(world) -> list[str]:
    return [cf.CHILD_FAMILY_NAME, cf.CHILD_FIRST_NAMES, world["entry"].case_id, DOB.isoformat(), "14/03/2010"]


def test_anonymise_after_the_period_leaves_no_trace_in_any_text_or_json_column(world):
    for text in identifiers(world)[:3]:
        assert rows_holding(text), text  # the set-up really copied it somewhere (the date is in a date column)

    done = retention.anonymise_due(now=AFTER)

    assert [r.reference for r in done] == [world["inspection"].reference]
    assert {text: rows_holding(text) for text in identifiers(world)} == {text: [] for text in identifiers(world)}
    entry = LongListEntry.objects.get(pk=world["entry"].pk)
    assert (entry.family_name, entry.first_names, entry.date_of_birth, entry.case_id) == ("", "", None, "")
    assert (entry.suitability_note, entry.other_information) == ("", "")
    version = SectionVersion.objects.get(section__report__inspection=world["inspection"])
    assert version.text == f"{retention.MARKER} {retention.MARKER} did well."


def test_the_reports_still_count_the_age_once_the_date_of_birth_is_gone(world):
    LongListEntry.objects.filter(pk=world["entry"].pk).update(age_at_sentence=None)
    before = sample_profiles(world["inspection"])
    assert [p.age for p in before] == [16]

    retention.anonymise_due(now=AFTER)

    assert sample_profiles(world["inspection"]) == before


def test_anonymise_keeps_what_the_aggregate_report_counts(world):
    entry = world["entry"]
    before = scores_as_dict(inspection_scores(world["inspection"]), world["inspection"])

    retention.anonymise_due(now=AFTER)

    assert scores_as_dict(inspection_scores(world["inspection"]), world["inspection"]) == before
    kept = LongListEntry.objects.get(pk=entry.pk)
    assert kept.age_at_sentence == 16  # born 14 March 2010, sentenced 1 September 2026
    assert (kept.heading, kept.order_type, kept.gender, kept.ethnicity, kept.rosh, kept.vulnerability) == (
        entry.heading, entry.order_type, entry.gender, entry.ethnicity, entry.rosh, entry.vulnerability,
    )  # fmt: skip
    assert Case.objects.get(pk=world["case"].pk).reference == "HMIP-07"


def test_anonymise_replaces_only_the_name_in_free_text(world):
    retention.anonymise_due(now=AFTER)

    value = Answer.objects.get(assessment=world["assessment"], question_id=world["narrative"]).value
    assert value == "[…] told me she has settled; […]'s mother agreed. Will she stay?"
    change = SampleChange.objects.get(sample__inspection=world["inspection"])
    assert (change.reason, change.detail) == ("[…] moved away", {"case_out": "[…]", "size": 1})


def test_nothing_changes_before_the_period_ends(world):
    assert list(retention.due_inspections(now=BEFORE)) == []

    assert retention.anonymise_due(now=BEFORE) == []

    entry = LongListEntry.objects.get(pk=world["entry"].pk)
    assert (entry.family_name, entry.date_of_birth) == (cf.CHILD_FAMILY_NAME, DOB)
    assert not AuditEvent.objects.filter(action=retention.ACTION).exists()


def test_an_inspection_not_yet_published_is_never_due(world):
    f.force_status(world["inspection"], Status.FACTUAL_ACCURACY)

    assert retention.anonymise_due(now=AFTER + dt.timedelta(days=3650)) == []


def test_running_twice_is_harmless_and_leaves_one_audit_row(world):
    first = retention.anonymise_due(now=AFTER)
    snapshot = list(LongListEntry.objects.values())

    assert retention.anonymise_due(now=AFTER) == []
    assert retention.inspection_anonymise(inspection=world["inspection"]) is None
    assert list(LongListEntry.objects.values()) == snapshot
    assert len(first) == 1
    assert AuditEvent.objects.filter(inspection=world["inspection"], action=retention.ACTION).count() == 1


def test_the_task_runs_it(world):
    assert anonymise_due_task(now=AFTER.isoformat()) == 1
    assert anonymise_due_task(now=AFTER.isoformat()) == 0

    assert rows_holding(cf.CHILD_FAMILY_NAME) == []


def test_the_beat_schedule_runs_the_task_daily():
    assert settings.CELERY_BEAT_SCHEDULE["retention"] == {"task": "casework.anonymise_due", "schedule": 86400.0}


def test_the_command_dry_run_lists_and_changes_nothing(world, capsys, settings):
    settings.RETENTION_DAYS = 1  # the fixture's publication is in the past only by the clock's date
    StatusChange.objects.filter(to_status=Status.PUBLISHED).update(changed_at=timezone.now() - dt.timedelta(days=2))

    call_command("anonymise_due", "--dry-run")

    out = capsys.readouterr().out
    reference = world["inspection"].reference
    assert re.search(
        rf"^{reference} \(published \d{{4}}-\d\d-\d\d\): names, dates of birth and case IDs of 1 ", out, re.M
    )
    assert "Would anonymise 1 inspections (dry run: nothing changed)." in out
    assert LongListEntry.objects.get(pk=world["entry"].pk).family_name == cf.CHILD_FAMILY_NAME

    call_command("anonymise_due")

    assert "Anonymised 1 inspections." in capsys.readouterr().out
    assert rows_holding(cf.CHILD_FAMILY_NAME) == []


def test_an_uploaded_long_list_leaves_no_name_in_the_database_or_storage():
    world = fl.team(status=Status.ANNOUNCED)
    inspection, sso = world["inspection"], world["people"]["sso"]
    fl.stored_long_list(inspection, world["people"]["yot_manager"])
    sample = sample_select(inspection=inspection, by=sso, size=20, seed=1)
    named = LongListEntry.objects.get(long_list__inspection=inspection, family_name=fl.DISTINCTIVE)
    case = sample.inspection.cases.exclude(entry=named).first()
    sample_case_remove(case=case, by=sso, reason=f"Duplicate of {fl.DISTINCTIVE}, see {named.case_id}")
    publish(inspection, world["people"]["lead"])
    assert rows_holding(fl.DISTINCTIVE)

    retention.anonymise_due(now=AFTER)

    assert rows_holding(fl.DISTINCTIVE) == []
    assert rows_holding(named.case_id) == []
    assert files_holding(fl.DISTINCTIVE) == []
    assert not LongListEntry.objects.filter(long_list__inspection=inspection, date_of_birth__isnull=False).exists()


def test_a_listed_named_file_is_deleted_from_storage(world, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save(
        f"named/{world['inspection'].reference}.csv", ContentFile(cf.CHILD_FAMILY_NAME.encode())
    )
    monkeypatch.setattr(retention, "NAMED_FILES", (lambda inspection: [name],))

    with django_capture_on_commit_callbacks(execute=True):
        [removal] = retention.anonymise_due(now=AFTER)

    assert removal.files == (name,)
    assert not default_storage.exists(name)
    assert files_holding(cf.CHILD_FAMILY_NAME) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Ann Smith-Jones was seen", "[…] […] was seen"),
        ("SMITH-JONES, Ann", "[…], […]"),
        ("Annabel is another child", "Annabel is another child"),
        ("see case YOT-0042, and 42 others", "see case […], and 42 others"),
        ({"case_out": "YOT-9", "size": 3}, {"case_out": "[…]", "size": 3}),
        (["Ann", ["ok"], 4], ["[…]", ["ok"], 4]),
    ],
    ids=["full-name", "capitals", "longer-word-kept", "case-id-in-text", "exact-case-id-in-json", "nested-list"],
)
def test_scrub(value, expected):
    pattern = retention.name_pattern(["Smith-Jones", "Ann"], codes=["YOT-0042", "42"])
    assert retention.scrub(value, pattern=pattern, exact=frozenset({"YOT-9"})) == expected


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [(DOB, dt.date(2026, 3, 13), 15), (DOB, dt.date(2026, 3, 14), 16), (None, dt.date(2026, 3, 14), None)],
    ids=["day-before-birthday", "on-birthday", "no-date-of-birth"],
)
def test_age_on(born, on, age):
    assert retention.age_on(born, on) == age


def test_a_lower_case_word_matching_a_first_name_is_kept():
    pattern = retention.name_pattern(["Will"])
    assert retention.scrub("Will will go", pattern=pattern) == "[…] will go"
