"""The report's gates on the inspection's status (registered in ``ReportsConfig.ready``, issue 9 §5).

"Factual accuracy check" is reached by sending the draft (``report_send``) and "Published" by
publishing it (``report_publish``); both move the status through ``inspection_set_status``, which
runs these. The rules themselves are pure, in ``reports.domain.gates``.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from inspections.enums import Country, Programme, Status
from inspections.gates import register_gate
from inspections.models import Inspection
from reports.domain import gates as rules
from reports.enums import CommentStatus, ReportStage
from reports.models import FactualComment, Report


def factual_accuracy_deadline(inspection: Inspection, *, sent_at: dt.datetime | None) -> dt.datetime:
    """When the YOT's three working days end (seed 000 §14.3): the timeline's milestone, or three
    working days after a draft sent late (``rules.factual_accuracy_closes_at``)."""
    return rules.factual_accuracy_closes_at(
        planned=inspection.timeline.get("factual_accuracy_due").moment, sent_at=sent_at, country=inspection.country
    )


def section_texts(report: Report) -> list[rules.SectionText]:
    texts = []
    for section in report.sections.prefetch_related("versions"):
        current = section.current
        texts.append(
            rules.SectionText(
                title=section.title, text=current.text if current else "", text_cy=current.text_cy if current else ""
            )
        )
    return texts


def ready_to_send(inspection: Inspection, now: dt.datetime) -> list[str]:
    report = Report.objects.filter(inspection=inspection).first()
    if report is None:
        return [_("Generate the draft before sending it.")]
    unset = []
    if inspection.programme == Programme.FJI:
        unset = list(report.judgements.filter(stars__isnull=True).values_list("label", flat=True))
    return rules.sending_problems(sections=section_texts(report), unset_judgements=unset)


def ready_to_publish(inspection: Inspection, now: dt.datetime) -> list[str]:
    report = Report.objects.filter(inspection=inspection).first()
    if report is None or report.stage != ReportStage.FACTUAL_ACCURACY:
        return [_("Send the draft for the factual accuracy check before publishing it.")]
    open_comments = FactualComment.objects.filter(section__report=report, status=CommentStatus.OPEN).order_by(
        "section__position", "created_at"
    )
    return rules.publication_problems(
        comments_close_at=factual_accuracy_deadline(inspection, sent_at=report.sent_at),
        now=now,
        open_comments=list(open_comments.values_list("section__title", flat=True)),
        sections=section_texts(report),
        wales=inspection.country == Country.WALES,
    )


def register() -> None:
    register_gate(Status.FACTUAL_ACCURACY, ready_to_send)
    register_gate(Status.PUBLISHED, ready_to_publish)
