"""Demo data for casework, made through casework's own services (registered in ``CaseworkConfig.ready``).

``step`` runs after the foundation's people and inspections exist:

- Manchester (SQS): the YOT manager uploads a synthetic long-list of 60 made-up children; the SSO
  selects a sample of 20 and makes it final (HMIP-01..HMIP-20; the inspection moves to "sample
  selected"); the lead inspector allocates the cases to the lead, the assistant inspector and the
  local assessor.
- Cardiff (SQS): the long-list is uploaded ("long-list received") and a sample of 20 is proposed but
  not made final, so the SSO has one to review.
- Newport (FJI, Wales): the long-list, a final sample of 20 and the allocation as for Manchester;
  three cases assessed in full (the first fieldwork week's work); the lead inspector adds up to two
  of the service's suggested cases for each Welsh partner inspectorate (seed 001 §7 a), among them
  Estyn's, whose partner inspector (``partner.wales``) then sees only those.

``fieldwork`` is the inspection week on Manchester: three case assessments answered in full and
completed, a Concern raised on one case, and the supervising inspector's review of the local
assessor's judgements. It needs the schedule to be final (making it final re-allocates every case to
the team member whose slot it is in), so the reports step, which runs after the scheduling step,
calls it; on its own it works on the casework step's allocation.

Everything is seeded, so two runs on the same day make the same data.
"""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from casework.domain.bank import INSUFFICIENT, NOT_APPLICABLE, OTHER, SUFFICIENT, Question
from casework.enums import AlertKind, CaseStatus, Heading
from casework.longlist.sample_data import longlist_workbook, synthetic_rows
from casework.models import Assessment, Case, Sample
from casework.services import assessment as assessing
from casework.services import partner
from casework.services.longlist import announcement_date, long_list_upload
from casework.services.prefill import case_long_list_answers
from casework.services.sample import sample_finalise, sample_select
from inspections.demo import DemoContext
from inspections.models import Inspection, User

LONG_LIST_ROWS = 60
SAMPLE_SIZE = 20
CASE_MANAGERS = 9  # distinct case managers on each long-list: enough for 20 cases at 3 each
SEEDS = {"manchester": 2101, "cardiff": 2202, "newport": 2404}  # long-list and sample seeds
PARTNER_CASES_EACH = 2  # suggested cases the lead inspector adds for each partner inspectorate
ANSWER_SEED = 2303

# Round-robin allocation before the schedule exists: the local assessor takes every third case.
ALLOCATION_ORDER = ("lead", "assistant", "assessor")


def step(context: DemoContext) -> None:
    people = context.people
    manchester = context.inspections.get("manchester")
    if manchester is not None:
        sample = _long_list_and_sample(manchester, yot_manager=people["yotmanager"], sso=people["sso"])
        sample_finalise(sample=sample, by=people["sso"])
        _allocate(manchester, by=people["lead"], people=[people[name] for name in ALLOCATION_ORDER])
        context.write(f"{manchester.reference}: long-list of {LONG_LIST_ROWS}, final sample of {SAMPLE_SIZE}")
    cardiff = context.inspections.get("cardiff")
    if cardiff is not None:
        _long_list_and_sample(cardiff, yot_manager=people["yotmanager.wales"], sso=people["sso"])
        context.write(f"{cardiff.reference}: long-list of {LONG_LIST_ROWS}, sample of {SAMPLE_SIZE} proposed")
    newport = context.inspections.get("newport")
    if newport is not None:
        context.write(_fji_week_one(newport, people))


def long_list_and_sample(inspection: Inspection, *, yot_manager: User, sso: User, seed: int | None = None) -> Sample:
    """The YOT manager uploads a synthetic long-list and the SSO selects a sample (not yet final)."""
    return _long_list_and_sample(inspection, yot_manager=yot_manager, sso=sso, seed=seed)


def assess_in_full(inspection: Inspection, people: dict[str, Any], *, count: int, rng: random.Random) -> list[Case]:
    """Allocate the final sample round the team, then answer and complete ``count`` cases in full."""
    _allocate(inspection, by=people["lead"], people=[people[name] for name in ALLOCATION_ORDER])
    interviewed: set[str] = set()
    cases = list(partner.week_one_cases(inspection).select_related("assessor")[: min(count, len(PLANS))])
    for index, case in enumerate(cases):
        user = case.assessor or people["lead"]
        assessment = assessing.assessment_start(case=case, user=user)
        _answer_all(assessment, case, user, PLANS[index], rng, interviewed)
        assessing.assessment_complete(assessment=assessment, user=user)
    return cases


def _long_list_and_sample(inspection: Inspection, *, yot_manager: User, sso: User, seed: int | None = None) -> Sample:
    seed = SEEDS[inspection.yot.code] if seed is None else seed
    announced = announcement_date(inspection)
    rows = synthetic_rows(LONG_LIST_ROWS, announced=announced, seed=seed, managers=CASE_MANAGERS)
    data = longlist_workbook(rows, yot_name=inspection.yot.name, announced=announced)
    long_list_upload(inspection=inspection, by=yot_manager, data=data, filename=f"{inspection.yot.code}-long-list.xlsx")
    inspection.refresh_from_db()
    return sample_select(inspection=inspection, by=sso, size=SAMPLE_SIZE, seed=seed)


def _fji_week_one(inspection: Inspection, people: dict[str, Any]) -> str:
    """A final sample, three cases assessed, and the partner inspectorates' cases chosen from the suggestions."""
    lead = people["lead"]
    sample = _long_list_and_sample(inspection, yot_manager=lead, sso=people["sso"])
    sample_finalise(sample=sample, by=people["sso"])
    _allocate(inspection, by=lead, people=[people[name] for name in ALLOCATION_ORDER])
    rng = random.Random(ANSWER_SEED + 1)  # noqa: S311 - made-up demo answers, not security
    interviewed: set[str] = set()
    cases = list(partner.week_one_cases(inspection).select_related("assessor")[: len(PLANS)])
    for index, case in enumerate(cases):
        user = case.assessor or lead
        assessment = assessing.assessment_start(case=case, user=user)
        _answer_all(assessment, case, user, PLANS[index], rng, interviewed)
        assessing.assessment_complete(assessment=assessment, user=user)
    added = 0
    for inspectorate, suggestions in partner.suggested_partner_cases(inspection).items():
        chosen = [s.case.pk for s in suggestions[:PARTNER_CASES_EACH]]
        added += partner.partner_cases_confirm(
            inspection=inspection, inspectorate=inspectorate, case_ids=chosen, user=lead
        )
    return (
        f"{inspection.reference}: final sample of {SAMPLE_SIZE}, {len(cases)} case assessments completed, "
        f"{added} partner cases chosen"
    )


def _allocate(inspection: Inspection, *, by: User, people: list[User]) -> None:
    cases = Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED).order_by("position")
    for index, case in enumerate(cases):
        assessing.case_allocate(case=case, assessor=people[index % len(people)], user=by)


# --- Fieldwork -------------------------------------------------------------------------------

# Per assessed case: the judgements found Insufficient, and whether one of their reasons is "Other"
# (which asks for the narrative). Every other judgement is Sufficient.
PLANS = (
    {"insufficient": ("1.10.1",), "other": True},
    {"insufficient": ("2.1.1", "2.16.1"), "other": False},
    {"insufficient": ("4.17.1",), "other": False},
)
CONCERN = (
    "The case record shows the child has been missing from home twice in the last month and no "
    "strategy meeting has been held. The case manager should be asked to refer to children's services today."
)
REVIEW_REASON = (
    "The assessment of vulnerability did not draw on children's services' records of the two missing episodes, "
    "so the evidence supports Insufficient."
)
FIXED = {  # information answers that do not depend on the case
    "1.2.1": "No",
    "1.14.1": "No",
    "5.4.1": "Middle manager (e.g. team manager)",
    "5.15.1": "Yes",
    "5.15.2": "By telephone",
    "12.b": "Cat 2",  # bank 2026-12 spells the categories as the guide does ("Category 2" in 2015-01)
    "12.c": "Level 1",
    "13a": "Case manager",
}
OFFENCES = (
    "Violence against the person",
    "Robbery",
    "Theft and handling stolen goods",
    "Criminal damage",
    "Drugs offences",
    "Public order",
)
ORDERS = {
    Heading.FIRST_TIER: "Referral Order",
    Heading.COMMUNITY: "Youth Rehabilitation Order",
    Heading.CUSTODIAL: "Detention and Training Order",
}
# Where the long-list does not settle View 0's answer (services/prefill.py leaves it to the assessor),
# the demo's made-up assessor picks these.
ETHNICITY = {  # the long-list's census groups to the bank's nearest answer
    "White": "White - British",
    "Mixed": "Mixed - Any other mixed background",
    "Asian or Asian British": "Asian or Asian British - Any other Asian background",
    "Black or Black British": "Black or Black British - Any other Black background",
    "Other ethnic group": "Chinese or other ethnic group - Any other ethnic group",
}
NARRATIVES = {
    "1.20a": "{age}-year-old {child} on a {order} for {offence}. Lives at home with a parent; attends education "
    "part-time. Engaged well with the case manager after a slow start.",
    "1.20b": "The assessment of risk of harm did not consider the victim's continued contact with the child, "
    "which the police records made clear; the reasons chosen do not fully describe this.",
    "2.20": "Planning was mostly clear and timely. The plan set out specific goals with the child, though "
    "reviews did not always follow significant changes.",
    "4.20": "Reporting was regular and the child understood the requirements; attention to motivation was "
    "limited in the first weeks.",
    "5.10": "The case manager described good access to the team manager and useful group supervision; "
    "caseloads were said to be manageable.",
}


def fieldwork(context: DemoContext, *, cases: int = len(PLANS)) -> list[Assessment]:
    """Assess ``cases`` Manchester cases in full, raise one Concern and review one local assessor judgement."""
    inspection = context.inspections.get("manchester")
    if inspection is None:
        return []
    people = context.people
    lead = people["lead"]
    selected = list(
        Case.objects.filter(inspection=inspection, status=CaseStatus.SELECTED)
        .exclude(reference="")
        .select_related("assessor", "entry", "inspection__yot")
        .order_by("position")
    )
    if not selected:
        return []
    # At least one of the local assessor's cases (the supervisor reviews it), then the first others by position.
    chosen = [c for c in selected if c.assessor_id == people["assessor"].pk][:1]
    chosen += [c for c in selected if c not in chosen][: cases - len(chosen)]
    chosen.sort(key=lambda c: c.position)
    rng = random.Random(ANSWER_SEED)  # noqa: S311 - made-up demo answers, not security
    interviewed: set[str] = set()
    done = []
    for index, case in enumerate(chosen):
        user = case.assessor or lead
        assessment = assessing.assessment_start(case=case, user=user)
        if index == 1:  # a Concern raised while assessing asks the alert questions too
            assessing.alert_raise(case=case, kind=AlertKind.CONCERN, description=CONCERN, user=user)
        _answer_all(assessment, case, user, PLANS[index % len(PLANS)], rng, interviewed)
        done.append(assessing.assessment_complete(assessment=assessment, user=user))
    _review(inspection, people, done)
    context.write(f"{inspection.reference}: {len(done)} case assessments completed, one Concern raised")
    return done


def _review(inspection: Inspection, people: dict[str, Any], done: list[Assessment]) -> None:
    """The local assessor's supervisor agrees with one judgement and changes another, with a reason."""
    membership = inspection.team.filter(user=people["assessor"]).first()
    reviewer = membership.supervisor if membership and membership.supervisor else inspection.lead_inspector
    for assessment in done:
        if assessment.case.assessor_id != people["assessor"].pk:
            continue
        assessing.judgement_review(
            assessment=assessment, question_id="1.1.1", reviewed_value=SUFFICIENT, reason="", user=reviewer
        )
        assessing.judgement_review(
            assessment=assessment,
            question_id="1.13.1",
            reviewed_value=INSUFFICIENT,
            reason=REVIEW_REASON,
            user=reviewer,
        )
        return


def _answer_all(assessment, case, user, plan, rng: random.Random, interviewed: set[str]) -> None:
    """Answer every asked, unanswered question until the route stops growing (answers open questions)."""
    offered = case_long_list_answers(assessing.bank_of(assessment), case, user)  # as the pages offer them
    for _round in range(10):
        state = assessing.case_state(case, assessment)
        todo = [qid for qid in state.route.asked if not state.is_answered(qid)]
        if not todo:
            return
        for qid in todo:
            question = state.bank.question(qid)
            value = offered[qid] if qid in offered else _value(question, case, user, plan, rng, interviewed)
            if question.per_answer_of is not None:  # one answer per priority factor chosen at 2.1.0
                value = {factor: value for factor in state.route.factors.get(qid, ())}
            assessing.assessment_answer(
                assessment=assessment, question_id=qid, value=value, user=user, expected_revision=0
            )
    raise RuntimeError(f"demo answers for {case.label} did not settle")


def _value(question: Question, case: Case, user: User, plan, rng: random.Random, interviewed: set[str]) -> Any:
    if question.kind == "judgement":
        wanted = SUFFICIENT
        if question.id in plan["insufficient"]:
            wanted = INSUFFICIENT
        elif question.id == "5.7.1c":
            wanted = NOT_APPLICABLE
        # Worded answers (4.18.1's "Yes (fully)"): the first that counts as the wanted verdict.
        return next(option for option in question.options if question.verdict(option) == wanted)
    if question.kind == "explanation":
        reasons = [o for o in question.options if o != OTHER]
        chosen = rng.sample(reasons, k=min(2, len(reasons)))
        return [*chosen, OTHER] if plan["other"] else chosen
    if question.kind == "narrative":
        return _narrative(question.id, case)
    return _information(question, case, user, rng, interviewed)


def _age(case: Case) -> int:
    entry = case.entry
    if entry is None or entry.date_of_birth is None:
        return 15
    born, on = entry.date_of_birth, entry.sentence_date or case.sentence_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _narrative(question_id: str, case: Case) -> str:
    template = NARRATIVES.get(question_id, "The evidence for these judgements is summarised in the case record.")
    gender = case.entry.gender if case.entry else ""
    child = {"Male": "boy", "Female": "girl"}.get(gender, "child")
    offence = _offence(case).lower()
    return template.format(age=_age(case), child=child, order=case.order_type or "court order", offence=offence)


def _offence(case: Case) -> str:
    return OFFENCES[case.position % len(OFFENCES)]


def _information(question: Question, case: Case, user: User, rng: random.Random, interviewed: set[str]) -> Any:
    entry = case.entry
    qid = question.id
    if qid in FIXED:
        return FIXED[qid]
    # 1, 2, 7.a and 8, and the others where the long-list settles them, come from services/prefill.py.
    if qid == "4":
        return "Male"
    if qid == "5":
        return str(_age(case))
    if qid == "6":
        return ETHNICITY.get(entry.ethnicity if entry else "", "Not known / not stated")
    if qid == "7.b":
        return "Home YOT"
    if qid == "10.a":
        return ORDERS.get(case.heading, question.options[0])
    if qid == "10.b":
        return "12"
    if qid == "10.c":
        return "Yes" if entry and entry.release_date and entry.release_date <= timezone.localdate() else "No"
    if qid == "11":
        return _offence(case)
    if qid == "12a":
        return "Yes" if case.high_rosh else "No"
    if qid == "13b":  # the first interview with this case manager: View 5 then asks about the YOT
        email = case.case_manager_email.lower()
        seen = email in interviewed
        interviewed.add(email)
        return "Yes" if seen else "No"
    if qid == "1.5.1":
        if case.heading == Heading.FIRST_TIER:
            return ["Stand down or day of sentence report"]
        return ["Pre-sentence report (with or without an addendum)"]
    if qid == "1.6.1":
        return "No" if case.heading == Heading.FIRST_TIER else "Yes"
    if qid == "2.1.0":
        return rng.sample(list(question.options), k=3)
    if question.input == "number":
        return "1"
    if question.input != "choice":
        return "See the case record."
    plain = [o for o in question.options if o != OTHER]
    return plain[:1] if question.multiple else plain[0]
