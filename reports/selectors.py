"""Reads for reports: an inspection's scored answers, and the reports a user may see.

What is scored comes from casework's one selector (``scored_cases``: completed assessments, a
supervising inspector's review applied while it still holds, seed 000 §4); the sample's make-up
charts read every selected case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import translation

from casework.domain.bank import Bank, load_bank
from casework.domain.scores import CaseAnswers, Scores
from casework.enums import CaseStatus, Heading
from casework.models import Answer, Case
from casework.services.assessment import inspection_scores, scored_cases
from inspections.models import Inspection
from reports.domain.chartdata import AGE_QUESTION, GENDER_QUESTION, CaseProfile
from reports.domain.drafting import Narrative
from reports.models import ReportFile, ReportJob


@dataclass(frozen=True)
class CaseRows:
    bank: Bank
    rows: list[CaseAnswers]
    profiles: list[CaseProfile]
    narratives: list[Narrative]


@dataclass(frozen=True)
class InspectionData:
    bank: Bank
    scores: Scores
    profiles: list[CaseProfile]
    narratives: list[Narrative]


def _age(born: dt.date | None, on: dt.date | None) -> int | None:
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def inspection_data(inspection: Inspection) -> InspectionData:
    """The inspection's scores, sample make-up and narrative answers.

    The scores are the Scores page's own (``casework.services.assessment.inspection_scores``): one
    road to what is scored, so the page, the letter and the chart pack always agree.
    """
    result = inspection_scores(inspection)
    data = inspection_rows(inspection, result.bank)
    return InspectionData(result.bank, result.scores, data.profiles, data.narratives)


def inspection_rows(inspection: Inspection, bank: Bank | None = None) -> CaseRows:
    """The scored cases' routing facts and answers (``scored_cases``), the narratives they hold,
    and the make-up of the whole sample (every selected case, assessed or not)."""
    scored = scored_cases(inspection)
    if bank is None:
        # Assessments are pinned to the bank they began with; mixed versions score on the newest.
        versions = {item.assessment.bank_version for item in scored}
        bank = load_bank(versions.pop() if len(versions) == 1 else None)
    rows = [CaseAnswers(item.case.pk, item.facts, item.answers) for item in scored]
    narratives = []
    narrative_ids = [q.id for q in bank.questions if q.kind == "narrative"]
    for item in scored:
        for question_id in narrative_ids:
            text = _str(item.answers.get(question_id))
            if text:
                question = bank.question(question_id)
                narratives.append(Narrative(item.case.label, question_id, bank.view(question.view).title, text))
    return CaseRows(bank=bank, rows=rows, profiles=sample_profiles(inspection), narratives=narratives)


def sample_profiles(inspection: Inspection) -> list[CaseProfile]:
    """Heading, gender and age of every case in the sample: from the long-list, or, where it has
    none, from the case assessment's view 0 answers so far."""
    cases = list(
        Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED)
        .select_related("entry", "assessment")
        .order_by("position", "id")
    )
    view0: dict[int, dict[str, object]] = {}
    assessment_ids = [c.assessment.pk for c in cases if hasattr(c, "assessment")]
    for assessment_id, question_id, value in Answer.objects.filter(
        assessment_id__in=assessment_ids, question_id__in=(GENDER_QUESTION, AGE_QUESTION)
    ).values_list("assessment_id", "question_id", "value"):
        view0.setdefault(assessment_id, {})[question_id] = value
    # English whatever the request's or worker's language: the chart pack counts and orders the
    # headings in English and translates them when it draws each language's charts.
    with translation.override(settings.LANGUAGE_CODE):
        headings = {value: str(label) for value, label in Heading.choices}
    profiles = []
    for case in cases:
        answers = view0.get(case.assessment.pk, {}) if hasattr(case, "assessment") else {}
        entry = case.entry
        gender = (entry.gender if entry else None) or _str(answers.get(GENDER_QUESTION))
        age = _age(entry.date_of_birth, entry.sentence_date) if entry else None
        if age is None and entry is not None:
            # Once the retention period has passed the date of birth is gone and the age it gave
            # is kept instead (casework/retention.py).
            age = entry.age_at_sentence
        if age is None:
            age = _int(answers.get(AGE_QUESTION))
        profiles.append(CaseProfile(headings.get(case.heading, case.heading), gender.title() if gender else None, age))
    return profiles


def _str(value) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def latest_jobs(inspection: Inspection) -> dict[str, ReportJob]:
    """The newest job of each kind for the inspection."""
    latest: dict[str, ReportJob] = {}
    for job in inspection.report_jobs.prefetch_related("files").order_by("-created_at", "-id"):
        latest.setdefault(job.kind, job)
    return latest


def get_job(inspection: Inspection | None, job_id: int) -> ReportJob:
    try:
        return ReportJob.objects.prefetch_related("files").get(pk=job_id, inspection=inspection)
    except ReportJob.DoesNotExist:
        raise Http404("No such job") from None


def get_file(job: ReportJob, file_id: int) -> ReportFile:
    try:
        return job.files.get(pk=file_id)
    except ReportFile.DoesNotExist:
        raise Http404("No such file") from None
