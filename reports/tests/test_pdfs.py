"""The PDFs, rendered to PNG with pdftoppm and read back with pdftotext: pages, text, markings."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook

from casework.models import LongListEntry
from inspections.enums import Country, Programme, Status
from inspections.tests import factories as f
from reports import services
from reports.enums import JobKind, JobStatus
from reports.exports import neutralise
from reports.models import Report
from reports.tests.factories import CHILD_NAMES, world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed"),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
PDFTOTEXT, PDFTOPPM, PDFINFO = (shutil.which(tool) or tool for tool in ("pdftotext", "pdftoppm", "pdfinfo"))
INTERNAL = "For internal use within the YOT only – not for publication"


def generate(kind, inspection, by, capture):
    with capture(execute=True):
        job = services.job_create(kind=kind, by=by, inspection=inspection)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    return job


def pages_text(path: Path) -> list[str]:
    out = subprocess.run([PDFTOTEXT, str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")[:-1]]


def to_png(path: Path, name: str) -> list[Path]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run([PDFTOPPM, "-png", "-r", "50", str(path), str(ARTIFACTS / name)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run([PDFINFO, str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def file_of(job, suffix: str) -> Path:
    return Path(job.files.get(filename__endswith=suffix).file.path)


def no_child_named(text: str) -> None:
    for family, first in CHILD_NAMES:
        assert family not in text
        assert first not in text


def test_the_sqs_letter_has_its_findings_recipients_and_draft_marking(django_capture_on_commit_callbacks):
    inspection, people = world()
    job = generate(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    path = file_of(job, ".pdf")
    pages = pages_text(path)
    assert len(to_png(path, "sqs-letter")) == len(pages) == job.files.get().pages
    text = "\n".join(pages)
    assert "Short Quality Screening of youth offending work in Northshire" in text
    assert "Dear Morgan Chair," in text
    assert "Chair of the YOT Management Board" in text
    for expected in (
        "Strengths",
        "Areas for improvement",
        "Commentary",
        "83.3% Sufficient (5 of 6",
        "Plan not timely (3)",
        "Lena Hughes",
    ):
        assert expected in text
    copied = text[text.index("Copied to") :]
    assert "Pat Commissioner" in copied and "Ofsted" in copied and "Youth Justice Board" in copied
    assert "Morgan Chair" not in copied  # addressed to the chair, copied to the others
    assert all("Draft for the factual accuracy check" in page for page in pages)
    no_child_named(text)
    info = pdf_info(path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Short Quality Screening of youth offending work in Northshire (draft)"


def test_a_wales_letter_has_the_fixed_text_in_welsh_and_the_welsh_sections(django_capture_on_commit_callbacks):
    inspection, people = world(country=Country.WALES, name="Ceredigion")
    generate(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    section = Report.objects.get(inspection=inspection).sections.get(key="strengths")
    services.section_save(
        section=section, by=people["lead"], text=section.current.text, text_cy="- Roedd yr asesiadau yn drylwyr."
    )
    job = generate(JobKind.DRAFT, inspection, people["lead"], django_capture_on_commit_callbacks)
    path = file_of(job, ".pdf")
    text = "\n".join(pages_text(path))
    to_png(path, "sqs-letter-wales")
    with translation.override("cy"):
        welsh = [
            translation.gettext(s)
            for s in (
                "Strengths",
                "Areas for improvement",
                "Copied to",
                "HM Inspectorate of Probation",
                "Chair of the YOT Management Board",
            )
        ]
    assert all(w != e for w, e in zip(welsh[:3], ("Strengths", "Areas for improvement", "Copied to"), strict=True))
    for phrase in welsh:
        assert phrase in text
    assert "Roedd yr asesiadau yn drylwyr." in text
    assert "Strengths" in text  # and the English report before it
    assert "Short Quality Screening of youth offending work in Ceredigion" in text


def test_the_chart_pack_is_marked_internal_on_every_page_and_names_no_child(django_capture_on_commit_callbacks):
    inspection, people = world()
    job = generate(JobKind.CHART_PACK, inspection, people["lead"], django_capture_on_commit_callbacks)
    path = file_of(job, ".pdf")
    pages = pages_text(path)
    assert len(to_png(path, "chart-pack")) == len(pages) == job.files.get(filename__endswith=".pdf").pages
    assert len(pages) >= 8  # the cover, then a page per chart
    assert all(INTERNAL in page for page in pages)
    text = "\n".join(pages)
    for title in (
        "Cases in the sample, by heading",
        "by gender",
        "by age at the start",
        "by theme",
        "by criterion",
        "by question",
        "Most frequent reasons",
    ):
        assert title in text
    no_child_named(text)
    assert LongListEntry.objects.filter(family_name=CHILD_NAMES[0][0]).exists()  # the names were there to leak

    workbook = load_workbook(io.BytesIO(file_of(job, ".xlsx").read_bytes()), read_only=True)
    assert workbook.sheetnames[:3] == ["Sample by heading", "Sample by gender", "Sample by age"]
    theme = [row for row in workbook["Sufficient by theme"].iter_rows(values_only=True)]
    assert theme[0] == (INTERNAL,)
    assert ("Reducing the likelihood of reoffending", 7, 5, 12, 58.3) in theme
    cells = "\n".join(
        str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c is not None
    )
    no_child_named(cells)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+44", "'+44"), ("-x", "'-x"), ("@SUM", "'@SUM"), ("Plan", "Plan"), (-3, -3)],
)
def test_spreadsheet_cells_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_the_fji_report_shows_star_judgements_with_scores_and_a_one_page_poster(django_capture_on_commit_callbacks):
    inspection, people = world(programme=Programme.FJI)
    generate(JobKind.FJI, inspection, people["lead"], django_capture_on_commit_callbacks)
    report = Report.objects.get(inspection=inspection)
    for judgement in report.judgements.all():
        services.judgement_set(judgement=judgement, by=people["lead"], stars=judgement.proposed_stars or 3)
    job = generate(JobKind.FJI, inspection, people["lead"], django_capture_on_commit_callbacks)
    path = file_of(job, ".pdf")
    to_png(path, "fji-report")
    text = " ".join(" ".join(pages_text(path)).split())
    assert "Full Joint Inspection of youth offending work in Northshire" in text
    assert "Reducing the likelihood of reoffending ★★☆☆ 2 stars out of 4: Requires improvement." in text
    assert "Casework score: 58.3% of judgements Sufficient (7 of 12)." in text
    assert "Requires urgent and major improvement." in text  # the grade descriptors
    assert "Recommendations" in text
    assert "Home Office" in text  # FJI reports also go to ministers (seed 001 §12)
    # Seed 001 §12: an improvement plan is required, approved with the YJB, by the timeline's deadline.
    due = inspection.timeline.get("improvement_plan_due").moment
    assert "An improvement plan is required after this inspection" in text
    assert f"The YOT sends it to HMI Probation by {due:%-d %B %Y}." in text
    assert "together with the Youth Justice Board" in text
    no_child_named(text)
    poster = generate(JobKind.POSTER, inspection, people["lead"], django_capture_on_commit_callbacks)
    poster_path = file_of(poster, ".pdf")
    assert len(to_png(poster_path, "poster")) == 1
    assert "How well does Northshire youth offending team work with children and young people?" in " ".join(
        pages_text(poster_path)[0].split()
    )


def test_the_aggregate_report_names_only_good_practice_yots(django_capture_on_commit_callbacks):
    named, people = world(status=Status.PUBLISHED, name="Goodshire")
    anonymous, _ = world(status=Status.PUBLISHED, name="Quietshire")
    services.good_practice_mark(inspection=named, by=people["lead"], note="Exemplary pre-sentence reports.")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_create(
            kind=JobKind.AGGREGATE, by=people["lead"], period_start=f.FIELDWORK_MONDAY, period_end=f.FIELDWORK_MONDAY
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    path = file_of(job, ".pdf")
    to_png(path, "aggregate")
    text = " ".join(" ".join(pages_text(path)).split())
    assert "findings of 2 completed Short Quality Screening inspections" in text
    assert "covering 12 cases" in text
    assert "Goodshire" in text and "Exemplary pre-sentence reports." in text
    assert "Quietshire" not in text
    assert anonymous.reference not in text and named.reference not in text
    no_child_named(text)
