"""Reads for reports: an inspection's scored answers, and the reports a user may see.

The answers reader is deliberately small: the cases of the sample that have an assessment, their
answers by question id, a supervising inspector's reviewed value replacing the local assessor's
judgement (seed 000 §4; casework ``Review``), and the routing facts (programme, country, modules,
whether the case has an Alert or Concern).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from casework.domain.bank import Bank, load_bank
from casework.domain.routing import Facts
from casework.domain.scores import CaseAnswers, Scores, score
from casework.enums import CaseStatus
from casework.models import Answer, Case, Review
from inspections.enums import Country
from inspections.models import Inspection
from reports.domain.chartdata import CaseProfile
from reports.domain.drafting import Narrative
from reports.models import ReportFile, ReportJob

# Bank view 0: the gender and the age at the start of the sentence, when the long-list has none.
GENDER_QUESTION = "4"
AGE_QUESTION = "5"


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
    """The inspection's scores (casework ``score``), sample make-up and narrative answers."""
    data = inspection_rows(inspection)
    return InspectionData(data.bank, score(data.bank, data.rows), data.profiles, data.narratives)


def inspection_rows(inspection: Inspection, bank: Bank | None = None) -> CaseRows:
    """Each assessed case's routing facts and answers (reviewed values replacing the originals)."""
    cases = list(
        Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED, assessment__isnull=False)
        .select_related("assessment", "entry")
        .prefetch_related("alerts")
        .order_by("position", "id")
    )
    assessment_ids = [c.assessment.pk for c in cases]
    answers: dict[int, dict[str, object]] = {pk: {} for pk in assessment_ids}
    for assessment_id, question_id, value in Answer.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "question_id", "value"
    ):
        answers[assessment_id][question_id] = value
    for assessment_id, question_id, value in Review.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "question_id", "reviewed_value"
    ):
        answers[assessment_id][question_id] = value

    if bank is None:
        # Assessments are pinned to the bank they began with; mixed versions score on the newest.
        versions = {c.assessment.bank_version for c in cases}
        bank = load_bank(versions.pop() if len(versions) == 1 else None)
    country = "Wales" if inspection.country == Country.WALES else "England"  # the bank's 3b options
    rows, profiles, narratives = [], [], []
    narrative_ids = [q.id for q in bank.questions if q.kind == "narrative"]
    for case in cases:
        case_answers = answers[case.assessment.pk]
        facts = Facts(
            programme=inspection.programme,
            country=country,
            modules=frozenset(inspection.modules),
            alert=bool(case.alerts.all()),
        )
        rows.append(CaseAnswers(case.pk, facts, case_answers))
        entry = case.entry
        gender = (entry.gender if entry else None) or _str(case_answers.get(GENDER_QUESTION))
        age = _age(entry.date_of_birth, entry.sentence_date) if entry else None
        if age is None:
            age = _int(case_answers.get(AGE_QUESTION))
        profiles.append(CaseProfile(case.get_heading_display(), gender.title() if gender else None, age))
        for question_id in narrative_ids:
            text = _str(case_answers.get(question_id))
            if text:
                question = bank.question(question_id)
                narratives.append(Narrative(case.label, question_id, bank.view(question.view).title, text))
    return CaseRows(bank=bank, rows=rows, profiles=profiles, narratives=narratives)


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
