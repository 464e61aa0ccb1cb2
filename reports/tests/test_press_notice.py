"""The FJI press notice (issue 14 §5; seed 001 §12: "a press notice is produced"): generated with the
report's press notice section and the star judgements, marked embargoed until publication, English then
Welsh for Wales, made at publication with the report and the poster, and only the team may download it
before publication."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.enums import Country, Programme
from reports import services
from reports.enums import JobKind
from reports.models import Report, ReportJob
from reports.tests.factories import world
from reports.tests.test_pdfs import file_of, generate, no_child_named, pages_text

pytestmark = pytest.mark.django_db


def _press(inspection, people, capture):
    generate(JobKind.FJI, inspection, people["lead"], capture)
    report = Report.objects.get(inspection=inspection)
    for judgement in report.judgements.all():
        services.judgement_set(judgement=judgement, by=people["lead"], stars=3)
    press = report.sections.get(key="press")
    services.section_save(
        section=press, by=people["lead"], text="Good work with children in Northshire.",
        text_cy="Gwaith da gyda phlant.",
    )  # fmt: skip
    return generate(JobKind.PRESS, inspection, people["lead"], capture)


def test_the_press_notice_gives_the_text_the_judgements_and_the_embargo(django_capture_on_commit_callbacks):
    inspection, people = world(programme=Programme.FJI)
    job = _press(inspection, people, django_capture_on_commit_callbacks)
    text = " ".join(pages_text(file_of(job, ".pdf")))
    assert "Full Joint Inspection of youth offending work in Northshire" in text
    assert "Good work with children in Northshire." in text
    assert "Reducing the likelihood of reoffending: 3 stars out of 4 (Good)" in text
    assert "Embargoed until the report is published" in text
    assert "Care Quality Commission" in text and "Ofsted" in text  # England's partners
    assert "Gwaith da" not in text  # England: English only
    no_child_named(text)


def test_in_wales_it_is_english_then_welsh_with_the_welsh_partners(django_capture_on_commit_callbacks):
    inspection, people = world(programme=Programme.FJI, country=Country.WALES)
    job = _press(inspection, people, django_capture_on_commit_callbacks)
    text = " ".join(pages_text(file_of(job, ".pdf")))
    assert text.index("Good work with children") < text.index("Gwaith da gyda phlant.")
    assert "Estyn" in text and "Ofsted" not in text


def test_the_press_section_is_not_in_the_report_itself(django_capture_on_commit_callbacks):
    inspection, people = world(programme=Programme.FJI)
    _press(inspection, people, django_capture_on_commit_callbacks)
    report = generate(JobKind.FJI, inspection, people["lead"], django_capture_on_commit_callbacks)
    assert "Good work with children in Northshire." not in " ".join(pages_text(file_of(report, ".pdf")))


def test_embargoed_from_the_yot_until_publication(client, django_capture_on_commit_callbacks):
    inspection, people = world(programme=Programme.FJI)
    job = _press(inspection, people, django_capture_on_commit_callbacks)
    url = reverse("reports:download", args=[inspection.reference, job.pk, job.files.get().pk])
    for persona, status in (("lead", 200), ("assistant", 200), ("yot_manager", 403), ("stranger", 404)):
        client.force_login(people[persona])
        assert client.get(url).status_code == status, persona
    Report.objects.filter(inspection=inspection).update(stage="published")
    client.force_login(people["yot_manager"])
    assert client.get(url).status_code == 200


def test_an_sqs_has_no_press_notice(client):
    inspection, people = world()
    client.force_login(people["lead"])
    response = client.post(reverse("reports:generate", args=[inspection.reference, JobKind.PRESS]))
    assert response.status_code in (302, 400, 404)
    assert not ReportJob.objects.filter(kind=JobKind.PRESS).exists()
