"""The improvement plan after a Full Joint Inspection (issue 14 §6; seed 001 §5 and §12).

Seed 001 §12: "Reports make recommendations to focus improvement work on priority areas, and an
improvement plan is required after each inspection. This plan is approved by HMI Probation in
collaboration with the YJB, the YJB then monitoring its implementation." §5's table gives the
deadline as week +15 (the timeline's ``improvement_plan_due``).

Readings (docs/rulebook.md, "Improvement plan"):
- The YOT manager sends the plan once the draft report has gone to the YOT for its factual check
  (the recommendations are then known), and may send it up to publication and after; a plan sent
  after the deadline is accepted and marked late, as a late long-list is.
- Each version sent is kept. A version is approved when both HMI Probation (the lead inspector)
  and the YJB (its contact on the inspection, through a private link emailed to them) approve it;
  either may return it with comments, which are required, and the YOT then sends a new version.
  "In collaboration with" is read as both agreeing: neither approves alone.
- With no YJB contact recorded, the lead inspector is told to add one before the plan can be
  approved; the YJB's decision cannot be recorded for them.
- The reminders of the deadline go to the YOT managers as for every YOT milestone, also after
  publication, until a plan is sent (``inspections.reminders``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.enums import STATUS_ORDER, ContactRole, Programme, Status
from inspections.models import AuditEvent, Contact, Inspection, MilestoneCompletion, User
from inspections.notifications import absolute_url, lead_and_sso, notify, notify_people, yot_managers_of
from reports.enums import PlanDecider, PlanDecisionKind, PlanStatus
from reports.models import ImprovementPlan, ImprovementPlanDecision, ImprovementPlanVersion, PlanReviewLink

MILESTONE = "improvement_plan_due"
MAX_BYTES = 20 * 1024 * 1024
# What a plan may be: the formats councils write plans in. Decided by content, not by the name.
FORMATS = {
    "pdf": ("application/pdf", b"%PDF-"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
}
LINK_DAYS = 30


def plan_applies(inspection: Inspection) -> bool:
    return inspection.programme == Programme.FJI


def plan_due(inspection: Inspection) -> dt.datetime | None:
    milestone = inspection.timeline.get(MILESTONE) if plan_applies(inspection) else None
    return milestone.moment if milestone is not None else None


def may_be_sent(inspection: Inspection) -> bool:
    """From the draft report's factual check on: the recommendations are known."""
    return plan_applies(inspection) and STATUS_ORDER.index(inspection.status) >= STATUS_ORDER.index(
        Status.FACTUAL_ACCURACY
    )


def plan_of(inspection: Inspection) -> ImprovementPlan | None:
    return ImprovementPlan.objects.filter(inspection=inspection).first()


def yjb_contacts(inspection: Inspection) -> list[Contact]:
    return list(inspection.contacts.filter(role=ContactRole.YJB).order_by("name", "pk"))


def _audit(inspection: Inspection, actor: User | None, action: str, **detail) -> None:
    AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


def _sniff(data: bytes, filename: str) -> tuple[str, str]:
    """(extension, content type) of an acceptable plan, or ValidationError naming the problem."""
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB. Send a smaller file, or a PDF of the plan.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )
    extension = Path(filename).suffix.lower().lstrip(".")
    if extension not in FORMATS or not data.startswith(FORMATS[extension][1]):
        raise ValidationError(_("Send the plan as a PDF, Word (.docx), OpenDocument (.odt) or Excel (.xlsx) file."))
    return extension, FORMATS[extension][0]


def plan_send(
    *, inspection: Inspection, by: User, data: bytes, filename: str, note: str = "", now: dt.datetime | None = None
) -> ImprovementPlanVersion:
    """Store a new version of the YOT's plan, marked late after the deadline; tell the lead inspector
    and the SSO, and email the YJB contacts their private link. ValidationError when it cannot be
    sent now or the file is not a plan."""
    if not may_be_sent(inspection):
        raise ValidationError(_("The improvement plan can be sent once the draft report has come to you."))
    extension, content_type = _sniff(data, filename)
    now = now or timezone.now()
    due = plan_due(inspection)
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        plan, _created = ImprovementPlan.objects.get_or_create(inspection=locked)
        if plan.status == PlanStatus.APPROVED:
            raise ValidationError(_("The improvement plan has been approved; a new version cannot be sent."))
        number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = ImprovementPlanVersion(
            plan=plan, number=number, original_name=filename[:255], content_type=content_type, size=len(data),
            note=note[:2000], uploaded_by=by, uploaded_at=now, late=due is not None and now > due,
        )  # fmt: skip
        version.file.save(f"plan.{extension}", ContentFile(data), save=False)
        try:
            version.save()
        except Exception:
            version.file.delete(save=False)
            raise
        plan.status = PlanStatus.SUBMITTED
        plan.save(update_fields=["status"])
        MilestoneCompletion.objects.get_or_create(inspection=locked, key=MILESTONE, defaults={"done_by": by})
        _audit(locked, by, "improvement_plan_sent", version=number, late=version.late, file=filename[:255])
        link = absolute_url(reverse("reports:improvement_plan", kwargs={"reference": locked.reference}))
        notify_people(
            people=lead_and_sso(locked), key=f"improvement_plan_sent:{version.pk}", kind="improvement_plan_sent",
            template="improvement_plan_sent", context={"inspection": locked, "version": version, "link": link},
            inspection=locked,
        )  # fmt: skip
        for contact in yjb_contacts(locked):
            _email_review_link(version, contact, now=now)
    return version


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _email_review_link(version: ImprovementPlanVersion, contact: Contact, *, now: dt.datetime) -> None:
    token = secrets.token_urlsafe(32)
    PlanReviewLink.objects.create(
        version=version, contact=contact, token_hash=_token_hash(token), expires_at=now + dt.timedelta(days=LINK_DAYS)
    )
    inspection = version.plan.inspection
    notify(
        key=f"improvement_plan_review:{version.pk}:{contact.pk}", kind="improvement_plan_review",
        template="improvement_plan_review", email=contact.email, name=contact.name, language=contact.language or None,
        inspection=inspection,
        context={
            "inspection": inspection, "version": version, "days": LINK_DAYS,
            "link": absolute_url(reverse("reports_plan_review:review", kwargs={"token": token})),
        },
    )  # fmt: skip


def review_link(token: str, *, now: dt.datetime | None = None) -> PlanReviewLink | None:
    """The YJB contact's link, while it is open: not expired, its version the newest and undecided by the YJB."""
    link = (
        PlanReviewLink.objects.select_related("version__plan__inspection__yot", "contact")
        .filter(token_hash=_token_hash(token), expires_at__gt=now or timezone.now())
        .first()
    )
    if link is None:
        return None
    version = link.version
    newest = version.plan.versions.order_by("-number").first()
    if newest != version:
        return None
    return link


def _settle(plan: ImprovementPlan, version: ImprovementPlanVersion, now: dt.datetime) -> None:
    """The plan's status from the newest version's decisions: returned as soon as one side returns
    it, approved once both approve."""
    kinds = {d.decider: d.kind for d in version.decisions.all()}
    if PlanDecisionKind.RETURN in kinds.values():
        plan.status, plan.approved_at = PlanStatus.RETURNED, None
    elif kinds.get(PlanDecider.HMIP) == PlanDecisionKind.APPROVE and kinds.get(PlanDecider.YJB) == (
        PlanDecisionKind.APPROVE
    ):
        plan.status, plan.approved_at = PlanStatus.APPROVED, now
    else:
        plan.status, plan.approved_at = PlanStatus.SUBMITTED, None
    plan.save(update_fields=["status", "approved_at"])


def plan_decide(
    *,
    version: ImprovementPlanVersion,
    decider: str,
    kind: str,
    comments: str = "",
    by_user: User | None = None,
    by_name: str = "",
    now: dt.datetime | None = None,
) -> ImprovementPlanDecision:
    """Record one side's decision on the newest version; returns it. Returning needs comments; a
    side decides once per version (a second click, or two at once, is refused with a message)."""
    now = now or timezone.now()
    comments = comments.strip()
    if kind == PlanDecisionKind.RETURN and not comments:
        raise ValidationError({"comments": _("Say what the YOT should change in the plan.")})
    with transaction.atomic():
        plan = ImprovementPlan.objects.select_for_update().get(pk=version.plan_id)
        if plan.versions.order_by("-number").first() != version:
            raise ValidationError(_("A newer version of the plan has been sent: decide on that one."))
        try:
            with transaction.atomic():
                decision = ImprovementPlanDecision.objects.create(
                    version=version, decider=decider, kind=kind, comments=comments[:5000], by_user=by_user,
                    by_name=(by_name or (by_user.get_full_name() if by_user else ""))[:200],
                )  # fmt: skip
        except IntegrityError:
            raise ValidationError(_("A decision on this version has already been recorded.")) from None
        _settle(plan, version, now)
        inspection = plan.inspection
        _audit(inspection, by_user, f"improvement_plan_{kind}", version=version.number, decider=decider)
        link = absolute_url(reverse("reports:improvement_plan", kwargs={"reference": inspection.reference}))
        context = {"inspection": inspection, "version": version, "decision": decision, "plan": plan, "link": link}
        if plan.status in (PlanStatus.RETURNED, PlanStatus.APPROVED):
            notify_people(
                people=[*yot_managers_of(inspection), *lead_and_sso(inspection)],
                key=f"improvement_plan_{plan.status}:{version.pk}", kind=f"improvement_plan_{plan.status}",
                template=f"improvement_plan_{plan.status}", context=context, inspection=inspection,
            )  # fmt: skip
        elif decider == PlanDecider.YJB:
            notify_people(
                people=lead_and_sso(inspection), key=f"improvement_plan_yjb:{version.pk}",
                kind="improvement_plan_yjb", template="improvement_plan_yjb", context=context, inspection=inspection,
            )  # fmt: skip
    return decision


def plan_history(plan: ImprovementPlan) -> list[ImprovementPlanVersion]:
    """Every version, newest first, with its decisions."""
    return list(plan.versions.select_related("uploaded_by").prefetch_related("decisions"))
