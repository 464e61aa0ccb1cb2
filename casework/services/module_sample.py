"""The additional modules' own sample of a Full Joint Inspection (seed 001 §6), beside the core sample.

Seed 001 §6: "Each inspection consists of a core module plus one or two additional modules ... When
additional modules are inspected there may be a requirement for inspectors to select and evaluate an
additional sample of cases." It names the modules, says "Inspection criteria for these additional
modules will be published in due course", and gives no rule for which cases, how many, or how they are
judged. Readings (docs/rulebook.md, "Full Joint Inspection"):

- **Who chooses.** The inspectors (lead or assistant) add and remove module cases, with a reason each
  time (audit rows); the SSO may read the list. The sample is theirs to make: nothing is suggested
  and there is no quota ("there may be a requirement": perhaps none).
- **What cases.** ``MODULE_CASE_KINDS`` gives, per module, the kinds of case it may need (a hint on
  the add page, not a check: the inspector types the kind). Early Prevention & Out of Court Disposals
  takes out-of-court disposals, which the statutory long-list refuses by design, so they are added
  here only; Court Work takes pre-sentence reports and other court work; Interventions, Drug and
  Alcohol Work, Parents & Carers and Victims & Restorative Justice take cases from the core sample
  marked for the module, or other cases of that work; Governance is about arrangements, not cases,
  so it usually has none. The seed gives none of these: they are our reading of each module's name.
- **How they are judged.** The question bank marks some questions as a module's (``Question.modules``;
  seed 004 asks them of core cases when the module is inspected). For a module case the inspector
  records Sufficient or Insufficient and a note for each of the module's *judgement* questions of the
  bank the case was added under; the module's explanation and narrative questions go into the note.
  A module with no questions in the bank (all but Court Work and Interventions today) is recorded in
  notes elsewhere: the page says so.
- **Partner inspectors.** The seed names no partner question set for a module (§7 gives partners the
  core cases chosen for them, ``casework.services.partner``), so module cases are HMI Probation's:
  partner inspectors, local assessors and the YOT do not see them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.domain.bank import INSUFFICIENT, SUFFICIENT, Bank, Question, load_bank
from casework.enums import CaseStatus
from casework.models import Case, ModuleAnswer, ModuleCase
from casework.services.assessment import newest_bank_version
from inspections.enums import Module, Programme
from inspections.models import AuditEvent, Inspection, User

KIND_LIMIT = 200
CASE_ID_LIMIT = 50
REASON_LIMIT = 500
NOTE_LIMIT = 1000
FINDINGS_LIMIT = 4000
VALUES = (SUFFICIENT, INSUFFICIENT)
REFERENCE_PREFIX = "HMIP-M-"


@dataclass(frozen=True)
class CaseKinds:
    """What cases a module may need: examples of the kind to type, and whether cases of the core
    sample may be marked for it."""

    examples: tuple[Any, ...]
    from_core_sample: bool


# Our reading of each module of seed 001 §6 (the seed gives no rule: module docstring).
MODULE_CASE_KINDS: Mapping[str, CaseKinds] = {
    Module.EARLY_PREVENTION: CaseKinds(
        (gettext_lazy("youth caution"), gettext_lazy("youth conditional caution"), gettext_lazy("triage")), False
    ),
    Module.COURT_WORK: CaseKinds(
        (gettext_lazy("pre-sentence report"), gettext_lazy("bail supervision"), gettext_lazy("remand")), True
    ),
    Module.INTERVENTIONS: CaseKinds((gettext_lazy("offending behaviour programme"),), True),
    Module.DRUG_ALCOHOL: CaseKinds((gettext_lazy("substance misuse work"),), True),
    Module.GOVERNANCE: CaseKinds((), False),
    Module.PARENTS_CARERS: CaseKinds((gettext_lazy("parenting order"), gettext_lazy("voluntary parenting work")), True),
    Module.VICTIMS_RJ: CaseKinds(
        (gettext_lazy("victim contact"), gettext_lazy("restorative justice conference")), True
    ),
}


# --- Reads ---------------------------------------------------------------------------------------


def modules_of(inspection: Inspection) -> tuple[str, ...]:
    """The additional modules of an FJI, in seed 001 §6's order (none for an SQS)."""
    if inspection.programme != Programme.FJI:
        return ()
    chosen = set(inspection.modules or ())
    return tuple(str(value) for value in Module.values if value in chosen)


def module_questions(bank: Bank, module: str) -> tuple[Question, ...]:
    """The module's judgement questions in the bank, in the bank's order."""
    return tuple(q for q in bank.questions if module in q.modules and q.kind == "judgement")


def module_cases(inspection: Inspection, *, removed: bool = False) -> QuerySet[ModuleCase]:
    rows = ModuleCase.objects.filter(inspection=inspection, removed_at__isnull=not removed)
    return rows.select_related("core_case", "chosen_by", "removed_by").order_by("module", "reference")


def module_sample(inspection: Inspection) -> dict[str, list[ModuleCase]]:
    """The current module cases per module of the inspection (every module, even with none)."""
    sample: dict[str, list[ModuleCase]] = {module: [] for module in modules_of(inspection)}
    for row in module_cases(inspection):
        sample.setdefault(row.module, []).append(row)
    return sample


def module_counts(inspection: Inspection) -> dict[str, int]:
    """How many current module cases each module of the inspection has."""
    return {module: len(rows) for module, rows in module_sample(inspection).items()}


def core_cases_for(inspection: Inspection, module: str) -> QuerySet[Case]:
    """The final core sample's cases not yet marked for ``module``."""
    taken = ModuleCase.objects.filter(inspection=inspection, module=module, removed_at__isnull=True)
    return (
        Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED)
        .exclude(reference="")
        .exclude(pk__in=taken.exclude(core_case=None).values("core_case_id"))
        .order_by("position", "id")
    )


def answers_of(module_case: ModuleCase) -> dict[str, ModuleAnswer]:
    return {a.question_id: a for a in module_case.answers.select_related("by")}


# --- Writes --------------------------------------------------------------------------------------


def _audit(inspection: Inspection, actor: User, action: str, **detail: Any) -> AuditEvent:
    return AuditEvent.objects.create(inspection=inspection, actor=actor, action=action, detail=detail)


def _required_text(value: str, limit: int, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [missing]})
    if len(value) > limit:
        raise ValidationError({field: [_("This must be %(n)s characters or fewer.") % {"n": limit}]})
    return value


def _next_reference(inspection: Inspection) -> str:
    """HMIP-M-01, -02 ... in the order the cases were added; a removed case's number is not reused."""
    return f"{REFERENCE_PREFIX}{ModuleCase.objects.filter(inspection=inspection).count() + 1:02d}"


def module_case_add(
    *,
    inspection: Inspection,
    module: str,
    kind: str = "",
    reason: str,
    user: User,
    yot_case_id: str = "",
    core_case: Case | None = None,
) -> ModuleCase:
    """Add a case to ``module``'s sample and give it the next reference; one ``module_case_added`` row.

    Validates that the inspection is an FJI that includes the module, that a core case is in its final
    sample (and not already marked for the module), and that there is a kind (a core case's order type
    when none is typed) and a reason. The inspection row is locked while the reference is given, so two
    inspectors adding at once get different references."""
    if module not in modules_of(inspection):
        raise ValidationError({"module": [_("This module is not part of this inspection.")]})
    reason = _required_text(reason, REASON_LIMIT, "reason", _("Say why this case is in the module’s sample."))
    yot_case_id = (yot_case_id or "").strip()
    if len(yot_case_id) > CASE_ID_LIMIT:
        raise ValidationError({"yot_case_id": [_("This must be %(n)s characters or fewer.") % {"n": CASE_ID_LIMIT}]})
    if core_case is not None:
        if core_case.inspection_id != inspection.pk or not core_case_is_final(core_case):
            raise ValidationError({"core_case": [_("Choose a case of this inspection’s final sample.")]})
        kind = (kind or "").strip() or core_case.order_type
    kind = _required_text(kind, KIND_LIMIT, "kind", _("Describe the kind of case, for example a youth caution."))
    with transaction.atomic():
        Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
        if core_case is not None and core_case_taken(inspection, module, core_case):
            raise ValidationError({"core_case": [_("This case is already in the module’s sample.")]})
        row = ModuleCase.objects.create(
            inspection=inspection, module=module, reference=_next_reference(inspection), kind=kind,
            yot_case_id=yot_case_id, core_case=core_case, reason=reason, bank_version=newest_bank_version(),
            chosen_by=user, chosen_at=timezone.now(),
        )  # fmt: skip
        _audit(
            inspection, user, "module_case_added", case=row.reference, module=module, kind=kind, reason=reason,
            core_case=core_case.reference if core_case else "",
        )  # fmt: skip
    return row


def core_case_is_final(case: Case) -> bool:
    return case.status == CaseStatus.SELECTED and bool(case.reference)


def core_case_taken(inspection: Inspection, module: str, case: Case) -> bool:
    return ModuleCase.objects.filter(
        inspection=inspection, module=module, core_case=case, removed_at__isnull=True
    ).exists()


def module_case_remove(*, module_case: ModuleCase, reason: str, user: User) -> bool:
    """Take a case out of its module's sample, saying why; its judgements and reference are kept.

    Returns False, and writes nothing, when it was already removed (someone else got there first)."""
    reason = _required_text(reason, REASON_LIMIT, "reason", _("Say why this case is no longer in the sample."))
    with transaction.atomic():
        changed = ModuleCase.objects.filter(pk=module_case.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=user, removed_reason=reason
        )
        if changed:
            _audit(
                module_case.inspection, user, "module_case_removed", case=module_case.reference,
                module=module_case.module, reason=reason,
            )  # fmt: skip
    module_case.refresh_from_db()
    return bool(changed)


class AnswerConflict(ValidationError):
    """Someone else saved this judgement since the page was shown."""


def module_answer_record(
    *, module_case: ModuleCase, question_id: str, value: str, note: str = "", user: User, expected_revision: int
) -> ModuleAnswer:
    """Record the judgement of one of the module's questions for a module case, with a note.

    ``expected_revision`` is the revision the page showed (0: none yet); a different one raises
    ``AnswerConflict`` and saves nothing. Saving what is already there changes nothing. One
    ``module_answer_saved`` audit row per change (without the note, which is kept on the answer)."""
    if module_case.is_removed:
        raise ValidationError(_("This case has been removed from the sample."))
    bank = load_bank(module_case.bank_version)
    if question_id not in {q.id for q in module_questions(bank, module_case.module)}:
        raise ValidationError({"question": [_("This question is not one of the module’s.")]})
    if value not in VALUES:
        raise ValidationError({"value": [_("Choose Sufficient or Insufficient.")]})
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": [_("This must be %(n)s characters or fewer.") % {"n": NOTE_LIMIT}]})
    with transaction.atomic():
        # The case's row is the lock: two first saves of one question cannot both find none.
        ModuleCase.objects.select_for_update().filter(pk=module_case.pk).first()
        answer = ModuleAnswer.objects.filter(module_case=module_case, question_id=question_id).first()
        if (answer.revision if answer else 0) != expected_revision:
            raise AnswerConflict(
                _("Someone else saved this judgement while you were working on it. Check it and save again."),
                code="conflict",
            )
        if answer is not None and (answer.value, answer.note) == (value, note):
            return answer
        if answer is None:
            answer = ModuleAnswer.objects.create(
                module_case=module_case, question_id=question_id, value=value, note=note, by=user
            )
        else:
            answer.value, answer.note, answer.by, answer.revision = value, note, user, answer.revision + 1
            answer.save(update_fields=["value", "note", "by", "revision", "at"])
        _audit(
            module_case.inspection, user, "module_answer_saved", case=module_case.reference, question=question_id,
            value=value, revision=answer.revision,
        )  # fmt: skip
    return answer


def module_case_findings_save(
    *, module_case: ModuleCase, findings: str, user: User, expected_revision: int
) -> ModuleCase:
    """Save what the inspectors found in a module case, in their words (every module, and the only
    record of a module the bank has no questions for). ``expected_revision`` as for answers; saving
    the same text changes nothing. One ``module_findings_saved`` audit row per change (without the text)."""
    if module_case.is_removed:
        raise ValidationError(_("This case has been removed from the sample."))
    findings = (findings or "").strip()
    if len(findings) > FINDINGS_LIMIT:
        raise ValidationError({"findings": [_("This must be %(n)s characters or fewer.") % {"n": FINDINGS_LIMIT}]})
    with transaction.atomic():
        current = ModuleCase.objects.select_for_update().get(pk=module_case.pk)
        if current.findings_revision != expected_revision:
            raise AnswerConflict(
                _("Someone else saved the findings while you were working on them. Check them and save again."),
                code="conflict",
            )
        if current.findings != findings:
            current.findings, current.findings_revision = findings, current.findings_revision + 1
            current.save(update_fields=["findings", "findings_revision"])
            _audit(
                module_case.inspection, user, "module_findings_saved", case=current.reference,
                revision=current.findings_revision,
            )  # fmt: skip
    module_case.findings, module_case.findings_revision = current.findings, current.findings_revision
    return module_case
