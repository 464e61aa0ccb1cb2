"""The service functions the report tasks call: one per job kind.

Each claims the job (``services.job_claim``), builds its files in steps that report progress,
and finishes the job in one transaction (``services.job_finish``). Transient errors (storage,
network) give the claim back and propagate so the task retries them; anything else propagates and
the task marks the job failed.

``step_delay`` exists for the tests: it makes each step slow enough to kill a worker mid-job.

Languages: every output of an inspection in Wales is in English, then Welsh, each part complete
(``output_languages``); in England, English only. Each PDF is rendered under its first language and
its templates switch language per part, so the request's or worker's language never leaks in (tasks
run in-process in development, inside a Welsh request).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.domain.bank import load_bank
from casework.domain.scores import CaseAnswers, Tally, score
from casework.services.assessment import scored_cases_of
from inspections.domain.recipients import REPORT_ROLES, national_report_recipients
from inspections.enums import PARTNER_INSPECTORATES, ContactRole, Country, Inspectorate, Programme, Status
from inspections.models import Inspection
from reports.domain.chartdata import ChartSpec, chart_specs
from reports.domain.drafting import SectionDraft, fji_sections, sqs_sections
from reports.domain.findings import findings, top_insufficient_reasons
from reports.domain.stars import GRADES, judgement_areas
from reports.domain.text import Block, blocks
from reports.enums import JobKind, ReportStage
from reports.improvement import plan_due
from reports.models import GoodPractice, Judgement, Report, ReportJob, ReportSection, SectionVersion
from reports.pdf import render_pdf
from reports.selectors import inspection_data
from reports.services import (
    JobBusy,
    JobLost,
    OutputFile,
    job_busy_for,
    job_claim,
    job_finish,
    job_progress,
    job_release,
)
from reports.voices import inspection_voices
from scheduling.services_week2 import week2_evidence

TRANSIENT_ERRORS = (OSError, ConnectionError, TimeoutError)
ENGLISH, WELSH = "en-gb", "cy"

Step = Callable[[int, str], None]
Build = Callable[[ReportJob, Step], tuple[list[OutputFile], Callable[[ReportJob], None] | None]]


def pdf_page_count(data: bytes) -> int | None:
    """Pages of a PDF WeasyPrint wrote: the page tree's /Count, which it keeps in a compressed
    object stream; None if it cannot be found."""
    import re
    import zlib

    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    for match in re.finditer(rb"/FlateDecode[^>]*>>\s*stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            text = zlib.decompress(data[match.end() : end])
        except zlib.error:
            continue
        if b"/Pages" in text:
            counts += [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", text)]
            counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", text)]
    return max(counts) if counts else None


def output_languages(inspection: Inspection) -> list[str]:
    """The languages of an inspection's reports, in the order they are printed (seed 000 §3.5:
    English and Welsh in Wales, Welsh treated no less favourably)."""
    return [ENGLISH, WELSH] if inspection.country == Country.WALES else [ENGLISH]


def _render(template: str, context: dict, *, images: dict[str, bytes] | None = None) -> bytes:
    """``render_pdf`` under the output's first language (English), not the request's or worker's:
    the document's title and anything outside a template's per-language parts are English."""
    with translation.override(context["languages"][0]):
        return render_pdf(template, context, images=images)


def _run(job_id: int, build: Build, step_delay: float = 0.0) -> ReportJob | None:
    token = job_claim(job_id=job_id)
    if token is None:
        busy = job_busy_for(job_id=job_id)
        if busy is not None:
            # A redelivered message while the first worker may still be alive: dropping it would
            # strand the job if that worker has in fact died, so look again once it could be stale.
            raise JobBusy(busy)
        return None  # gone, already done or failed
    job = ReportJob.objects.select_related("inspection__yot", "created_by").filter(pk=job_id).first()
    if job is None:
        return None

    def step(progress: int, message: str) -> None:
        if step_delay:
            time.sleep(step_delay)
        job_progress(job_id=job_id, token=token, progress=progress, message=message)

    try:
        files, apply = build(job, step)
        step(95, _("Saving the files"))
        return job_finish(job_id=job_id, token=token, files=files, apply=apply)
    except JobLost:
        return None
    except TRANSIENT_ERRORS as exc:
        job_release(
            job_id=job_id,
            token=token,
            message=_("A temporary problem stopped the job (%(error)s). Trying again.") % {"error": exc},
            error=f"{type(exc).__name__}: {exc}",
        )
        raise


# --- The inspection's report (SQS letter or FJI report) -------------------------------------------


@dataclass(frozen=True)
class SectionView:
    key: str
    kind: str
    title: str
    blocks: list[Block]
    blocks_cy: list[Block]
    judgement: JudgementView | None = None


@dataclass(frozen=True)
class JudgementView:
    label: str
    stars: int | None
    proposed: bool
    tally: Tally

    @property
    def grade(self):
        return GRADES[self.stars][0] if self.stars else ""

    @property
    def descriptor(self):
        return GRADES[self.stars][1] if self.stars else ""

    @property
    def star_glyphs(self) -> str:
        return "★" * (self.stars or 0) + "☆" * (4 - (self.stars or 0))


def _plan_text(section: ReportSection | None, draft: SectionDraft, drafting: bool) -> tuple[str, str, bool]:
    """(English text, Welsh text, whether the generated text becomes a new version)."""
    current = section.current if section else None
    if current is None:
        return draft.text, "", True
    if drafting and current.author_id is None and current.text != draft.text:
        return draft.text, current.text_cy, True  # never edited by the lead inspector: follow the scores
    return current.text, current.text_cy, False


def _sync_sections(report: Report, drafts: list[SectionDraft]) -> None:
    drafting = report.stage == ReportStage.DRAFTING
    for position, draft in enumerate(drafts):
        section, created = ReportSection.objects.get_or_create(
            report=report,
            key=draft.key,
            defaults={
                "kind": draft.kind,
                "title": draft.title,
                "position": position,
                "generated_text": draft.text,
                "prompts": list(draft.prompts),
            },
        )
        if not created and drafting:
            section.title, section.position = draft.title, position
            section.generated_text, section.prompts = draft.text, list(draft.prompts)
            section.save(update_fields=["title", "position", "generated_text", "prompts"])
        text, text_cy, new_version = _plan_text(section, draft, drafting)
        if new_version:
            number = (section.current.number if section.current else 0) + 1
            SectionVersion.objects.create(section=section, number=number, text=text, text_cy=text_cy, author=None)


def _sync_judgements(report: Report, areas) -> None:
    if report.stage != ReportStage.DRAFTING:
        return
    for position, area in enumerate(areas):
        Judgement.objects.update_or_create(
            report=report,
            key=area.key,
            defaults={
                "label": area.label,
                "position": position,
                "sufficient": area.tally.sufficient,
                "insufficient": area.tally.insufficient,
                "proposed_stars": area.proposed,
            },
        )


def report_context(inspection: Inspection, report: Report, sections: list[SectionView], cases: int) -> dict:
    contacts = list(inspection.contacts.all())
    chair = next((c for c in contacts if c.role == ContactRole.BOARD_CHAIR), None)
    copied = [c for c in contacts if c.role in REPORT_ROLES and c.role != ContactRole.BOARD_CHAIR]
    timeline = inspection.timeline
    wales = inspection.country == Country.WALES
    return {
        "inspection": inspection,
        "report": report,
        "sections": sections,
        "cases": cases,
        "chair": chair,
        "copied": copied,
        "national": national_report_recipients(inspection.programme, inspection.country),
        "fieldwork_start": inspection.fieldwork_start,
        "fieldwork_end": timeline.get("fieldwork_end").date,
        "lead": inspection.lead_inspector,
        "published": report.stage == ReportStage.PUBLISHED,
        "date": timezone.localdate(report.published_at or report.sent_at or timezone.now()),
        "languages": output_languages(inspection),
        "wales": wales,
        "grades": [(stars, *GRADES[stars]) for stars in (4, 3, 2, 1)],
        # Seed 001 §12: every FJI report says an improvement plan is required (reports/improvement.py).
        "plan_due": plan_due(inspection),
    }


def _report_build(job: ReportJob, step: Step) -> tuple[list[OutputFile], Callable[[ReportJob], None]]:
    inspection = job.inspection
    step(10, _("Reading the case assessments"))
    data = inspection_data(inspection)
    report, _created = Report.objects.get_or_create(inspection=inspection)
    step(35, _("Drafting the sections"))
    fji = inspection.programme == Programme.FJI
    if fji:
        drafts = fji_sections(
            data.bank, data.scores, inspection.modules, data.narratives, voices=inspection_voices(inspection),
            week2=week2_evidence(inspection),
        )  # fmt: skip
        areas = judgement_areas(data.bank, data.scores, inspection.modules)
    else:
        drafts = sqs_sections(data.bank, data.scores, data.narratives)
        areas = []
    drafting = report.stage == ReportStage.DRAFTING
    existing = {s.key: s for s in report.sections.prefetch_related("versions")}
    set_stars = {j.key: j.stars for j in report.judgements.all()}
    views = []
    for draft in drafts:
        text, text_cy, _new = _plan_text(existing.get(draft.key), draft, drafting)
        judgement = None
        area = next((a for a in areas if a.key == draft.key), None)
        if area is not None:
            stars = set_stars.get(area.key)
            judgement = JudgementView(area.label, stars or area.proposed, stars is None, area.tally)
        views.append(SectionView(draft.key, draft.kind, draft.title, blocks(text), blocks(text_cy), judgement))
    step(60, _("Writing the PDF"))
    context = report_context(inspection, report, views, data.scores.cases)
    template = "reports/pdf/fji_report.html" if fji else "reports/pdf/sqs_letter.html"
    pdf = _render(template, context)
    stage = "published" if report.stage == ReportStage.PUBLISHED else "draft"
    output = OutputFile(
        f"{inspection.reference}-{'report' if fji else 'letter'}-{stage}.pdf",
        "application/pdf",
        pdf,
        pdf_page_count(pdf),
    )

    def apply(finished: ReportJob) -> None:
        locked = Report.objects.select_for_update().get(pk=report.pk)
        _sync_sections(locked, drafts)
        _sync_judgements(locked, areas)
        if locked.stage == ReportStage.PUBLISHED and locked.published_file_id is None:
            locked.published_file = finished.files.get(filename=output.filename)
            locked.save(update_fields=["published_file"])

    return [output], apply


def draft_report_generate(*, job_id: int, step_delay: float = 0.0) -> ReportJob | None:
    """The SQS letter to the Chair of the YOT Management Board (seed 000 §3.5)."""
    return _run(job_id, _report_build, step_delay)


def fji_report_generate(*, job_id: int, step_delay: float = 0.0) -> ReportJob | None:
    """The FJI report: judgements per theme and module, recommendations (seed 001 §12)."""
    return _run(job_id, _report_build, step_delay)


# --- The poster -----------------------------------------------------------------------------------


def _one_section_context(job: ReportJob, step: Step, key: str, missing: str) -> tuple[Report, dict]:
    """The context of a one-section PDF beside the FJI report (the poster, the press notice): the
    section's text in each output language and the star judgements. ``missing``: the message when the
    FJI report, which makes the judgements, has not been generated yet."""
    inspection = job.inspection
    step(10, _("Reading the judgements"))
    report = Report.objects.filter(inspection=inspection).first()
    if report is None or not report.judgements.exists():
        raise ValueError(missing)
    section = report.sections.filter(key=key).first()
    current = section.current if section else None
    judgements = [
        JudgementView(j.label, j.stars or j.proposed_stars, j.stars is None, Tally(j.sufficient, j.insufficient))
        for j in report.judgements.all()
    ]
    step(50, _("Writing the PDF"))
    return report, {
        "inspection": inspection,
        "judgements": judgements,
        "blocks": blocks(current.text if current else ""),
        "blocks_cy": blocks(current.text_cy if current else ""),
        "languages": output_languages(inspection),
        "wales": inspection.country == Country.WALES,
        "published": report.stage == ReportStage.PUBLISHED,
        "date": timezone.localdate(),
    }


def _poster_build(job: ReportJob, step: Step):
    missing = _("Generate the FJI report first: the poster shows its judgements.")
    _report, context = _one_section_context(job, step, "poster", missing)
    pdf = _render("reports/pdf/poster.html", context)
    name = f"{job.inspection.reference}-poster.pdf"
    return [OutputFile(name, "application/pdf", pdf, pdf_page_count(pdf))], None


def poster_generate(*, job_id: int, step_delay: float = 0.0) -> ReportJob | None:
    """The summary in poster format for children and young people (seed 001 §12)."""
    return _run(job_id, _poster_build, step_delay)


# --- The chart pack -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPart:
    """One language's part of the chart pack: its charts, each with the name of its image."""

    language: str
    charts: list[tuple[ChartSpec, str]]


def chart_pack_files(inspection: Inspection, step: Step | None = None) -> list[OutputFile]:
    """The chart pack PDF and the spreadsheet of its data, in each of ``output_languages``."""
    from reports.charts import render_chart
    from reports.exports import charts_xlsx

    step = step or (lambda progress, message: None)
    step(10, _("Reading the case assessments"))
    data = inspection_data(inspection)
    languages = output_languages(inspection)
    specs = {language: chart_specs(data.bank, data.scores, data.profiles, language=language) for language in languages}
    total = sum(len(language_specs) for language_specs in specs.values())
    images: dict[str, bytes] = {}
    parts = []
    for language in languages:
        charts = []
        for spec in specs[language]:
            step(
                15 + int(60 * len(images) / max(total, 1)),
                _("Drawing chart %(n)d of %(total)d") % {"n": len(images) + 1, "total": total},
            )
            name = f"{language}-{spec.key}"
            images[name] = render_chart(spec)
            charts.append((spec, f"image:{name}"))
        parts.append(ChartPart(language, charts))
    step(80, _("Writing the PDF and the spreadsheet"))
    produced = timezone.localdate()
    context = {
        "inspection": inspection,
        "parts": parts,
        "languages": languages,
        "wales": inspection.country == Country.WALES,
        "cases": data.scores.cases,
        "date": produced,
    }
    pdf = _render("reports/pdf/chart_pack.html", context, images=images)
    xlsx = charts_xlsx(
        [spec for language in languages for spec in specs[language]],
        heading=f"{inspection.yot.name} {inspection.reference}",
        produced=produced,
    )
    return [
        OutputFile(f"{inspection.reference}-chart-pack.pdf", "application/pdf", pdf, pdf_page_count(pdf)),
        OutputFile(
            f"{inspection.reference}-chart-data.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx,
        ),
    ]


def chart_pack_generate(*, job_id: int, step_delay: float = 0.0) -> ReportJob | None:
    """The YOT manager's charts, internal use only (seed 000 §3.5): a PDF and the data as xlsx."""
    return _run(job_id, lambda job, step: (chart_pack_files(job.inspection, step), None), step_delay)


# --- The aggregate report -------------------------------------------------------------------------


def aggregate_inspections(period_start: dt.date, period_end: dt.date):
    """Completed (published) SQS inspections whose fieldwork started in the period (seed 000 §3.5)."""
    return (
        Inspection.objects.filter(
            programme=Programme.SQS, status=Status.PUBLISHED, fieldwork_start__range=(period_start, period_end)
        )
        .select_related("yot")
        .order_by("fieldwork_start", "reference")
    )


def aggregate_files(period_start: dt.date, period_end: dt.date, step: Step | None = None) -> list[OutputFile]:
    """Anonymised: no YOT is named except those marked as examples of good practice."""
    step = step or (lambda progress, message: None)
    inspections = list(aggregate_inspections(period_start, period_end))
    bank = load_bank()
    step(10, _("Reading %(total)d inspections") % {"total": len(inspections)})
    # All the inspections in one read (a fixed number of queries however many years are asked for).
    scored = scored_cases_of(inspections)
    rows = [CaseAnswers(item.case.pk, item.facts, item.answers) for items in scored.values() for item in items]
    step(50, _("Scoring %(n)d cases") % {"n": len(rows)})
    scores = score(bank, rows)
    found = findings(bank, scores)
    good = list(
        GoodPractice.objects.filter(inspection__in=inspections)
        .select_related("inspection__yot")
        .order_by("inspection__yot__name")
    )
    step(75, _("Writing the PDF"))
    context = {
        "period_start": period_start,
        "period_end": period_end,
        "inspections": len(inspections),
        "in_wales": sum(1 for i in inspections if i.country == Country.WALES),
        "scores": scores,
        "themes": [(t.label, scores.by_theme.get(t.key, Tally())) for t in bank.themes],
        "findings": found,
        "reasons": top_insufficient_reasons(scores, limit=10),
        "good_practice": good,
        "date": timezone.localdate(),
    }
    pdf = render_pdf("reports/pdf/aggregate.html", context)
    name = f"sqs-aggregate-{period_start.isoformat()}-to-{period_end.isoformat()}.pdf"
    return [OutputFile(name, "application/pdf", pdf, pdf_page_count(pdf))]


def aggregate_generate(*, job_id: int, step_delay: float = 0.0) -> ReportJob | None:
    return _run(job_id, lambda job, step: (aggregate_files(job.period_start, job.period_end, step), None), step_delay)


# --- The press notice ----------------------------------------------------------------------------


def _press_build(job: ReportJob, step: Step):
    """Seed 001 §12: "Once proof read it is published on the HMI Probation website and a press notice
    is produced." The lead inspector's text (the report's press notice section) with the star
    judgements, in English then Welsh for Wales, marked as embargoed until publication."""
    inspection = job.inspection
    missing = _("Generate the FJI report first: the press notice gives its judgements.")
    report, context = _one_section_context(job, step, "press", missing)
    context["publication"] = report.published_at or inspection.timeline.get("publication_due").moment
    context["partners"] = [Inspectorate(code).label for code in PARTNER_INSPECTORATES[inspection.country]]
    pdf = _render("reports/pdf/press_notice.html", context)
    name = f"{inspection.reference}-press-notice.pdf"
    return [OutputFile(name, "application/pdf", pdf, pdf_page_count(pdf))], None


def press_notice_generate(*, job_id: int, step_delay: float = 0.0) -> ReportJob | None:
    return _run(job_id, _press_build, step_delay)


GENERATORS = {
    JobKind.DRAFT: draft_report_generate,
    JobKind.FJI: fji_report_generate,
    JobKind.POSTER: poster_generate,
    JobKind.CHART_PACK: chart_pack_generate,
    JobKind.AGGREGATE: aggregate_generate,
    JobKind.PRESS: press_notice_generate,
}
