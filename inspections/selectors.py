"""Reads that know who is asking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from inspections.domain.timeline import Milestone, milestone_state
from inspections.enums import STATUS_ORDER, Programme, StaffRole, Status
from inspections.models import Contact, Inspection, YouthOffendingTeam
from inspections.notifications import email_language
from inspections.rules import is_lead_inspector_of
from inspections.services import milestone_done_keys


def contacts_of(inspection: Inspection) -> list[Contact]:
    """The inspection's contacts, each with ``email_language``: the language their emails go in
    (``notifications.email_language``), for the page to show."""
    contacts = list(inspection.contacts.all())
    for contact in contacts:
        contact.email_language = email_language(contact.language, country=inspection.country)
    return contacts


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """Every inspection the user may open: those they are on, or (a YOT manager) their YOT's announced ones."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    visible = Q(team__user=user)
    if user.role == StaffRole.YOT_MANAGER and user.yot_id:
        visible |= Q(yot_id=user.yot_id) & ~Q(status=Status.PLANNED)
    return Inspection.objects.filter(visible).distinct().select_related("yot")


def get_inspection_for(user, reference: str, perm: str = "inspections.view_inspection") -> Inspection:
    """The inspection, if the user may see it (else 404) and may do ``perm`` to it (else 403)."""
    try:
        inspection = Inspection.objects.select_related("yot").get(reference=reference)
    except Inspection.DoesNotExist:
        raise Http404("No such inspection") from None
    if not user.has_perm("inspections.view_inspection", inspection):
        raise Http404("No such inspection")
    if perm != "inspections.view_inspection" and not user.has_perm(perm, inspection):
        raise PermissionDenied
    return inspection


# --- Home page and inspection list (issue 9 §4) -------------------------------------------------------


def inspections_for_tasks(user) -> list[Inspection]:
    """The inspections ``user`` may see, loaded for the task providers of ``inspections.todo``.

    The team, milestone completions and documents come in three queries for all of them, and the
    user's roles on each are put where the permission rules look first (``rules._roles_on``'s
    cache), so asking "does this person lead this inspection?" costs no query.
    """
    inspections = list(inspections_visible_to(user).prefetch_related("team", "milestone_completions", "documents"))
    for inspection in inspections:
        roles = {membership.role for membership in inspection.team.all() if membership.user_id == user.pk}
        inspection._roles_cache = {user.pk: roles}
    return inspections


# How far an inspection has gone, by status: what was due before that point is history, met or not
# (nobody sends Information in Advance once the team is on site).
PAST_POINTS = (
    (Status.PUBLISHED, "publication_due"),
    (Status.FACTUAL_ACCURACY, "draft_report_due"),
    (Status.FIELDWORK, "fieldwork_start"),
)


def is_history(inspection: Inspection, milestone: Milestone) -> bool:
    """Whether ``milestone`` falls before the point the inspection's status has reached."""
    position = STATUS_ORDER.index(inspection.status)
    for status, key in PAST_POINTS:
        if position >= STATUS_ORDER.index(status):
            try:
                point = inspection.timeline.get(key)
            except KeyError:
                return False
            return milestone.moment < point.moment
    return False


def next_open_milestone(inspection: Inspection, *, owner: str | None = None) -> Milestone | None:
    """The first deadline on the timeline not yet met and not history (of ``owner``'s, "yot" or
    "hmip", if given).

    Uses the inspection's prefetched milestone completions and documents when present.
    """
    done = milestone_done_keys(inspection)
    for milestone in inspection.timeline.milestones:
        if milestone.key in done or not milestone.deadline or is_history(inspection, milestone):
            continue
        if owner and milestone.owner != owner:
            continue
        return milestone
    return None


def fieldwork_periods(inspection: Inspection) -> list[tuple[dt.date, dt.date]]:
    """The first and last day of each week the team is on site: one for SQS, two for FJI."""
    timeline = inspection.timeline
    periods = [(timeline.get("fieldwork_start").date, timeline.get("fieldwork_end").date)]
    if inspection.programme == Programme.FJI:
        periods.append((timeline.get("fieldwork_week2_start").date, timeline.get("fieldwork_week2_end").date))
    return periods


# GOV.UK tag colours for each status, so the list and the home page read the same way.
STATUS_TAG = {
    Status.PLANNED: "govuk-tag--grey",
    Status.ANNOUNCED: "govuk-tag--blue",
    Status.LONG_LIST_RECEIVED: "govuk-tag--light-blue",
    Status.SAMPLE_SELECTED: "govuk-tag--turquoise",
    Status.SCHEDULE_FINAL: "govuk-tag--turquoise",
    Status.FIELDWORK: "govuk-tag--purple",
    Status.DRAFT_REPORT: "govuk-tag--pink",
    Status.FACTUAL_ACCURACY: "govuk-tag--orange",
    Status.PUBLISHED: "govuk-tag--green",
}


@dataclass(frozen=True)
class InspectionRow:
    """One inspection at a glance: where it is and what is due next."""

    inspection: Inspection
    status_tag: str
    fieldwork: list[tuple[dt.date, dt.date]]
    next: Milestone | None
    next_state: str  # as milestone_state: overdue, due_soon or upcoming ("" without a next milestone)


def inspection_row(inspection: Inspection, *, now: dt.datetime, owner: str | None = None) -> InspectionRow:
    upcoming = next_open_milestone(inspection, owner=owner)
    state = ""
    if upcoming is not None:
        state = milestone_state(
            upcoming,
            now=now,
            done=False,
            due_soon_working_days=settings.TIMELINE_DUE_SOON_WORKING_DAYS,
            country=inspection.country,
        )
    return InspectionRow(
        inspection=inspection,
        status_tag=STATUS_TAG.get(inspection.status, "govuk-tag--grey"),
        fieldwork=fieldwork_periods(inspection),
        next=upcoming,
        next_state=state,
    )


def inspections_led_at_a_glance(user, inspections: Sequence[Inspection], *, now: dt.datetime) -> list[InspectionRow]:
    """Every inspection ``user`` leads: those still under way by fieldwork date, then the published ones."""
    led = [i for i in inspections if is_lead_inspector_of(user, i)]
    active = sorted((i for i in led if i.status != Status.PUBLISHED), key=lambda i: (i.fieldwork_start, i.reference))
    published = sorted((i for i in led if i.status == Status.PUBLISHED), key=lambda i: i.fieldwork_start, reverse=True)
    return [inspection_row(i, now=now) for i in [*active, *published]]


# --- Search and filters on the inspection list ------------------------------------------------------

SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class InspectionFilters:
    """What the list is narrowed to. Empty values filter nothing."""

    q: str = ""
    yot: str = ""  # the YOT's code
    programme: str = ""
    status: str = ""
    year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.yot or self.programme or self.status or self.year)


@dataclass(frozen=True)
class FilterChoices:
    """The values each filter offers: only YOTs and years among the inspections the user may see."""

    yots: list[tuple[str, str]]
    programmes: list[tuple[str, str]]
    statuses: list[tuple[str, str]]
    years: list[int]


def filter_choices(visible: QuerySet[Inspection]) -> FilterChoices:
    yots = list(
        YouthOffendingTeam.objects.filter(inspections__in=visible.values("pk"))
        .distinct()
        .order_by("name")
        .values_list("code", "name")
    )
    years = sorted({day.year for day in visible.order_by().values_list("fieldwork_start", flat=True).distinct()})
    return FilterChoices(
        yots=yots,
        programmes=[(value, str(label)) for value, label in Programme.choices],
        statuses=[(value, str(label)) for value, label in Status.choices],
        years=years,
    )


def parse_filters(params, choices: FilterChoices) -> tuple[InspectionFilters, list[str]]:
    """The filters in ``params`` (the query string), and a message for each value ignored as not a choice."""
    problems: list[str] = []
    q = " ".join(params.get("q", "").split())
    if len(q) > SEARCH_MAX_LENGTH:
        problems.append(_("The search was cut to its first %(n)d characters.") % {"n": SEARCH_MAX_LENGTH})
        q = q[:SEARCH_MAX_LENGTH]

    def choice(name: str, allowed: Sequence[str], message: str) -> str:
        value = params.get(name, "").strip()
        if value and value not in allowed:
            problems.append(message % {"value": value[:40]})
            return ""
        return value

    yot = choice(
        "yot",
        [code for code, _name in choices.yots],
        _("“%(value)s” is not a YOT of your inspections: the YOT filter was ignored."),
    )
    programme = choice(
        "programme",
        [value for value, _label in choices.programmes],
        _("“%(value)s” is not a programme: the programme filter was ignored."),
    )
    status = choice(
        "status",
        [value for value, _label in choices.statuses],
        _("“%(value)s” is not a status: the status filter was ignored."),
    )
    year_text = choice(
        "year",
        [str(year) for year in choices.years],
        _("None of your inspections has fieldwork in “%(value)s”: the year filter was ignored."),
    )
    year = int(year_text) if year_text else None
    return InspectionFilters(q=q, yot=yot, programme=programme, status=status, year=year), problems


def filter_inspections(inspections: QuerySet[Inspection], filters: InspectionFilters) -> QuerySet[Inspection]:
    if filters.q:
        inspections = inspections.filter(Q(reference__icontains=filters.q) | Q(yot__name__icontains=filters.q))
    if filters.yot:
        inspections = inspections.filter(yot__code=filters.yot)
    if filters.programme:
        inspections = inspections.filter(programme=filters.programme)
    if filters.status:
        inspections = inspections.filter(status=filters.status)
    if filters.year:
        inspections = inspections.filter(fieldwork_start__year=filters.year)
    return inspections
