"""Storage limitation (issue 11 item 7): once an inspection has been published for the retention
period (setting ``RETENTION_DAYS``), the children's names, dates of birth and the YOT's case IDs are
removed, and the judgements stay for the aggregate report.

Reading (docs/rulebook.md, "Retention"): the rulebook says records are kept under HMI Probation's
retention policy and destroyed once no longer needed (seed 000 §5), without a period. A published
inspection still needs the children's details while the YOT may query the report, so the default is
365 days after publication, and what the aggregate report counts (heading, order type, gender,
ethnicity, age at sentence, RoSH and vulnerability, every answer and score, the references such as
HMIP-07) is kept.

What is removed, in one transaction per inspection:
- on every long-list entry of every version: the family name and first names (to ""), the date of
  birth (to NULL, after storing the age at sentence), the YOT's case ID and the free-text notes
  about the child (suitability, other information, termination and release reasons);
- wherever the child's name or case ID was copied into free text or an audit detail (a removed
  case's reason, the sample's trail, alerts, answers and their revisions, moderation reasons, audit
  rows, the status trail, emails, the who-saw-what log, the report's sections and their versions,
  factual-accuracy comments, good-practice notes): each occurrence becomes ``[…]``;
- files: the long-list upload is read and never stored (``services.longlist.long_list_upload``) and
  the sample download is made on request, so no stored file holds names; ``NAMED_FILES`` is where
  one would be listed, and each is deleted through the storage API.

The publication date is the time of the inspection's status change to "published" (every
publication goes through ``inspection_set_status``). An audit row ``children_details_removed``
marks the inspection as done: it is never picked again, and the inspection row is locked and the
mark read again inside the transaction, so two runs at once do the work once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Min
from django.utils import timezone

from casework.models import (
    Alert,
    Answer,
    AnswerRevision,
    Case,
    LongListEntry,
    LongListRead,
    ModuleAnswer,
    ModuleCase,
    PartnerCase,
    Review,
    SampleChange,
)
from inspections.enums import Status
from inspections.models import AuditEvent, IdentityView, Inspection, Notification, StatusChange
from reports.models import FactualComment, GoodPractice, ReportSection, SectionVersion, ServiceUserView
from scheduling.models import Week2Session

ACTION = "children_details_removed"
# Language-neutral, so a Welsh and an English reader see the same mark where a name was.
MARKER = "[…]"

# Entry fields that identify the child or are notes about them: emptied outright.
BLANKED_TEXT = ("family_name", "first_names", "case_id", "suitability_note", "other_information")
BLANKED_TEXT += ("termination_reason", "release_reason")
BLANKED_NULL = ("date_of_birth",)

# Where a name or case ID may have been copied: (model, path from it to the inspection, fields).
# Text and JSON fields only; each occurrence is replaced by MARKER.
COPIES: tuple[tuple[type[models.Model], str, tuple[str, ...]], ...] = (
    (LongListEntry, "long_list__inspection", ("case_manager_needs",)),
    (Case, "inspection", ("removed_reason",)),
    # The lead inspector's note to a partner inspectorate on a case of its subset.
    (PartnerCase, "case__inspection", ("note",)),
    # A module case's own words (its YOT case ID is one of the case IDs looked for: ``_identifiers``).
    (ModuleCase, "inspection", ("kind", "yot_case_id", "reason", "removed_reason", "findings")),
    (ModuleAnswer, "module_case__inspection", ("note",)),
    # The problems found in a large long-list read by a worker quote its cells.
    (LongListRead, "inspection", ("errors", "message")),
    (SampleChange, "sample__inspection", ("reason", "detail")),
    (Alert, "case__inspection", ("description", "action_taken")),
    (Answer, "assessment__case__inspection", ("value",)),
    (AnswerRevision, "answer__assessment__case__inspection", ("value",)),
    (Review, "assessment__case__inspection", ("original_value", "reviewed_value", "reason")),
    (AuditEvent, "inspection", ("detail",)),
    (StatusChange, "inspection", ("note",)),
    (Notification, "inspection", ("subject", "body")),
    (IdentityView, "inspection", ("what", "path")),
    # The report's text: a name typed into a draft section, a factual-accuracy comment or a
    # good-practice note. The published PDF is the public record and is kept as published; it is
    # checked for names before publication, not rewritten afterwards.
    (ReportSection, "report__inspection", ("generated_text", "prompts")),
    (SectionVersion, "section__report__inspection", ("text", "text_cy")),
    (FactualComment, "section__report__inspection", ("text", "resolution_note")),
    (GoodPractice, "inspection", ("note",)),
    # What service users said, in their words: a name may slip in despite the form's warning.
    (ServiceUserView, "inspection", ("helped_most", "could_be_better")),
    # What a week-2 session found, in the inspectors' words.
    (Week2Session, "inspection", ("findings",)),
)

# Stored files that hold children's names, as functions from an inspection to storage names.
# None today (see the module docstring).
NAMED_FILES: tuple[Callable[[Inspection], Iterable[str]], ...] = ()


# --- The pure core -------------------------------------------------------------------------------


def age_on(born: dt.date | None, on: dt.date | None) -> int | None:
    """Whole years from ``born`` to ``on``: the age at sentence the reports count with."""
    if born is None or on is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def name_pattern(names: Iterable[str], *, codes: Iterable[str] = ()) -> re.Pattern[str] | None:
    """Whole-word occurrences of each name part of two letters or more, as written, capitalised or
    in capitals (not lower case: a first name such as "Will" must not remove the verb), and of each
    code (a case ID) of four characters or more, as written (a shorter one would hit ordinary numbers)."""
    variants: set[str] = {code for code in codes if len(code) >= 4}
    for name in names:
        for part in name.split():
            part = part.strip(".,;:()\"'")
            if len(part) >= 2:
                variants |= {part, part[:1].upper() + part[1:].lower(), part.upper()}
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def scrub(value: Any, *, pattern: re.Pattern[str] | None, exact: frozenset[str] = frozenset()) -> Any:
    """``value`` (text, or JSON of lists and dicts) with every string in ``exact`` and every match of
    ``pattern`` replaced by MARKER. Dict keys are kept: they are ours (question IDs, field names)."""
    if isinstance(value, str):
        if value in exact:
            return MARKER
        return pattern.sub(MARKER, value) if pattern is not None else value
    if isinstance(value, list):
        return [scrub(v, pattern=pattern, exact=exact) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, pattern=pattern, exact=exact) for k, v in value.items()}
    return value


# --- Reads ---------------------------------------------------------------------------------------


def retention_period(days: int | None = None) -> dt.timedelta:
    return dt.timedelta(days=settings.RETENTION_DAYS if days is None else days)


def due_inspections(*, now: dt.datetime | None = None, days: int | None = None) -> models.QuerySet[Inspection]:
    """Published inspections whose publication is at least the retention period ago, not yet done."""
    cutoff = (now or timezone.now()) - retention_period(days)
    return (
        Inspection.objects.filter(status=Status.PUBLISHED)
        .annotate(
            published_at=Min("status_changes__changed_at", filter=models.Q(status_changes__to_status=Status.PUBLISHED))
        )
        .filter(published_at__lte=cutoff)
        .exclude(audit_events__action=ACTION)
        .order_by("published_at", "reference")
    )


@dataclass(frozen=True)
class Removal:
    """What was (or, in a dry run, would be) removed from one inspection."""

    reference: str
    published_at: dt.datetime | None
    entries: int  # long-list entries with a name, date of birth or case ID
    copies: int  # other rows where a name or case ID was copied
    files: tuple[str, ...]  # storage names deleted


def _identifiers(inspection: Inspection) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    entries = LongListEntry.objects.filter(long_list__inspection=inspection)
    names: list[str] = []
    case_ids: set[str] = set()
    for family_name, first_names, case_id in entries.values_list("family_name", "first_names", "case_id"):
        names += [family_name, first_names]
        if case_id:
            case_ids.add(case_id)
    # A module case (an out-of-court disposal, say) is not on the long-list: its YOT case ID is looked for too.
    case_ids.update(
        ModuleCase.objects.filter(inspection=inspection).exclude(yot_case_id="").values_list("yot_case_id", flat=True)
    )
    return name_pattern(names, codes=case_ids), frozenset(case_ids)


def _changed_copies(inspection: Inspection) -> list[tuple[type[models.Model], int, dict[str, Any]]]:
    """Every (model, pk, new values) where a name or case ID of the inspection's children appears."""
    pattern, exact = _identifiers(inspection)
    if pattern is None and not exact:
        return []
    changes = []
    for model, path, fields in COPIES:
        for row in model.objects.filter(**{path: inspection}).values("pk", *fields).iterator():
            new = {field: scrub(row[field], pattern=pattern, exact=exact) for field in fields}
            new = {field: value for field, value in new.items() if value != row[field]}
            if new:
                changes.append((model, row["pk"], new))
    return changes


def _named_files(inspection: Inspection) -> list[str]:
    return [name for files in NAMED_FILES for name in files(inspection) if default_storage.exists(name)]


def _entries_to_blank(inspection: Inspection) -> models.QuerySet[LongListEntry]:
    identifying = models.Q(date_of_birth__isnull=False)
    for field in BLANKED_TEXT:
        identifying |= ~models.Q(**{field: ""})
    return LongListEntry.objects.filter(identifying, long_list__inspection=inspection)


def removal_plan(inspection: Inspection) -> Removal:
    """What ``inspection_anonymise`` would remove, for the dry run."""
    return Removal(
        reference=inspection.reference,
        published_at=getattr(inspection, "published_at", None),
        entries=_entries_to_blank(inspection).count(),
        copies=len(_changed_copies(inspection)),
        files=tuple(_named_files(inspection)),
    )


# --- Writes --------------------------------------------------------------------------------------


def inspection_anonymise(*, inspection: Inspection) -> Removal | None:
    """Remove the children's identifying details of one inspection; None if it was already done.

    Copies are scrubbed first (the names to look for come from the entries), then the entries are
    blanked, then the audit row is written, all in one transaction; files are deleted after commit,
    so a rollback never leaves rows pointing at a deleted file. Uses ``update()`` so no
    "last changed" time moves: the judgements keep their history.
    """
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if AuditEvent.objects.filter(inspection=locked, action=ACTION).exists():
            return None
        copies = _changed_copies(locked)
        for model, pk, values in copies:
            model.objects.filter(pk=pk).update(**values)
        entries = list(_entries_to_blank(locked).only("pk", "date_of_birth", "sentence_date", "age_at_sentence"))
        for entry in entries:
            entry.age_at_sentence = entry.age_at_sentence or age_on(entry.date_of_birth, entry.sentence_date)
            for field in BLANKED_TEXT:
                setattr(entry, field, "")
            for field in BLANKED_NULL:
                setattr(entry, field, None)
        LongListEntry.objects.bulk_update(entries, ["age_at_sentence", *BLANKED_TEXT, *BLANKED_NULL], batch_size=500)
        files = _named_files(locked)
        AuditEvent.objects.create(
            inspection=locked,
            actor=None,
            action=ACTION,
            detail={"entries": len(entries), "copies": len(copies), "files": len(files)},
        )
        transaction.on_commit(lambda: _delete_files(files))
    return Removal(
        reference=locked.reference,
        published_at=getattr(inspection, "published_at", None),
        entries=len(entries),
        copies=len(copies),
        files=tuple(files),
    )


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def anonymise_due(*, now: dt.datetime | None = None, days: int | None = None) -> list[Removal]:
    """Anonymise every inspection that is due; each in its own transaction, so one failure leaves
    the others done. Running it again does nothing more."""
    done = []
    for inspection in due_inspections(now=now, days=days):
        removal = inspection_anonymise(inspection=inspection)
        if removal is not None:
            done.append(removal)
    return done
