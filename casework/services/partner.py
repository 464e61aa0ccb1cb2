"""The partner inspectorates' case subset of a Full Joint Inspection (seed 001 §7 a).

In fieldwork week 2 each partner inspectorate assesses "a subset of the cases that have been inspected
during Fieldwork Week 1 and have been identified as having one or more of the following
characteristics: a high level of need in that specialist area; a referral has been made for
specialist input; a deficit has been identified relating to that area that is worthy of further
investigation; high risk of harm to others or high vulnerability; good practice has been identified
in that area." The lead inspector (or an assistant inspector) confirms the subset; the service
suggests it.

Readings (docs/rulebook.md, "Full Joint Inspection"):

- **The cases of fieldwork week 1** are the final sample's cases (they have an HMI Probation
  reference): in an FJI the whole sample is assessed in week 1 (seed 001 §3).
- **Specialist areas.** §7 names four: health and well-being, learning and skills, safeguarding and
  protecting children (social care), and police intelligence. England has three partner
  inspectorates for them, Wales four (§3): CQC and HIW take health; Estyn learning and skills; CSSIW
  safeguarding and social care; HMIC police; **Ofsted both learning and skills and safeguarding**,
  since in England Ofsted is the inspectorate of children's social care as well as of education and
  training, and no other English partner covers safeguarding.
- **High risk of harm to others or high vulnerability** is not tied to an area: a case whose
  long-list entry gives RoSH or vulnerability High or Very High (``HIGH_LEVELS``, the sample's own
  test) is suggested to every partner inspectorate.
- **Need and deficit** are read from the Case Assessment Tool's answers, through ``SIGNALS`` below:
  only answers to questions the case's routing still asks count (a hidden answer is kept but no
  longer holds). Safeguarding need is also read from the long-list (looked after, child protection).
- **A referral for specialist input** and **good practice** cannot be told from the question bank:
  it records referrals only when they were *not* made (4.10.2, 3.14.2: a deficit), and no question
  records good practice (a Sufficient judgement is not good practice). These two reasons are never
  suggested: the lead inspector ticks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.enums import CaseStatus, PartnerReason
from casework.longlist.spec import HIGH_LEVELS
from casework.models import Case, PartnerCase
from casework.services.assessment import case_rows
from inspections.enums import PARTNER_INSPECTORATES, Inspectorate, Programme
from inspections.models import AuditEvent, Inspection, User

HEALTH = "health"
LEARNING = "learning"
SAFEGUARDING = "safeguarding"
POLICE = "police"

# Seed 001 §3 and §7: the specialist areas each partner inspectorate brings (reading in the docstring).
INSPECTORATE_AREAS: Mapping[str, tuple[str, ...]] = {
    Inspectorate.CQC: (HEALTH,),
    Inspectorate.HIW: (HEALTH,),
    Inspectorate.OFSTED: (LEARNING, SAFEGUARDING),
    Inspectorate.ESTYN: (LEARNING,),
    Inspectorate.CSSIW: (SAFEGUARDING,),
    Inspectorate.HMIC: (POLICE,),
}

NOTE_LIMIT = 1000
REASON_LIMIT = 500


@dataclass(frozen=True)
class Signal:
    """An answer that shows a need or a deficit in an area: the answer names one of ``options``, or
    (``insufficient``) the judgement counts as Insufficient (worded answers through ``counts_as``,
    a per-factor judgement for any factor, as the routing reads them)."""

    question_id: str
    reason: str  # PartnerReason.NEED or PartnerReason.DEFICIT
    options: frozenset[str] = frozenset()
    insufficient: bool = False


def _need(question_id: str, *options: str) -> Signal:
    return Signal(question_id, PartnerReason.NEED, frozenset(options))


def _named(question_id: str, *options: str) -> Signal:
    return Signal(question_id, PartnerReason.DEFICIT, frozenset(options))


def _insufficient(*question_ids: str) -> tuple[Signal, ...]:
    return tuple(Signal(qid, PartnerReason.DEFICIT, insufficient=True) for qid in question_ids)


# Seed 004's questions that tell a need or a deficit in each area (ids and option labels of every
# bank version; casework/tests/test_partner_cases.py checks they exist). 2.1.0: the priority factors
# for reducing reoffending; 1.2.2: disability factors; 1.1.4: aspects insufficiently assessed;
# 2.1.3: why planning was insufficient; 5.1.3: services the case manager could not get.
SIGNALS: Mapping[str, tuple[Signal, ...]] = {
    HEALTH: (
        _need("2.1.0", "Physical health", "Emotional and mental health", "Substance use"),
        _need("1.2.2", "Mental health or emotional state"),
        _named(
            "1.1.4",
            "Insufficient assessment of physical health",
            "Insufficient assessment of emotional and mental health",
            "Insufficient assessment of substance misuse",
        ),
        _named("2.1.3", "Insufficient attention to health and substance misuse needs"),
        _named("4.10.2", "Required referrals to promote health and well-being not made"),
        _named("5.1.3", "Physical health (including sexual health)", "Emotional and mental health", "Substance misuse"),
        # Planning for health and substance misuse (reoffending, then safeguarding); health outcomes.
        *_insufficient("2.1.2.1", "2.1.2.2", "2.12.2.1", "2.12.2.2", "4.10.1"),
    ),
    LEARNING: (
        _need("2.1.0", "Education, training and employment"),
        _need("1.2.2", "Statement of Special Educational Needs", "Other learning difficulty or disability"),
        _named("1.1.4", "Insufficient assessment of education, training and employment"),
        _named("2.1.3", "Insufficient attention to ETE needs"),
        _named("5.1.3", "Education, training and employment"),
        *_insufficient("2.1.2.3", "2.12.2.3"),  # planning for ETE (reoffending, then safeguarding)
    ),
    SAFEGUARDING: (
        _need("7.a", "Yes"),  # looked after during the sentence
        _need("8", "Yes"),  # child protection plan or Section 47 enquiries
        _need("2.1.0", "Living arrangements"),
        _named("1.1.4", "Insufficient assessment of quality of care"),
        _named("2.1.3", "Insufficient attention to living arrangements and parenting capacity"),
        _named("5.1.3", "Children's social care"),
        # Assessment, review, planning, delivery and outcome of the work on safeguarding and vulnerability.
        *_insufficient("1.13.1", "1.13.1.2", "1.18.1", "2.12.1", "2.12.2.4", "2.17.1", "3.6.1", "3.14.1", "4.7.1"),
    ),
    POLICE: (
        _need("4.19.1.1", "Yes"),  # came to the attention of the police for alleged offending
        _need("4.19.1.2", "Yes"),  # arrested
        _need("12a", "Yes"),  # MAPPA eligible
        *_insufficient("2.10.1", "3.12.2", "4.19.2"),  # MAPPA engagement, multi-agency work, response to police
    ),
}


def _chosen(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {item for item in value if isinstance(item, str)}
    return set()


def signals_met(
    area: str, *, asked: frozenset[str], answers: Mapping[str, Any], insufficient: frozenset[str]
) -> dict[str, tuple[str, ...]]:
    """Which reasons the answers show for ``area``: reason -> the question ids that show it.

    Pure: ``asked`` and ``insufficient`` are the case's routing (``Route.asked_set``,
    ``Route.insufficient``), ``answers`` its stored answers by question id.
    """
    found: dict[str, list[str]] = {}
    for signal in SIGNALS[area]:
        if signal.question_id not in asked:
            continue
        if signal.insufficient:
            met = signal.question_id in insufficient
        else:
            met = bool(_chosen(answers.get(signal.question_id)) & signal.options)
        if met and signal.question_id not in found.get(signal.reason, []):
            found.setdefault(signal.reason, []).append(signal.question_id)
    return {reason: tuple(ids) for reason, ids in found.items()}


def _in_order(reasons: Iterable[str]) -> list[str]:
    wanted = set(reasons)
    return [value for value in PartnerReason.values if value in wanted]


@dataclass(frozen=True)
class Suggestion:
    """A case the service proposes for one inspectorate, with why (``reasons``, PartnerReason values in
    the enum's order) and what showed it: the question ids, and the long-list's high levels."""

    case: Case
    inspectorate: str
    reasons: tuple[str, ...]
    questions: tuple[str, ...]
    high_rosh: bool = False
    high_vulnerability: bool = False
    looked_after: bool = False
    child_protection: bool = False

    @property
    def reason_labels(self) -> list[str]:
        return [str(PartnerReason(value).label) for value in self.reasons]


def week_one_cases(inspection: Inspection) -> QuerySet[Case]:
    """The cases inspected in fieldwork week 1: the final sample's (reading in the module docstring)."""
    return (
        Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED)
        .exclude(reference="")
        .select_related("entry", "inspection__yot")
        .order_by("position", "id")
    )


def inspectorates_of(inspection: Inspection) -> tuple[str, ...]:
    """The partner inspectorates of the inspection's country (none for an SQS)."""
    if inspection.programme != Programme.FJI:
        return ()
    return tuple(str(value) for value in PARTNER_INSPECTORATES[inspection.country])


def suggested_partner_cases(inspection: Inspection) -> dict[str, list[Suggestion]]:
    """Per partner inspectorate of the inspection's country, in seed 001 §3's order, the week-1 cases
    that show one of §7 a's characteristics: high RoSH or vulnerability on the long-list (every
    inspectorate), or a need or deficit in the inspectorate's areas in the case's answers. A referral
    for specialist input and good practice are not suggested: the question bank cannot tell them
    (module docstring); the lead inspector adds those cases. Empty for an SQS."""
    inspectorates = inspectorates_of(inspection)
    if not inspectorates:
        return {}
    cases = list(week_one_cases(inspection))
    for case in cases:
        case.inspection = inspection
    states = case_rows(cases)
    suggestions: dict[str, list[Suggestion]] = {inspectorate: [] for inspectorate in inspectorates}
    for state in states:
        case, entry = state.case, state.case.entry
        high_rosh = entry.rosh in HIGH_LEVELS if entry else case.high_rosh
        high_vulnerability = entry.vulnerability in HIGH_LEVELS if entry else case.high_vulnerability
        looked_after = bool(entry and entry.looked_after)
        child_protection = bool(entry and entry.child_protection)
        for inspectorate in inspectorates:
            reasons: set[str] = {PartnerReason.RISK.value} if high_rosh or high_vulnerability else set()
            questions: list[str] = []
            shows_care_need = False
            for area in INSPECTORATE_AREAS[inspectorate]:
                met = signals_met(
                    area, asked=state.route.asked_set, answers=state.answers, insufficient=state.route.insufficient
                )
                for reason, ids in met.items():
                    reasons.add(reason)
                    questions.extend(qid for qid in ids if qid not in questions)
                if area == SAFEGUARDING and (looked_after or child_protection):
                    reasons.add(PartnerReason.NEED.value)
                    shows_care_need = True
            if reasons:
                suggestions[inspectorate].append(
                    Suggestion(
                        case=case,
                        inspectorate=inspectorate,
                        reasons=tuple(_in_order(reasons)),
                        questions=tuple(questions),
                        high_rosh=high_rosh,
                        high_vulnerability=high_vulnerability,
                        looked_after=looked_after and shows_care_need,
                        child_protection=child_protection and shows_care_need,
                    )
                )
    return suggestions


def partner_subset(inspection: Inspection) -> dict[str, list[PartnerCase]]:
    """The confirmed subset per partner inspectorate of the inspection's country."""
    subset: dict[str, list[PartnerCase]] = {inspectorate: [] for inspectorate in inspectorates_of(inspection)}
    rows = PartnerCase.objects.filter(case__inspection=inspection).select_related("case", "chosen_by")
    for row in rows.order_by("case__position", "case_id"):
        if row.inspectorate in subset:
            subset[row.inspectorate].append(row)
    return subset


def partner_cases_of(inspection: Inspection, inspectorate: str) -> list[PartnerCase]:
    """One inspectorate's subset: what its partner inspectors see."""
    return list(
        PartnerCase.objects.filter(case__inspection=inspection, inspectorate=inspectorate)
        .exclude(case__reference="")
        .filter(case__status=CaseStatus.SELECTED)
        .select_related("case")
        .order_by("case__position", "case_id")
    )


# --- Writes ------------------------------------------------------------------------------------


class SetOutcome(NamedTuple):
    partner_case: PartnerCase
    changed: bool  # False: the case was already there with these reasons and this note


def _audit(inspection: Inspection, actor: User, action: str, **detail: Any) -> AuditEvent:
    return AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


def _check_inspectorate(case: Case, inspectorate: str) -> None:
    if inspectorate not in inspectorates_of(case.inspection):
        raise ValidationError(
            {"inspectorate": _("This inspectorate does not take part in this inspection.")}, code="inspectorate"
        )


def partner_case_set(
    *, case: Case, inspectorate: str, reasons: Iterable[str], note: str = "", user: User
) -> SetOutcome:
    """Put ``case`` in ``inspectorate``'s subset with these reasons and note, or change them.

    Validates that the inspection is an FJI, the inspectorate is one of its country's, the case is in
    the final sample, and at least one of §7 a's reasons is given. Nothing changes (and no audit row
    is written) when the case is already there with the same reasons and note; otherwise one
    ``partner_case_added`` or ``partner_case_changed`` audit row.
    """
    _check_inspectorate(case, inspectorate)
    errors: dict[str, list[str]] = {}
    reasons = list(reasons)
    ordered = _in_order(reasons)
    if not ordered or set(reasons) - set(PartnerReason.values):
        errors["reasons"] = [_("Choose at least one reason why this case is for this inspectorate.")]
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        errors["note"] = [_("The note must be %(n)s characters or fewer.") % {"n": NOTE_LIMIT}]
    if case.status != CaseStatus.SELECTED or not case.reference:
        errors["case"] = [_("Only cases of the final sample can be chosen.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the case so two inspectors choosing it at once write one row and one audit entry.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        existing = PartnerCase.objects.filter(case=case, inspectorate=inspectorate).first()
        if existing is not None and existing.reasons == ordered and existing.note == note:
            return SetOutcome(existing, False)
        detail = {"case": case.reference, "inspectorate": inspectorate, "reasons": ordered}
        if existing is None:
            existing = PartnerCase.objects.create(
                case=case, inspectorate=inspectorate, reasons=ordered, note=note, chosen_by=user,
                chosen_at=timezone.now(),
            )  # fmt: skip
            _audit(case.inspection, user, "partner_case_added", **detail)
        else:
            before = existing.reasons
            existing.reasons, existing.note, existing.chosen_by = ordered, note, user
            existing.chosen_at = timezone.now()
            existing.save(update_fields=["reasons", "note", "chosen_by", "chosen_at"])
            _audit(case.inspection, user, "partner_case_changed", before=before, **detail)
    return SetOutcome(existing, True)


def partner_case_remove(*, case: Case, inspectorate: str, reason: str, user: User) -> bool:
    """Take ``case`` out of ``inspectorate``'s subset, saying why (kept in the audit row).

    Returns False, and writes nothing, when the case was not in the subset (already removed)."""
    _check_inspectorate(case, inspectorate)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why this case is no longer for this inspectorate.")]})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": [_("The reason must be %(n)s characters or fewer.") % {"n": REASON_LIMIT}]})
    with transaction.atomic():
        deleted, _rows = PartnerCase.objects.filter(case=case, inspectorate=inspectorate).delete()
        if deleted:
            _audit(
                case.inspection, user, "partner_case_removed", case=case.reference, inspectorate=inspectorate,
                reason=reason,
            )  # fmt: skip
    return bool(deleted)


def partner_cases_confirm(*, inspection: Inspection, inspectorate: str, case_ids: Iterable[int], user: User) -> int:
    """Confirm the chosen suggestions for one inspectorate, each with its suggested reasons.

    A case already in the subset keeps what was chosen for it; a case no longer suggested (the
    answers changed since the page was shown) is left out. Returns how many cases were added."""
    if inspectorate not in inspectorates_of(inspection):
        raise ValidationError({"inspectorate": _("This inspectorate does not take part in this inspection.")})
    wanted = {int(pk) for pk in case_ids}
    suggested = {s.case.pk: s for s in suggested_partner_cases(inspection).get(inspectorate, [])}
    present = set(
        PartnerCase.objects.filter(case__inspection=inspection, inspectorate=inspectorate).values_list(
            "case_id", flat=True
        )
    )
    added = 0
    for pk in sorted(wanted & set(suggested) - present):
        suggestion = suggested[pk]
        outcome = partner_case_set(
            case=suggestion.case, inspectorate=inspectorate, reasons=suggestion.reasons, user=user
        )
        added += outcome.changed
    return added
