"""Case sample selection and the SSO's review (issue 3 items 3-4).

The choosing is the pure, seeded ``casework.longlist.select_sample``; this module stores what it
chose and every change the SSO makes afterwards, each with its reason (``SampleChange``), and
recomputes the rule checks (``check_sample``) after each one.

Decisions:
- Cases are created when the sample is selected (status "selected", no reference yet) and carry the
  fields the schedule and the assessment pages need, copied from the long-list entry, so the rest of
  the service never has to open the long-list (and so never sees a name).
- Selecting again before the sample is final replaces the proposed sample: its cases are deleted and
  the new selection's ``SampleChange`` names the case IDs it replaced. It is refused once any case of
  the proposal has an assessment or an alert, which would otherwise be lost.
- A swap takes the removed case's position; an added case goes to the end. Both must be entries of the
  long-list version the sample was drawn from.
- Marking final needs the sample to be drawn from the current long-list version (a newer upload
  means select again) and at least one case. It renumbers the cases in heading order (1st tier,
  community, custodial; selection order within a heading), gives each its HMI Probation reference
  ``HMIP-01``, ``HMIP-02``, ... (two digits, from 01, as the seeds' "HMIP ID" in Appendix B) and
  moves the inspection from "long-list received" to "sample selected". After that nothing changes.
- The sizes offered are the four the seeds name (seed 000 §11.7): 14, 20, 34, 47.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.enums import CaseStatus, Heading, SampleChangeKind
from casework.longlist import MixLine, RuleCheck, check_sample, mix_table, select_sample
from casework.longlist.selection import STANDARD_SIZES
from casework.longlist.spec import HIGH_LEVELS
from casework.models import Alert, Assessment, Case, LongListEntry, Sample, SampleChange
from casework.services.longlist import current_long_list, entry_row, long_list_rows
from inspections.domain.messages import Msg, to_json
from inspections.domain.messages import _ as message
from inspections.enums import Status
from inspections.models import AuditEvent, Inspection, User
from inspections.notifications import absolute_url, notify_people, yot_managers_of
from inspections.services import inspection_set_status

DEFAULT_SIZE = 20  # "In most YOTs, 20 cases are inspected" (seed 000 §11.7)
REASON_LIMIT = 500
HEADING_ORDER = [h.value for h in Heading]


def reference_for(position: int) -> str:
    """HMI Probation's case reference: HMIP-01, HMIP-02, ... (three digits past 99)."""
    return f"HMIP-{position:02d}"


# --- Reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleState:
    sample: Sample
    cases: list[Case]  # selected, in position order, each with its entry
    removed: list[Case]
    checks: tuple[RuleCheck, ...]
    mix: list[tuple[str, list[MixLine]]]  # by dimension
    list_size: int
    is_current: bool  # drawn from the newest long-list version
    changes: list[SampleChange]

    @property
    def unmet(self) -> list[RuleCheck]:
        return [c for c in self.checks if not c.met]


def get_sample(inspection: Inspection) -> Sample | None:
    return Sample.objects.filter(inspection=inspection).select_related("long_list", "finalised_by").first()


def _selected(sample: Sample):
    return (
        Case.objects.filter(inspection_id=sample.inspection_id, status=CaseStatus.SELECTED)
        .select_related("entry")
        .order_by("position", "id")
    )


def _checks(sample: Sample, programme: str) -> tuple[tuple[RuleCheck, ...], list, list[Case]]:
    rows = long_list_rows(sample.long_list)
    cases = list(_selected(sample))
    chosen = [entry_row(c.entry) for c in cases if c.entry is not None]
    return check_sample(rows, chosen, size=sample.size, programme=programme), (rows, chosen), cases


def sample_state(sample: Sample, inspection: Inspection) -> SampleState:
    """The sample with its rule checks and mix, recomputed from the stored cases."""
    checks, (rows, chosen), cases = _checks(sample, inspection.programme)
    removed = list(
        Case.objects.filter(inspection=inspection, status=CaseStatus.REMOVED).select_related("entry").order_by("id")
    )
    mix = [(dimension, list(lines)) for dimension, lines in groupby(mix_table(rows, chosen), key=lambda m: m.dimension)]
    current = current_long_list(inspection)
    changes = list(sample.changes.select_related("by").order_by("at", "id"))
    for change in changes:
        change.summary = change_summary(change)
    return SampleState(
        sample=sample,
        cases=cases,
        removed=removed,
        checks=checks,
        mix=mix,
        list_size=len(rows),
        is_current=current is not None and current.pk == sample.long_list_id,
        changes=changes,
    )


def replacement_candidates(sample: Sample) -> list[LongListEntry]:
    """Entries of the sample's long-list version that are not in the sample."""
    taken = Case.objects.filter(
        inspection_id=sample.inspection_id, status=CaseStatus.SELECTED, entry__isnull=False
    ).values_list("entry_id", flat=True)
    entries = sample.long_list.entries.exclude(pk__in=list(taken))
    return sorted(entries, key=lambda e: (HEADING_ORDER.index(e.heading), e.case_id.casefold()))


def change_summary(change: SampleChange) -> str:
    """One line for the sample's trail, from the change's detail (case IDs only, never names)."""
    d = change.detail or {}
    if change.kind == SampleChangeKind.SELECTED:
        text = _("Sample of %(size)s selected from long-list version %(version)s.") % d
        if d.get("replaced"):
            text += " " + _("It replaced the proposed sample of %(n)d cases.") % {"n": len(d["replaced"])}
        return text
    if change.kind == SampleChangeKind.SWAPPED:
        return _("%(out)s swapped for %(in)s.") % {"out": d.get("case_out", "?"), "in": d.get("case_in", "?")}
    if change.kind == SampleChangeKind.REMOVED:
        return _("%(out)s removed.") % {"out": d.get("case_out", "?")}
    if change.kind == SampleChangeKind.ADDED:
        return _("%(in)s added.") % {"in": d.get("case_in", "?")}
    if change.kind == SampleChangeKind.FINALISED:
        return _("Sample of %(n)d cases made final; references HMIP-01 to %(last)s given.") % {
            "n": d.get("cases", 0),
            "last": d.get("last_reference", "?"),
        }
    return ""


# --- Writes --------------------------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise ValidationError({"reason": _("Enter the reason for the change")})
    if len(cleaned) > REASON_LIMIT:
        raise ValidationError({"reason": _("The reason must be %(n)d characters or fewer") % {"n": REASON_LIMIT}})
    return cleaned


def final_error(sample: Sample) -> ValidationError:
    when = date_format(timezone.localtime(sample.finalised_at), "j F Y")
    return ValidationError(_("The sample was made final on %(date)s and can no longer change.") % {"date": when})


def _lock(sample: Sample) -> Sample:
    locked = Sample.objects.select_for_update(of=("self",)).select_related("long_list").get(pk=sample.pk)
    if locked.is_final:
        raise final_error(locked)
    return locked


def _case_from(entry: LongListEntry, *, inspection: Inspection, position: int, reasons: Sequence[Msg | str]) -> Case:
    return Case(
        inspection=inspection,
        entry=entry,
        heading=entry.heading,
        reasons=[to_json(reason) for reason in reasons],
        order_type=entry.order_type,
        sentence_date=entry.sentence_date,
        case_manager=entry.case_manager,
        case_manager_email=entry.case_manager_email,
        high_rosh=entry.rosh in HIGH_LEVELS,
        high_vulnerability=entry.vulnerability in HIGH_LEVELS,
        position=position,
    )


def _store_unmet(sample: Sample, programme: str) -> None:
    checks, _rows, _cases = _checks(sample, programme)
    sample.unmet_rules = [{"rule": c.code, "message": to_json(c.message)} for c in checks if not c.met]
    sample.save(update_fields=["unmet_rules"])


def _audit(inspection: Inspection, by: User, action: str, **detail) -> None:
    AuditEvent.objects.create(inspection=inspection, actor=by, action=action, detail=detail)


def tie_break_seed(inspection: Inspection, current: Sample | None = None) -> int:
    """The number that settles ties between equally good cases: an operator setting, never a field
    on the page (issue 10 §5). Selecting again keeps the current sample's, so only a new long-list or
    size changes the outcome; otherwise ``SAMPLE_TIE_BREAK_SEED`` or, unset, a number fixed by the
    inspection's reference, so the same long-list always gives the same sample."""
    if current is not None:
        return current.seed
    configured = getattr(settings, "SAMPLE_TIE_BREAK_SEED", None)
    if configured is not None:
        return int(configured)
    return zlib.crc32(inspection.reference.encode()) % 100_000


def sample_select(*, inspection: Inspection, by: User, size: int, seed: int) -> Sample:
    """Choose the sample from the current long-list and store it as the proposed sample.

    Replaces a proposed (not final) sample. Side effects: the Cases, a SampleChange "selected" naming
    the size, seed, version and any cases replaced, an audit row.
    """
    if size not in STANDARD_SIZES:
        raise ValidationError({"size": _("Choose a sample size of 14, 20, 34 or 47")})
    if not 0 <= seed <= 2_147_483_647:
        raise ValidationError({"seed": _("The seed must be a whole number from 0 to 2147483647")})
    long_list = current_long_list(inspection)
    if long_list is None or long_list.row_count == 0:
        raise ValidationError(_("There is no long-list to select from yet."))
    rows_by_key = {}
    entries = list(long_list.entries.all())
    for entry in entries:
        rows_by_key[(entry.heading, entry.case_id)] = entry
    selection = select_sample([entry_row(e) for e in entries], size=size, programme=inspection.programme, seed=seed)
    with transaction.atomic():
        Inspection.objects.select_for_update().get(pk=inspection.pk)
        sample = Sample.objects.select_for_update().filter(inspection=inspection).first()
        replaced: list[str] = []
        if sample is not None:
            if sample.is_final:
                raise final_error(sample)
            old = Case.objects.filter(inspection=inspection)
            if Assessment.objects.filter(case__in=old).exists() or Alert.objects.filter(case__in=old).exists():
                raise ValidationError(
                    _(
                        "An assessment or alert has been started on a case of the proposed sample, so it cannot "
                        "be replaced. Swap or remove cases instead."
                    )
                )
            replaced = [
                c.entry.case_id if c.entry else c.label
                for c in old.filter(status=CaseStatus.SELECTED).select_related("entry").order_by("position")
            ]
            old.delete()
            sample.long_list = long_list
            sample.size = size
            sample.seed = seed
            sample.selected_by = by
            sample.selected_at = timezone.now()
            sample.save()
        else:
            sample = Sample.objects.create(
                inspection=inspection, long_list=long_list, size=size, seed=seed, selected_by=by
            )
        Case.objects.bulk_create(
            _case_from(
                rows_by_key[(chosen.row.heading.value, chosen.row.case_id)],
                inspection=inspection,
                position=position,
                reasons=chosen.reasons,
            )
            for position, chosen in enumerate(selection.cases, start=1)
        )
        sample.unmet_rules = [{"rule": c.code, "message": to_json(c.message)} for c in selection.unmet]
        sample.save(update_fields=["unmet_rules"])
        detail = {"size": size, "seed": seed, "version": long_list.version, "replaced": replaced}
        SampleChange.objects.create(sample=sample, kind=SampleChangeKind.SELECTED, by=by, detail=detail)
        _audit(inspection, by, "sample_selected", **detail, cases=len(selection.cases))
    return sample


def _check_entry(sample: Sample, entry: LongListEntry) -> None:
    if entry.long_list_id != sample.long_list_id:
        raise ValidationError({"entry": _("Choose a case from the long-list the sample was drawn from")})
    if Case.objects.filter(inspection_id=sample.inspection_id, status=CaseStatus.SELECTED, entry=entry).exists():
        raise ValidationError({"entry": _("%(id)s is already in the sample") % {"id": entry.case_id}})


def _check_case(sample: Sample, case: Case) -> Case:
    current = Case.objects.select_for_update(of=("self",)).select_related("entry").get(pk=case.pk)
    if current.inspection_id != sample.inspection_id or current.status != CaseStatus.SELECTED:
        raise ValidationError(_("This case is no longer in the sample: someone may have changed it already."))
    return current


def sample_case_swap(*, case: Case, entry: LongListEntry, by: User, reason: str) -> Case:
    """Take ``case`` out of the proposed sample and put ``entry`` in its place; returns the new case."""
    reason = _clean_reason(reason)
    inspection = case.inspection
    with transaction.atomic():
        sample = _lock(inspection.sample)
        out = _check_case(sample, case)
        _check_entry(sample, entry)
        out.status = CaseStatus.REMOVED
        out.removed_reason = reason
        out.save(update_fields=["status", "removed_reason"])
        why = message("swapped in for %(out)s by %(by)s: %(reason)s", out=out.entry.case_id, by=str(by), reason=reason)
        new = _case_from(entry, inspection=inspection, position=out.position, reasons=[why])
        new.save()
        detail = {"case_out": out.entry.case_id, "case_in": entry.case_id}
        SampleChange.objects.create(
            sample=sample, kind=SampleChangeKind.SWAPPED, case_out=out, case_in=new, reason=reason, by=by, detail=detail
        )
        _store_unmet(sample, inspection.programme)
        _audit(inspection, by, "sample_case_swapped", **detail)
    return new


def sample_case_remove(*, case: Case, by: User, reason: str) -> Case:
    """Take ``case`` out of the proposed sample, leaving its place empty."""
    reason = _clean_reason(reason)
    inspection = case.inspection
    with transaction.atomic():
        sample = _lock(inspection.sample)
        out = _check_case(sample, case)
        out.status = CaseStatus.REMOVED
        out.removed_reason = reason
        out.save(update_fields=["status", "removed_reason"])
        detail = {"case_out": out.entry.case_id}
        SampleChange.objects.create(
            sample=sample, kind=SampleChangeKind.REMOVED, case_out=out, reason=reason, by=by, detail=detail
        )
        _store_unmet(sample, inspection.programme)
        _audit(inspection, by, "sample_case_removed", **detail)
    return out


def sample_case_add(*, sample: Sample, entry: LongListEntry, by: User, reason: str) -> Case:
    """Put a long-list entry into the proposed sample, at the end."""
    reason = _clean_reason(reason)
    inspection = sample.inspection
    with transaction.atomic():
        sample = _lock(sample)
        _check_entry(sample, entry)
        last = Case.objects.filter(inspection=inspection).order_by("-position").values_list("position", flat=True)
        why = message("added by %(by)s: %(reason)s", by=str(by), reason=reason)
        new = _case_from(entry, inspection=inspection, position=(last.first() or 0) + 1, reasons=[why])
        new.save()
        detail = {"case_in": entry.case_id}
        SampleChange.objects.create(
            sample=sample, kind=SampleChangeKind.ADDED, case_in=new, reason=reason, by=by, detail=detail
        )
        _store_unmet(sample, inspection.programme)
        _audit(inspection, by, "sample_case_added", **detail)
    return new


def sample_finalise(*, sample: Sample, by: User) -> Sample:
    """Make the sample final: references HMIP-01.. in heading order, and the inspection moves on.

    Side effects: each selected case's position and reference; a SampleChange "finalised"; an audit
    row; the inspection's status "long-list received" -> "sample selected" (``inspection_set_status``).
    """
    inspection = sample.inspection
    with transaction.atomic():
        sample = _lock(sample)
        current = current_long_list(inspection)
        if current is None or current.pk != sample.long_list_id:
            raise ValidationError(
                _(
                    "A newer long-list (version %(v)d) has arrived since this sample was selected from version "
                    "%(old)d. Select the sample again before marking it final."
                )
                % {"v": current.version if current else 0, "old": sample.long_list.version}
            )
        cases = sorted(
            Case.objects.select_for_update().filter(inspection=inspection, status=CaseStatus.SELECTED),
            key=lambda c: (HEADING_ORDER.index(c.heading), c.position, c.pk),
        )
        if not cases:
            raise ValidationError(_("The sample has no cases. Select the sample or add cases first."))
        for position, case in enumerate(cases, start=1):
            case.position = position
            case.reference = reference_for(position)
        Case.objects.bulk_update(cases, ["position", "reference"])
        sample.finalised_at = timezone.now()
        sample.finalised_by = by
        sample.save(update_fields=["finalised_at", "finalised_by"])
        _store_unmet(sample, inspection.programme)
        detail = {"cases": len(cases), "last_reference": cases[-1].reference}
        SampleChange.objects.create(sample=sample, kind=SampleChangeKind.FINALISED, by=by, detail=detail)
        _audit(inspection, by, "sample_finalised", **detail)
        status = Inspection.objects.values_list("status", flat=True).get(pk=inspection.pk)
        if status == Status.LONG_LIST_RECEIVED:
            inspection_set_status(
                inspection=inspection,
                to_status=Status.SAMPLE_SELECTED,
                by=by,
                note=_("Sample of %(n)d cases made final.") % {"n": len(cases)},
            )
        # Issue 9 §2: the YOT manager prepares the case managers and the files of the sample.
        notify_people(
            people=yot_managers_of(inspection),
            key=f"sample_final:{sample.pk}",
            kind="sample_final",
            template="sample_final",
            context={
                "inspection": inspection,
                "cases": len(cases),
                "link": absolute_url(reverse("casework:sample", kwargs={"reference": inspection.reference})),
            },
            inspection=inspection,
        )
    return sample
