"""Welsh treated no less favourably than English (issue 13 §4): the chart pack, its spreadsheet and the
poster of an inspection in Wales are in English, then Welsh, each complete, with dates written in each
language; those of an inspection in England are in English, whatever language the job runs in.

The Welsh expected here is read from the catalogues (``translation.gettext`` under ``cy``) and checked
to differ from the English, so a test fails when a text is left untranslated or printed in the wrong
language. The tests named ``..._after_merge`` need Welsh for text new with this change
(/tmp/helpers/welsh-outputs-welsh.json): they fail until it is merged into the catalogues.
"""

import io
import shutil

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from openpyxl import load_workbook

from casework.domain.bank import load_bank
from casework.domain.scores import score
from inspections.enums import Country, Programme
from reports import services
from reports.charts import axis_label
from reports.domain.chartdata import CaseProfile, chart_specs
from reports.enums import JobKind
from reports.exports import charts_xlsx
from reports.models import Report
from reports.selectors import sample_profiles
from reports.tests.factories import world
from reports.tests.test_content import known_rows
from reports.tests.test_pdfs import file_of, generate, pages_text, pdf_info

BANK = load_bank("2015-01")
PROFILES = [
    CaseProfile("Custodial", "Female", 15),
    CaseProfile("Community", "Male", 16),
    CaseProfile("Community", None, None),
    CaseProfile("1st tier", "Male", 12),
]
INTERNAL = "For internal use within the YOT only – not for publication"
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")


def welsh(text: str) -> str:
    """The catalogue's Welsh of ``text``; fails if it has none (the test would prove nothing)."""
    with translation.override("cy"):
        translated = translation.gettext(text)
    assert translated != text, f"no Welsh for {text!r} in the catalogues"
    return translated


def dates(day) -> tuple[str, str]:
    """``day`` as the reports write it, in English and in Welsh."""
    with translation.override("en-gb"):
        english = date_format(day, "j F Y")
    with translation.override("cy"):
        cymraeg = date_format(day, "j F Y")
    assert english != cymraeg
    return english, cymraeg


@pytest.fixture(scope="module")
def scores():
    return score(BANK, known_rows())


def specs_by_key(scores, language):
    return {spec.key: spec for spec in chart_specs(BANK, scores, PROFILES, language=language)}


# --- The chart specs: labels in the output language, order decided on the English -----------------


def test_welsh_chart_specs_have_welsh_titles_columns_and_labels(scores):
    specs = specs_by_key(scores, "cy")
    theme = specs["theme"]
    assert theme.language == "cy"
    assert theme.title == welsh("Work judged Sufficient, by theme")
    assert theme.columns[:4] == tuple(welsh(c) for c in ("Theme", "Sufficient", "Insufficient", "Judgements"))
    assert theme.rows[0] == (welsh("Reducing the likelihood of reoffending"), 7, 5, 12, 58.3)
    assert specs["sample_heading"].columns == (welsh("Heading"), welsh("Cases"))
    assert specs["sample_age"].columns[0] == welsh("Age band")
    assert specs["reasons"].title == welsh("Most frequent reasons for Insufficient judgements")
    assert specs["reasons"].columns == (welsh("Question"), welsh("Reason"), welsh("Cases"))


def test_welsh_sample_labels_keep_the_english_order(scores):
    english, cymraeg = specs_by_key(scores, "en-gb"), specs_by_key(scores, "cy")
    # Ordered on the English ("1st tier" < "Community" < "Custodial"); sorted on the Welsh, "Cymunedol"
    # would come before "Haen gyntaf".
    assert english["sample_heading"].rows == (("1st tier", 1), ("Community", 2), ("Custodial", 1))
    assert cymraeg["sample_heading"].rows == (
        (welsh("1st tier"), 1),
        (welsh("Community"), 2),
        (welsh("Custodial"), 1),
    )
    assert english["sample_heading"].values == cymraeg["sample_heading"].values
    # Gender in the bank's order (Male, Female), in the bank's own Welsh.
    assert english["sample_gender"].labels == ("Male", "Female", "Not known")
    assert cymraeg["sample_gender"].labels[:2] == ("Gwryw", "Benyw")
    assert cymraeg["sample_gender"].values == english["sample_gender"].values == (2.0, 1.0, 1.0)


def test_welsh_reasons_are_the_banks_welsh_options(scores):
    english, cymraeg = specs_by_key(scores, "en-gb")["reasons"], specs_by_key(scores, "cy")["reasons"]
    assert english.rows[0] == ("2.1.1", "Plan not timely", 3)
    assert cymraeg.rows[0] == ("2.1.1", "Nid oedd y cynllun yn amserol", 3)
    assert cymraeg.labels[0] == "2.1.1: Nid oedd y cynllun yn amserol"
    assert [row[2] for row in cymraeg.rows] == [row[2] for row in english.rows]


def test_english_chart_specs_built_in_a_welsh_job_are_english(scores):
    with translation.override("cy"):
        specs = specs_by_key(scores, "en-gb")
    assert specs["theme"].title == "Work judged Sufficient, by theme"
    assert specs["theme"].columns == ("Theme", "Sufficient", "Insufficient", "Judgements", "% Sufficient")
    assert specs["sample_heading"].labels == ("1st tier", "Community", "Custodial")
    assert specs["sample_gender"].labels == ("Male", "Female", "Not known")
    assert specs["reasons"].rows[0] == ("2.1.1", "Plan not timely", 3)
    assert specs["theme"].alt.startswith("Bar chart. Work judged Sufficient, by theme. ")
    assert axis_label(specs["sample_heading"]) == "Cases"


def test_the_axis_is_labelled_in_the_charts_language(scores):
    with translation.override("en-gb"):
        spec = specs_by_key(scores, "cy")["sample_heading"]
    assert axis_label(spec) == welsh("Cases")


def test_welsh_chart_text_is_all_welsh_after_merge(scores):
    specs = specs_by_key(scores, "cy")
    assert specs["sample_heading"].title == welsh("Cases in the sample, by heading")
    assert specs["sample_heading"].sheet == welsh("Sample by heading")
    assert specs["sample_gender"].labels[2] == welsh("Not known")
    assert specs["theme"].columns[4] == welsh("% Sufficient")
    assert axis_label(specs["theme"]) == welsh("% Sufficient")
    assert specs["theme"].alt.startswith(welsh("Bar chart. %(title)s. %(bars)s.").split("%(title)s")[0])
    assert "Bar chart" not in specs["theme"].alt


@pytest.mark.django_db
def test_sample_headings_are_stored_in_english_whatever_the_language():
    inspection, _people = world()
    with translation.override("cy"):
        profiles = sample_profiles(inspection)
    assert sorted({p.heading for p in profiles}) == ["1st tier", "Community"]


# --- The spreadsheet ---------------------------------------------------------------------------


def test_a_wales_spreadsheet_has_the_english_sheets_then_the_welsh_with_welsh_dates(scores):
    day = timezone.localdate()
    english_date, welsh_date = dates(day)
    specs = [
        *chart_specs(BANK, scores, PROFILES, language="en-gb"),
        *chart_specs(BANK, scores, PROFILES, language="cy"),
    ]
    workbook = load_workbook(io.BytesIO(charts_xlsx(specs, heading="Ceredigion SQS-1", produced=day)), read_only=True)
    sheets = [list(sheet.iter_rows(values_only=True)) for sheet in workbook]
    half = len(sheets) // 2
    assert len(sheets) == 2 * half == len(specs)
    english_theme = next(rows for rows in sheets[:half] if rows[3] == ("Work judged Sufficient, by theme",))
    welsh_theme = next(rows for rows in sheets[half:] if rows[3] == (welsh("Work judged Sufficient, by theme"),))
    assert english_theme[:3] == [(INTERNAL,), ("Ceredigion SQS-1",), (f"Produced on {english_date}.",)]
    assert welsh_theme[:3] == [
        (welsh(INTERNAL),),
        ("Ceredigion SQS-1",),
        (welsh("Produced on %(date)s.") % {"date": welsh_date},),
    ]
    assert (welsh("Reducing the likelihood of reoffending"), 7, 5, 12, 58.3) in welsh_theme
    assert ("Reducing the likelihood of reoffending", 7, 5, 12, 58.3) in english_theme
    assert len(set(workbook.sheetnames)) == len(sheets)


def test_an_england_spreadsheet_written_in_a_welsh_job_has_no_welsh(scores):
    day = timezone.localdate()
    english_date, welsh_date = dates(day)
    with translation.override("cy"):
        specs = chart_specs(BANK, scores, PROFILES, language="en-gb")
        data = charts_xlsx(specs, heading="Northshire SQS-1", produced=day)
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    cells = [c for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert workbook.sheetnames[:3] == ["Sample by heading", "Sample by gender", "Sample by age"]
    assert f"Produced on {english_date}." in cells
    for text in (welsh(INTERNAL), welsh("Produced on %(date)s.") % {"date": welsh_date}, welsh("Cases")):
        assert text not in cells


# --- The chart pack and the poster -------------------------------------------------------------


@needs_pdftotext
@pytest.mark.django_db
def test_a_wales_chart_pack_is_english_then_welsh_each_complete(django_capture_on_commit_callbacks):
    inspection, people = world(country=Country.WALES, name="Ceredigion")
    job = generate(JobKind.CHART_PACK, inspection, people["lead"], django_capture_on_commit_callbacks)
    pages = pages_text(file_of(job, ".pdf"))
    text = "\n".join(pages)
    english_date, welsh_date = dates(timezone.localdate())
    english = ["Chart pack: Ceredigion", f"Produced on {english_date}.", "Work judged Sufficient, by theme"]
    cymraeg = [
        welsh("Chart pack: %(yot)s") % {"yot": "Ceredigion"},
        welsh("Produced on %(date)s.") % {"date": welsh_date},
        welsh("Work judged Sufficient, by theme"),
        welsh("Reducing the likelihood of reoffending"),
        welsh("Most frequent reasons for Insufficient judgements"),
        "Nid oedd y cynllun yn amserol",
    ]
    for phrase in english + cymraeg:
        assert phrase in text
    assert text.index(english[0]) < text.index(cymraeg[0])  # English first
    welsh_part = text[text.index(cymraeg[0]) :]
    assert "Work judged Sufficient, by theme" not in welsh_part
    # The same charts in both parts: a cover and one page per chart each.
    covers = [i for i, page in enumerate(pages) if english[0] in page or cymraeg[0] in page]
    assert covers == [0, len(pages) // 2]
    assert all(INTERNAL in page and welsh(INTERNAL) in page for page in pages)
    assert pdf_info(file_of(job, ".pdf"))["Title"] == f"Chart pack: Ceredigion / {cymraeg[0]}"

    workbook = load_workbook(io.BytesIO(file_of(job, ".xlsx").read_bytes()), read_only=True)
    first_cells = [next(sheet.iter_rows(values_only=True))[0] for sheet in workbook]
    half = len(first_cells) // 2
    assert first_cells == [INTERNAL] * half + [welsh(INTERNAL)] * half


@needs_pdftotext
@pytest.mark.django_db
def test_an_england_chart_pack_made_in_a_welsh_job_has_no_welsh(django_capture_on_commit_callbacks):
    inspection, people = world()
    with translation.override("cy"):
        job = generate(JobKind.CHART_PACK, inspection, people["lead"], django_capture_on_commit_callbacks)
    path = file_of(job, ".pdf")
    text = "\n".join(pages_text(path))
    english_date, welsh_date = dates(timezone.localdate())
    assert "Chart pack: Northshire" in text
    assert f"Produced on {english_date}." in text
    assert "Reducing the likelihood of reoffending" in text
    for phrase in (
        welsh("Chart pack: %(yot)s") % {"yot": "Northshire"},
        welsh(INTERNAL),
        welsh("Work judged Sufficient, by theme"),
        welsh("Reducing the likelihood of reoffending"),
        welsh("Heading"),
        welsh_date,
    ):
        assert phrase not in text
    assert pdf_info(path)["Title"] == "Chart pack: Northshire"


def _fji_with_judgements(country, name, capture):
    inspection, people = world(programme=Programme.FJI, country=country, name=name)
    generate(JobKind.FJI, inspection, people["lead"], capture)
    report = Report.objects.get(inspection=inspection)
    for judgement in report.judgements.all():
        services.judgement_set(judgement=judgement, by=people["lead"], stars=judgement.proposed_stars or 3)
    return inspection, people


@needs_pdftotext
@pytest.mark.django_db
def test_a_wales_poster_is_an_english_page_then_a_welsh_page(django_capture_on_commit_callbacks):
    inspection, people = _fji_with_judgements(Country.WALES, "Ceredigion", django_capture_on_commit_callbacks)
    job = generate(JobKind.POSTER, inspection, people["lead"], django_capture_on_commit_callbacks)
    pages = pages_text(file_of(job, ".pdf"))
    english_date, welsh_date = dates(timezone.localdate())
    question = "How well does %(yot)s youth offending team work with children and young people?"
    assert len(pages) == 2
    assert question % {"yot": "Ceredigion"} in pages[0]
    assert "Reducing the likelihood of reoffending" in pages[0]
    assert f"Produced on {english_date}." in pages[0]
    assert welsh(question) % {"yot": "Ceredigion"} in pages[1]
    assert welsh("Reducing the likelihood of reoffending") in pages[1]
    assert welsh("Produced on %(date)s.") % {"date": welsh_date} in pages[1]
    assert welsh("Requires improvement") in pages[1]
    assert "Reducing the likelihood of reoffending" not in pages[1]


@needs_pdftotext
@pytest.mark.django_db
def test_an_england_poster_made_in_a_welsh_job_has_no_welsh(django_capture_on_commit_callbacks):
    inspection, people = _fji_with_judgements(Country.ENGLAND, "Northshire", django_capture_on_commit_callbacks)
    with translation.override("cy"):
        job = generate(JobKind.POSTER, inspection, people["lead"], django_capture_on_commit_callbacks)
    path = file_of(job, ".pdf")
    pages = pages_text(path)
    english_date, welsh_date = dates(timezone.localdate())
    title = "How well does Northshire youth offending team work with children and young people?"
    assert len(pages) == 1
    assert title in pages[0] and f"Produced on {english_date}." in pages[0]
    for phrase in (welsh("Reducing the likelihood of reoffending"), welsh("Judgement to be set"), welsh_date):
        assert phrase not in pages[0]
    assert pdf_info(path)["Title"] == title
