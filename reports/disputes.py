"""Disagreements between the inspectors on a judgement or the report's text (issue 14 §5; seed 001 §12).

Seed 001 §12: "Neither the lead inspector nor the lead inspectorate will significantly change their
contributions to the report ... without reference to the inspector concerned. In the unlikely event of
a failure to agree judgements or the text of the report, the disputed matter is referred in the first
instance to the quality assurance manager of the inspectorates (or the equivalent) and if agreement
cannot be reached to nominated senior managers for resolution. These processes should not
unnecessarily delay the dates for sending draft or final reports to the YOT area."

Readings (docs/rulebook.md, "Editorial disagreements"):
- Anyone on the inspection's team may raise one (partner inspectors above all) while the report is
  not yet published; the lead inspector is told, and records each referral and the agreed outcome
  (the quality assurance and senior managers are outside the service). The levels go in order:
  between the inspectors, the quality assurance managers, the senior managers.
- An open disagreement never stops the draft being sent or the report published (the seed says the
  process should not delay them); the send and publish pages say it is open.
- The YOT never sees them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.enums import TeamRole
from inspections.models import AuditEvent, User
from inspections.notifications import absolute_url, notify_people, team_with_roles
from reports.enums import DisputeLevel, DisputeStatus, ReportStage
from reports.models import DisputeStep, EditorialDispute, Report, ReportSection

NEXT_LEVEL = {DisputeLevel.TEAM: DisputeLevel.QUALITY, DisputeLevel.QUALITY: DisputeLevel.SENIOR}


def _link(dispute: EditorialDispute) -> str:
    reference = dispute.report.inspection.reference
    return absolute_url(reverse("reports:dispute", kwargs={"reference": reference, "dispute_id": dispute.pk}))


def open_disputes(report: Report) -> list[EditorialDispute]:
    return list(report.disputes.filter(status=DisputeStatus.OPEN).select_related("section"))


def dispute_raise(*, report: Report, by: User, matter: str, section: ReportSection | None = None) -> EditorialDispute:
    matter = matter.strip()
    if not matter:
        raise ValidationError({"matter": _("Say what you do not agree with and why.")})
    if report.stage == ReportStage.PUBLISHED:
        raise ValidationError(_("The report is published: a disagreement can no longer be raised on it."))
    if section is not None and section.report_id != report.pk:
        raise ValidationError({"section": _("Choose a section of this report.")})
    with transaction.atomic():
        dispute = EditorialDispute.objects.create(report=report, section=section, matter=matter[:5000], raised_by=by)
        DisputeStep.objects.create(dispute=dispute, level=DisputeLevel.TEAM, note=dispute.matter, by=by)
        inspection = report.inspection
        AuditEvent.objects.create(
            inspection=inspection, actor=by, action="editorial_dispute_raised",
            detail={"dispute": dispute.pk, "section": section.key if section else None},
        )  # fmt: skip
        notify_people(
            people=[p for p in team_with_roles(inspection, (TeamRole.LEAD_INSPECTOR,)) if p != by],
            key=f"editorial_dispute_raised:{dispute.pk}", kind="editorial_dispute_raised",
            template="editorial_dispute_raised", inspection=inspection,
            context={"inspection": inspection, "dispute": dispute, "by": by, "link": _link(dispute)},
        )  # fmt: skip
    return dispute


def dispute_refer(*, dispute: EditorialDispute, by: User, note: str) -> EditorialDispute:
    """Send the disagreement to the next level, saying why it could not be agreed at this one."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say why it could not be agreed, and to whom it goes.")})
    with transaction.atomic():
        locked = EditorialDispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.status != DisputeStatus.OPEN:
            raise ValidationError(_("This disagreement has already been settled."))
        level = NEXT_LEVEL.get(locked.level)
        if level is None:
            raise ValidationError(_("The senior managers are the last step: record what they agreed."))
        locked.level = level
        locked.save(update_fields=["level"])
        DisputeStep.objects.create(dispute=locked, level=level, note=note[:5000], by=by)
        _tell(locked, by, "editorial_dispute_referred")
    return locked


def dispute_settle(*, dispute: EditorialDispute, by: User, outcome: str) -> EditorialDispute:
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"note": _("Record what was agreed.")})
    with transaction.atomic():
        locked = EditorialDispute.objects.select_for_update().get(pk=dispute.pk)
        if locked.status != DisputeStatus.OPEN:
            raise ValidationError(_("This disagreement has already been settled."))
        locked.status, locked.outcome = DisputeStatus.RESOLVED, outcome[:5000]
        locked.resolved_by, locked.resolved_at = by, timezone.now()
        locked.save(update_fields=["status", "outcome", "resolved_by", "resolved_at"])
        DisputeStep.objects.create(dispute=locked, level=locked.level, note=locked.outcome, by=by, resolved=True)
        _tell(locked, by, "editorial_dispute_settled")
    return locked


def _tell(dispute: EditorialDispute, by: User, kind: str) -> None:
    inspection = dispute.report.inspection
    AuditEvent.objects.create(
        inspection=inspection, actor=by, action=kind, detail={"dispute": dispute.pk, "level": dispute.level}
    )
    step = dispute.steps.order_by("-at", "-id").first()
    notify_people(
        people=[p for p in (dispute.raised_by,) if p != by], key=f"{kind}:{dispute.pk}:{step.pk}", kind=kind,
        template=kind, inspection=inspection,
        context={"inspection": inspection, "dispute": dispute, "step": step, "by": by, "link": _link(dispute)},
    )  # fmt: skip
