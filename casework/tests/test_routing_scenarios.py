"""Whole-case routing scenarios over the real question bank (casework/bank/2015-01).

Issue 6, Tests: "scenario tests of whole cases (SQS and FJI, England and Wales, custodial and not, PSR and
not, alert and not) that assert the exact questions asked".

Every expected list below is written out by hand from the bank files and the guide (seed 004), never
copied from what ``route`` returns, so a change to the bank or the engine that changes a real case's
route makes one of these fail. The rules the lists follow:

- SQS asks the subset whose ``programmes`` include sqs: View 0 without 14, most of Views 1 and 2,
  none of View 3, only 4.17.x, 4.18.x and 4.20 of View 4, and View 5 without 5.1.x;
- FJI asks everything, plus module-only questions (1.5.3 court work; 1.15.x, 2.2.x, 3.20b, 4.13.2/3
  interventions) for the modules inspected; no question is governance-only;
- Wales (3b) adds 9a and 13c (13c only when someone was interviewed, 13a); 9b-9e only when 9a is
  Welsh or Not Known;
- custodial sentences (10.a) add 10.c, 2.0.1, 2.9.1, 2.13.1, 3.4.3, 3.6.3, 3.10.1 and 3.10.2;
- a referral order (10.a) adds 1.9.3; a PSR requested (1.6.1 Yes) adds 1.6.2, 1.6.3, 1.7.1, 1.8.1, 1.9.1;
- MAPPA eligible (12a Yes) adds 12.b and 12.c; level 2 or 3 adds 2.10.1;
- 13b is asked when the case manager is interviewed (13a); 13b No (first interview) adds 5.3a-5.9;
- an alert adds 5.15.1, and 5.15.1 Yes adds 5.15.2;
- 4.18.2 only when 4.18.0 is No (not fully complied) and 4.18.1 is not N/A; 4.1 N/A removes
  4.2.1-4.4.x; 5.1.2 when a part of 5.1.1 is Insufficient, then 5.1.3-5.1.5 by what 5.1.2 ticks;
- an explanation is asked exactly when its judgement is asked and answered Insufficient;
- narratives (1.20a, 1.20b, 2.20, 3.20, 3.20b, 4.20, 5.10) are always asked with their view, and
  required only when an explanation of theirs has "Other" ticked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest

from casework.domain.bank import Bank, load_bank
from casework.domain.routing import Facts, route

Answers = Mapping[str, "str | tuple[str, ...]"]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank("2015-01")


def _sufficient(*question_ids: str) -> dict[str, str]:
    return dict.fromkeys(question_ids, "Sufficient")


def _view(bank: Bank, ids: Sequence[str], view: int) -> list[str]:
    return [qid for qid in ids if bank.question(qid).view == view]


@dataclass(frozen=True)
class Scenario:
    facts: Facts
    answers: Answers
    asked: tuple[str, ...]
    not_required: tuple[str, ...]  # asked but optional: the narratives nobody ticked "Other" for

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(qid for qid in self.asked if qid not in self.not_required)


# --------------------------------------------------------------------------------------------------
# 1. SQS, England, YRO, no PSR, no MAPPA, case manager already interviewed, no alert, all Sufficient.

SQS_ENGLAND_COMMUNITY_ANSWERS: dict[str, str | tuple[str, ...]] = {
    "1": "A. Inspector",
    "2": "HMI Probation staff",
    "3a": "Anytown YOT",
    "3b": "England",
    "4": "Male",
    "5": "15",
    "6": "White - British",
    "7.a": "No",
    "8": "No",
    "10.a": "Youth Rehabilitation Order",
    "10.b": "12",
    "11": "Robbery",
    "12a": "No",
    "13a": "Case manager",
    "13b": "Yes",
    **_sufficient("1.1.1", "1.3.1", "1.4.1"),
    "1.2.1": "No",
    "1.5.1": ("Stand down or day of sentence report",),
    "1.5.2": "Sufficient",
    "1.6.1": "No",
    **_sufficient("1.10.1", "1.13.1"),
    "1.14.1": "No",
    **_sufficient("1.16.1", "1.17.1", "1.18.1"),
    "1.20a": "Robbery of a phone with an older peer; lives with mother.",
    "2.1.0": (
        "Family and personal relationships",
        "Education, training and employment",
        "Lifestyle",
        "Thinking and behaviour",
        "Attitudes to offending",
    ),
    **_sufficient("2.1.1", "2.3.1", "2.4.1", "2.8.1", "2.12.1", "2.15.1", "2.16.1", "2.17.1"),
    "4.17.1": "Sufficient",
    "4.18.0": "Yes",
    "4.18.1": "Sufficient",
    "5.2": "Sufficient",
}

SQS_ENGLAND_COMMUNITY_ASKED = (
    # View 0: no 7.b (not looked after), no Welsh questions, no 10.c (not custodial), no 12.b/12.c, no 14.
    "1", "2", "3a", "3b", "4", "5", "6", "7.a", "8", "10.a", "10.b", "11", "12a", "13a", "13b",
    # View 1: no PSR questions (1.6.1 No), no 1.9.3 (not a referral order), no FJI-only or module questions.
    "1.1.1", "1.2.1", "1.3.1", "1.4.1", "1.5.1", "1.5.2", "1.6.1", "1.10.1", "1.13.1", "1.14.1",
    "1.16.1", "1.17.1", "1.18.1", "1.20a", "1.20b",
    # View 2: no custodial planning, no MAPPA 2.10.1, no FJI partner questions.
    "2.1.0", "2.1.1", "2.3.1", "2.4.1", "2.8.1", "2.12.1", "2.15.1", "2.16.1", "2.17.1", "2.20",
    # View 3 is FJI only. View 4: fully complied (4.18.0 Yes) removes 4.18.2.
    "4.17.1", "4.18.0", "4.18.1", "4.20",
    # View 5: the case manager was interviewed before (13b Yes), no alert.
    "5.2", "5.10",
)  # fmt: skip

# --------------------------------------------------------------------------------------------------
# 2. SQS, Wales (Welsh speaker), DTO released, PSR, first interview, alert, one Insufficient judgement.

SQS_WALES_CUSTODIAL_PSR_ALERT_ANSWERS: dict[str, str | tuple[str, ...]] = {
    "1": "B. Assessor",
    "2": "Local Assessor",
    "3a": "Cwm YOT",
    "3b": "Wales",
    "4": "Female",
    "5": "16",
    "6": "White - British",
    "7.a": "Yes",
    "7.b": "Host YOT",
    "8": "Yes",
    "9a": "Welsh",
    "9b": "Yes",
    "9c": "Yes",
    "9d": "Yes",
    "9e": "Sufficient",
    "10.a": "Detention and Training Order",
    "10.b": "8",
    "10.c": "Yes",
    "11": "Domestic burglary",
    "12a": "No",
    "13a": "Case manager",
    "13b": "No",
    "13c": "Welsh",
    "1.1.1": "Sufficient",
    "1.2.1": "Yes",
    "1.2.2": ("ADHD",),
    **_sufficient("1.3.1", "1.4.1"),
    "1.5.1": ("Pre-sentence report (with or without an addendum)",),
    "1.5.2": "Sufficient",
    "1.6.1": "Yes",
    "1.6.2": "Sufficient",
    "1.6.3": "Insufficient",
    "1.6.4": ("Not sufficiently analytical, balanced, verified or factually accurate", "Other"),
    **_sufficient("1.7.1", "1.8.1", "1.9.1", "1.10.1", "1.13.1"),
    "1.14.1": "No",
    **_sufficient("1.16.1", "1.17.1", "1.18.1"),
    "1.20b": "Other: the PSR proposal did not follow from its own analysis.",
    "2.0.1": "Sufficient",
    "2.1.0": (
        "Living arrangements",
        "Lifestyle",
        "Substance use",
        "Emotional and mental health",
        "Motivation to change",
    ),
    **_sufficient("2.1.1", "2.3.1", "2.4.1", "2.8.1", "2.9.1", "2.12.1", "2.13.1", "2.15.1", "2.16.1", "2.17.1"),
    "4.17.1": "Sufficient",
    "4.18.0": "No",
    "4.18.1": "Sufficient",
    "4.18.2": "Sufficient",
    "5.2": "Sufficient",
    **_sufficient("5.3a", "5.3b", "5.3c", "5.3d"),
    "5.4.1": "Senior practitioner",
    **_sufficient("5.4.2", "5.5", "5.7.1a", "5.7.1b", "5.7.1c", "5.7.2", "5.8", "5.9"),
    "5.15.1": "Yes",
    "5.15.2": "By email",
}

SQS_WALES_CUSTODIAL_PSR_ALERT_ASKED = (
    # View 0: 7.b (looked after), 9a-9e (Wales, Welsh), 10.c (custodial), 13c (Wales, interviewed).
    "1", "2", "3a", "3b", "4", "5", "6", "7.a", "7.b", "8", "9a", "9b", "9c", "9d", "9e",
    "10.a", "10.b", "10.c", "11", "12a", "13a", "13b", "13c",
    # View 1: 1.2.2 (1.2.1 Yes); the PSR questions (1.6.1 Yes); 1.6.4 explains 1.6.3 Insufficient.
    "1.1.1", "1.2.1", "1.2.2", "1.3.1", "1.4.1", "1.5.1", "1.5.2", "1.6.1", "1.6.2", "1.6.3", "1.6.4",
    "1.7.1", "1.8.1", "1.9.1", "1.10.1", "1.13.1", "1.14.1", "1.16.1", "1.17.1", "1.18.1", "1.20a", "1.20b",
    # View 2: the custodial plans 2.0.1, 2.9.1 and 2.13.1.
    "2.0.1", "2.1.0", "2.1.1", "2.3.1", "2.4.1", "2.8.1", "2.9.1", "2.12.1", "2.13.1", "2.15.1",
    "2.16.1", "2.17.1", "2.20",
    # View 4: not fully complied (4.18.0 No), so the YOT's response 4.18.2 is judged.
    "4.17.1", "4.18.0", "4.18.1", "4.18.2", "4.20",
    # View 5: first interview (13b No) adds 5.3a-5.9; the alert adds 5.15.1, and 5.15.1 Yes adds 5.15.2.
    "5.2", "5.3a", "5.3b", "5.3c", "5.3d", "5.4.1", "5.4.2", "5.5", "5.7.1a", "5.7.1b", "5.7.1c",
    "5.7.2", "5.8", "5.9", "5.10", "5.15.1", "5.15.2",
)  # fmt: skip

# --------------------------------------------------------------------------------------------------
# 3. SQS, Wales, English speaker (no 9b-9e), referral order, case manager already interviewed.

SQS_WALES_ENGLISH_REFERRAL_ANSWERS: dict[str, str | tuple[str, ...]] = {
    **SQS_ENGLAND_COMMUNITY_ANSWERS,
    "3a": "Cwm YOT",
    "3b": "Wales",
    "9a": "English",
    "10.a": "Referral Order",
    "10.b": "6",
    "13c": "English",
    "1.5.1": ("Verbal update",),
    "1.9.3": "Sufficient",
}

SQS_WALES_ENGLISH_REFERRAL_ASKED = (
    # View 0: 9a (Wales) but not 9b-9e (English); 13c (Wales, interviewed).
    "1", "2", "3a", "3b", "4", "5", "6", "7.a", "8", "9a", "10.a", "10.b", "11", "12a", "13a", "13b", "13c",
    # View 1: the referral order report 1.9.3.
    "1.1.1", "1.2.1", "1.3.1", "1.4.1", "1.5.1", "1.5.2", "1.6.1", "1.9.3", "1.10.1", "1.13.1", "1.14.1",
    "1.16.1", "1.17.1", "1.18.1", "1.20a", "1.20b",
    "2.1.0", "2.1.1", "2.3.1", "2.4.1", "2.8.1", "2.12.1", "2.15.1", "2.16.1", "2.17.1", "2.20",
    "4.17.1", "4.18.0", "4.18.1", "4.20",
    "5.2", "5.10",
)  # fmt: skip

# --------------------------------------------------------------------------------------------------
# 4. FJI, England, court work and interventions, Section 90/91 released, MAPPA category 2 level 2,
#    fully complied (removes 4.18.2), another member of staff interviewed (no 13b), no alert.

FJI_ENGLAND_CUSTODIAL_MAPPA_ANSWERS: dict[str, str | tuple[str, ...]] = {
    "1": "C. Inspector",
    "2": "HMI Probation staff",
    "3a": "Northtown YOT",
    "3b": "England",
    "4": "Male",
    "5": "17",
    "6": "Black or Black British - Caribbean",
    "7.a": "No",
    "8": "No",
    "10.a": "Section 90/91",
    "10.b": "24",
    "10.c": "Yes",
    "11": "Violence against the person",
    "12a": "Yes",
    "12.b": "Category 2",
    "12.c": "Level 2",
    "13a": "Other member of YOT staff who knows the case",
    "14": ("Court Work", "Interventions"),
    **_sufficient("1.1.1", "1.1.2"),
    "1.2.1": "No",
    **_sufficient("1.3.1", "1.4.1"),
    "1.5.1": ("Pre-sentence report (with or without an addendum)",),
    **_sufficient("1.5.2", "1.5.3"),
    "1.6.1": "Yes",
    **_sufficient("1.6.2", "1.6.3", "1.7.1", "1.8.1", "1.9.1", "1.10.1", "1.13.1", "1.13.1.2"),
    "1.14.1": "No",
    **_sufficient("1.15.1", "1.16.1", "1.17.1", "1.18.1"),
    **_sufficient("2.0.1"),
    "2.1.0": (
        "Family and personal relationships",
        "Neighbourhood",
        "Lifestyle",
        "Thinking and behaviour",
        "Attitudes to offending",
    ),
    **_sufficient("2.1.1", "2.1.2.1", "2.1.2.2", "2.1.2.3", "2.1.2.4", "2.2.1", "2.3.1", "2.4.1"),
    **_sufficient("2.8.1", "2.9.1", "2.10.1", "2.12.1", "2.12.2.1", "2.12.2.2", "2.12.2.3", "2.12.2.4"),
    **_sufficient("2.13.1", "2.15.1", "2.16.1", "2.17.1"),
    **_sufficient("3.1.1", "3.2.1", "3.3.1", "3.4.1", "3.4.3", "3.5.1", "3.6.1", "3.6.1.1", "3.6.3", "3.7.1"),
    **_sufficient("3.8.1a", "3.8.1b", "3.8.1c", "3.8.1d", "3.8.1e", "3.8.2", "3.10.1", "3.10.2"),
    **_sufficient("3.12.1", "3.12.2", "3.14.1"),
    "3.16.1": "No",
    "3.18.1": "Sufficient",
    "3.20b": "Violent offending programme, 12 sessions, completed.",
    **_sufficient("4.1", "4.2.1", "4.3.1", "4.4.1", "4.6", "4.7.1", "4.8.1", "4.10.1", "4.12"),
    "4.13.1a": "Yes",
    "4.13.1b": "Insufficient Evidence",
    **_sufficient("4.13.2", "4.14.1", "4.16.1", "4.17.1"),
    "4.18.0": "Yes",
    "4.18.1": "Sufficient",
    **dict.fromkeys(("4.19.1.1", "4.19.1.2", "4.19.1.3", "4.19.1.4", "4.19.1.5", "4.19.1.6"), "No"),
    "4.19.2": "N/A",
    "4.19.3": "Yes (less likely to offend)",
    **_sufficient("5.1.1a", "5.1.1b", "5.1.1c", "5.2"),
}

FJI_ENGLAND_CUSTODIAL_MAPPA_ASKED = (
    # View 0: 10.c (custodial), 12.b and 12.c (MAPPA eligible), no 13b (not the case manager), 14 (FJI).
    "1", "2", "3a", "3b", "4", "5", "6", "7.a", "8", "10.a", "10.b", "10.c", "11", "12a", "12.b", "12.c",
    "13a", "14",
    # View 1: FJI-only 1.1.2 and 1.13.1.2, court work 1.5.3, interventions 1.15.1, the PSR questions.
    "1.1.1", "1.1.2", "1.2.1", "1.3.1", "1.4.1", "1.5.1", "1.5.2", "1.5.3", "1.6.1", "1.6.2", "1.6.3",
    "1.7.1", "1.8.1", "1.9.1", "1.10.1", "1.13.1", "1.13.1.2", "1.14.1", "1.15.1", "1.16.1", "1.17.1",
    "1.18.1", "1.20a", "1.20b",
    # View 2: custodial 2.0.1, 2.9.1, 2.13.1; FJI 2.1.2.x, 2.12.2.x; interventions 2.2.1; MAPPA level 2 2.10.1.
    "2.0.1", "2.1.0", "2.1.1", "2.1.2.1", "2.1.2.2", "2.1.2.3", "2.1.2.4", "2.2.1", "2.3.1", "2.4.1",
    "2.8.1", "2.9.1", "2.10.1", "2.12.1", "2.12.2.1", "2.12.2.2", "2.12.2.3", "2.12.2.4", "2.13.1",
    "2.15.1", "2.16.1", "2.17.1", "2.20",
    # View 3: custodial 3.4.3, 3.6.3, 3.10.1, 3.10.2; no transfer (3.16.1 No); interventions 3.20b.
    "3.1.1", "3.2.1", "3.3.1", "3.4.1", "3.4.3", "3.5.1", "3.6.1", "3.6.1.1", "3.6.3", "3.7.1",
    "3.8.1a", "3.8.1b", "3.8.1c", "3.8.1d", "3.8.1e", "3.8.2", "3.10.1", "3.10.2", "3.12.1", "3.12.2",
    "3.14.1", "3.16.1", "3.18.1", "3.20", "3.20b",
    # View 4: interventions 4.13.2; fully complied (4.18.0 Yes) removes 4.18.2.
    "4.1", "4.2.1", "4.3.1", "4.4.1", "4.6", "4.7.1", "4.8.1", "4.10.1", "4.12", "4.13.1a", "4.13.1b",
    "4.13.2", "4.14.1", "4.16.1", "4.17.1", "4.18.0", "4.18.1",
    "4.19.1.1", "4.19.1.2", "4.19.1.3", "4.19.1.4", "4.19.1.5", "4.19.1.6", "4.19.2", "4.19.3", "4.20",
    # View 5: FJI resources 5.1.1a-c; no first-interview questions (13b not asked), no alert.
    "5.1.1a", "5.1.1b", "5.1.1c", "5.2", "5.10",
)  # fmt: skip

# --------------------------------------------------------------------------------------------------
# 5. FJI, Wales (language not known), governance module only, YRO with ISS, first interview, alert
#    (not escalated), 4.1 N/A, one part of 5.1.1 Insufficient.

FJI_WALES_GOVERNANCE_ALERT_ANSWERS: dict[str, str | tuple[str, ...]] = {
    "1": "D. Inspector",
    "2": "HMI Probation staff",
    "3a": "Cwm YOT",
    "3b": "Wales",
    "4": "Male",
    "5": "14",
    "6": "Mixed - White and Asian",
    "7.a": "No",
    "8": "No",
    "9a": "Not Known",
    "9b": "Not Known",
    "9c": "Not Known",
    "9d": "Not Required",
    "9e": "Sufficient",
    "10.a": "Youth Rehabilitation Order with Intensive Supervision and Surveillance",
    "10.b": "12",
    "11": "Theft and handling stolen goods",
    "12a": "No",
    "13a": "Case manager",
    "13b": "No",
    "13c": "English",
    "14": ("Governance",),
    **_sufficient("1.1.1", "1.1.2"),
    "1.2.1": "No",
    **_sufficient("1.3.1", "1.4.1"),
    "1.5.1": ("Specific sentence report",),
    "1.5.2": "Sufficient",
    "1.6.1": "No",
    **_sufficient("1.10.1", "1.13.1", "1.13.1.2"),
    "1.14.1": "No",
    **_sufficient("1.16.1", "1.17.1", "1.18.1"),
    "2.1.0": (
        "Living arrangements",
        "Education, training and employment",
        "Lifestyle",
        "Substance use",
        "Motivation to change",
    ),
    **_sufficient("2.1.1", "2.1.2.1", "2.1.2.2", "2.1.2.3", "2.1.2.4", "2.3.1", "2.4.1", "2.8.1"),
    **_sufficient("2.12.1", "2.12.2.1", "2.12.2.2", "2.12.2.3", "2.12.2.4", "2.15.1", "2.16.1", "2.17.1"),
    **_sufficient("3.1.1", "3.2.1", "3.3.1", "3.4.1", "3.5.1", "3.6.1", "3.6.1.1", "3.7.1"),
    **_sufficient("3.8.1a", "3.8.1b", "3.8.1c", "3.8.1d", "3.8.1e", "3.8.2", "3.12.1", "3.12.2", "3.14.1"),
    "3.16.1": "No",
    "3.18.1": "Sufficient",
    "4.1": "N/A",
    **_sufficient("4.6", "4.7.1", "4.8.1", "4.10.1", "4.12"),
    "4.13.1a": "No",
    "4.13.1b": "Yes",
    **_sufficient("4.14.1", "4.16.1", "4.17.1"),
    "4.18.0": "No",
    "4.18.1": "Sufficient",
    "4.18.2": "Sufficient",
    "4.19.1.1": "Yes",
    "4.19.1.2": "Yes",
    **dict.fromkeys(("4.19.1.3", "4.19.1.4", "4.19.1.5", "4.19.1.6"), "No"),
    "4.19.2": "Sufficient",
    "4.19.3": "No (no identifiable change)",
    "4.20": "Arrested once, no further action; no change in the pattern of offending.",
    "5.1.1a": "Sufficient",
    "5.1.1b": "Insufficient",
    "5.1.1c": "Sufficient",
    "5.1.2": ("Gaps in the availability of interventions",),
    "5.1.4": ("Interventions targeting risk of harm behaviours",),
    "5.2": "Sufficient",
    **_sufficient("5.3a", "5.3b", "5.3c", "5.3d"),
    "5.4.1": "Middle manager (e.g. team manager)",
    "5.4.2": "Sufficient",
    "5.5": "Sufficient",
    "5.7.1a": "Sufficient",
    "5.7.1b": "Sufficient",
    "5.7.1c": "N/A",
    **_sufficient("5.7.2", "5.8", "5.9"),
    "5.15.1": "No",
}

FJI_WALES_GOVERNANCE_ALERT_ASKED = (
    # View 0: 9a-9e (Wales, language Not Known), 13c; no 10.c (community sentence); 14 (FJI).
    "1", "2", "3a", "3b", "4", "5", "6", "7.a", "8", "9a", "9b", "9c", "9d", "9e", "10.a", "10.b", "11",
    "12a", "13a", "13b", "13c", "14",
    # View 1: FJI-only 1.1.2 and 1.13.1.2; no PSR (1.6.1 No); governance adds nothing.
    "1.1.1", "1.1.2", "1.2.1", "1.3.1", "1.4.1", "1.5.1", "1.5.2", "1.6.1", "1.10.1", "1.13.1",
    "1.13.1.2", "1.14.1", "1.16.1", "1.17.1", "1.18.1", "1.20a", "1.20b",
    "2.1.0", "2.1.1", "2.1.2.1", "2.1.2.2", "2.1.2.3", "2.1.2.4", "2.3.1", "2.4.1", "2.8.1", "2.12.1",
    "2.12.2.1", "2.12.2.2", "2.12.2.3", "2.12.2.4", "2.15.1", "2.16.1", "2.17.1", "2.20",
    # View 3: no custodial questions, no 3.20b (no interventions module).
    "3.1.1", "3.2.1", "3.3.1", "3.4.1", "3.5.1", "3.6.1", "3.6.1.1", "3.7.1", "3.8.1a", "3.8.1b",
    "3.8.1c", "3.8.1d", "3.8.1e", "3.8.2", "3.12.1", "3.12.2", "3.14.1", "3.16.1", "3.18.1", "3.20",
    # View 4: 4.1 N/A removes 4.2.1, 4.3.1 and 4.4.1; not fully complied adds 4.18.2.
    "4.1", "4.6", "4.7.1", "4.8.1", "4.10.1", "4.12", "4.13.1a", "4.13.1b", "4.14.1", "4.16.1",
    "4.17.1", "4.18.0", "4.18.1", "4.18.2",
    "4.19.1.1", "4.19.1.2", "4.19.1.3", "4.19.1.4", "4.19.1.5", "4.19.1.6", "4.19.2", "4.19.3", "4.20",
    # View 5: 5.1.2 (5.1.1b Insufficient) and 5.1.4 (its tick); first interview; alert, not escalated.
    "5.1.1a", "5.1.1b", "5.1.1c", "5.1.2", "5.1.4", "5.2", "5.3a", "5.3b", "5.3c", "5.3d", "5.4.1",
    "5.4.2", "5.5", "5.7.1a", "5.7.1b", "5.7.1c", "5.7.2", "5.8", "5.9", "5.10", "5.15.1",
)  # fmt: skip

FJI_NARRATIVES = ("1.20a", "1.20b", "2.20", "3.20", "3.20b", "4.20", "5.10")

SCENARIOS = {
    "sqs-england-yro-no-psr-interviewed-before-no-alert": Scenario(
        facts=Facts(programme="sqs", country="England"),
        answers=SQS_ENGLAND_COMMUNITY_ANSWERS,
        asked=SQS_ENGLAND_COMMUNITY_ASKED,
        not_required=("1.20a", "1.20b", "2.20", "4.20", "5.10"),
    ),
    "sqs-wales-welsh-dto-released-psr-first-interview-alert-insufficient": Scenario(
        facts=Facts(programme="sqs", country="Wales", alert=True),
        answers=SQS_WALES_CUSTODIAL_PSR_ALERT_ANSWERS,
        asked=SQS_WALES_CUSTODIAL_PSR_ALERT_ASKED,
        # 1.20b is required: "Other" is ticked at 1.6.4, whose other_narrative it is.
        not_required=("1.20a", "2.20", "4.20", "5.10"),
    ),
    "sqs-wales-english-referral-order": Scenario(
        facts=Facts(programme="sqs", country="Wales"),
        answers=SQS_WALES_ENGLISH_REFERRAL_ANSWERS,
        asked=SQS_WALES_ENGLISH_REFERRAL_ASKED,
        not_required=("1.20a", "1.20b", "2.20", "4.20", "5.10"),
    ),
    "fji-england-court-interventions-s90-mappa-level2-fully-complied": Scenario(
        facts=Facts(programme="fji", country="England", modules=frozenset({"court_work", "interventions"})),
        answers=FJI_ENGLAND_CUSTODIAL_MAPPA_ANSWERS,
        asked=FJI_ENGLAND_CUSTODIAL_MAPPA_ASKED,
        not_required=FJI_NARRATIVES,
    ),
    "fji-wales-governance-yro-iss-first-interview-alert": Scenario(
        facts=Facts(programme="fji", country="Wales", modules=frozenset({"governance"}), alert=True),
        answers=FJI_WALES_GOVERNANCE_ALERT_ANSWERS,
        asked=FJI_WALES_GOVERNANCE_ALERT_ASKED,
        not_required=("1.20a", "1.20b", "2.20", "3.20", "4.20", "5.10"),
    ),
}

EXPECTED_COUNTS = {  # asked / required, counted by hand from the lists above
    "sqs-england-yro-no-psr-interviewed-before-no-alert": (46, 41),
    "sqs-wales-welsh-dto-released-psr-first-interview-alert-insufficient": (80, 76),
    "sqs-wales-english-referral-order": (49, 44),
    "fji-england-court-interventions-s90-mappa-level2-fully-complied": (121, 114),
    "fji-wales-governance-yro-iss-first-interview-alert": (121, 115),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_route_scenario_asks_exactly_the_expected_questions(bank: Bank, scenario: Scenario) -> None:
    result = route(bank, scenario.facts, scenario.answers)

    assert list(result.asked) == list(scenario.asked)
    assert list(result.required) == list(scenario.required)
    assert result.hidden == ()  # each scenario answers only what a real case is asked


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_route_scenario_lists_have_the_hand_counted_sizes(name: str) -> None:
    scenario = SCENARIOS[name]

    assert len(set(scenario.asked)) == len(scenario.asked)
    assert (len(scenario.asked), len(scenario.required)) == EXPECTED_COUNTS[name]


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_route_scenario_answers_use_the_bank_labels(bank: Bank, scenario: Scenario) -> None:
    """A misspelt label would make a condition silently false and the scenario prove less."""
    problems = []
    for question_id, answer in scenario.answers.items():
        question = bank.question(question_id)
        if question.id != question_id:
            problems.append(f"{question_id}: not the bank's id {question.id}")
        labels = answer if isinstance(answer, tuple) else (answer,)
        if question.input == "choice":
            if not question.multiple and isinstance(answer, tuple):
                problems.append(f"{question_id}: takes one answer")
            problems.extend(f"{question_id}: {label!r}" for label in labels if label not in question.options)
    assert problems == []


def test_route_scenario_governance_alone_asks_the_core_fji_questions(bank: Bank) -> None:
    """No question is governance-only: the governance module adds nothing to the core FJI route."""
    scenario = SCENARIOS["fji-wales-governance-yro-iss-first-interview-alert"]
    core = Facts(programme="fji", country="Wales", alert=True)

    assert route(bank, core, scenario.answers).asked == scenario.asked


def test_route_scenario_without_alert_drops_only_the_alert_questions(bank: Bank) -> None:
    scenario = SCENARIOS["sqs-wales-welsh-dto-released-psr-first-interview-alert-insufficient"]
    no_alert = Facts(programme="sqs", country="Wales", alert=False)

    result = route(bank, no_alert, scenario.answers)

    assert list(result.asked) == [q for q in scenario.asked if q not in ("5.15.1", "5.15.2")]
    assert result.hidden == ("5.15.1", "5.15.2")


# --------------------------------------------------------------------------------------------------
# 6. Changing an answer removes later questions (kept, hidden) and brings them back.

SQS_ENGLAND_WITH_PSR_ANSWERS: dict[str, str | tuple[str, ...]] = {
    **SQS_ENGLAND_COMMUNITY_ANSWERS,
    "1.5.1": ("Pre-sentence report (with or without an addendum)",),
    "1.6.1": "Yes",
    "1.6.2": "Sufficient",
    "1.6.3": "Insufficient",
    "1.6.4": ("Report not prepared or available to the timeline requested by the court",),
    "1.7.1": "Sufficient",
    "1.8.1": "Sufficient",
    "1.9.1": "Sufficient",
}

SQS_ENGLAND_WITH_PSR_ASKED = (
    "1", "2", "3a", "3b", "4", "5", "6", "7.a", "8", "10.a", "10.b", "11", "12a", "13a", "13b",
    "1.1.1", "1.2.1", "1.3.1", "1.4.1", "1.5.1", "1.5.2", "1.6.1", "1.6.2", "1.6.3", "1.6.4", "1.7.1",
    "1.8.1", "1.9.1", "1.10.1", "1.13.1", "1.14.1", "1.16.1", "1.17.1", "1.18.1", "1.20a", "1.20b",
    "2.1.0", "2.1.1", "2.3.1", "2.4.1", "2.8.1", "2.12.1", "2.15.1", "2.16.1", "2.17.1", "2.20",
    "4.17.1", "4.18.0", "4.18.1", "4.20",
    "5.2", "5.10",
)  # fmt: skip

PSR_QUESTIONS = ("1.6.2", "1.6.3", "1.6.4", "1.7.1", "1.8.1", "1.9.1")


def test_route_scenario_psr_no_then_yes_hides_and_restores_the_psr_questions(bank: Bank) -> None:
    facts = Facts(programme="sqs", country="England")
    with_psr = route(bank, facts, SQS_ENGLAND_WITH_PSR_ANSWERS)
    no_psr_answers = {**SQS_ENGLAND_WITH_PSR_ANSWERS, "1.6.1": "No"}
    without_psr = route(bank, facts, no_psr_answers)
    back = route(bank, facts, {**no_psr_answers, "1.6.1": "Yes"})

    assert list(with_psr.asked) == list(SQS_ENGLAND_WITH_PSR_ASKED)
    assert with_psr.hidden == ()
    # 1.6.4 goes too: its judgement 1.6.3 is no longer asked, so it cannot be Insufficient.
    assert list(without_psr.asked) == list(SQS_ENGLAND_COMMUNITY_ASKED)
    assert without_psr.hidden == PSR_QUESTIONS
    assert not set(PSR_QUESTIONS) & set(without_psr.required)
    assert no_psr_answers["1.6.4"] == SQS_ENGLAND_WITH_PSR_ANSWERS["1.6.4"]  # the answer itself is kept
    assert back == with_psr


def test_route_scenario_first_interview_then_not_hides_view_5(bank: Bank) -> None:
    facts = Facts(programme="sqs", country="Wales", alert=True)
    answers = {**SQS_WALES_CUSTODIAL_PSR_ALERT_ANSWERS, "13b": "Yes"}

    result = route(bank, facts, answers)

    assert _view(bank, result.asked, 5) == ["5.2", "5.10", "5.15.1", "5.15.2"]
    assert result.hidden == (
        "5.3a", "5.3b", "5.3c", "5.3d", "5.4.1", "5.4.2", "5.5", "5.7.1a", "5.7.1b", "5.7.1c", "5.7.2", "5.8", "5.9",
    )  # fmt: skip
    assert route(bank, facts, {**answers, "13b": "No"}).asked == SQS_WALES_CUSTODIAL_PSR_ALERT_ASKED


@pytest.mark.parametrize(
    ("change", "view_4", "hidden"),
    [
        pytest.param(
            {},
            ["4.17.1", "4.18.0", "4.18.1", "4.18.2", "4.18.3", "4.20"],
            (),
            id="not-fully-complied-asks-4.18.2-and-its-explanation",
        ),
        pytest.param(
            {"4.18.0": "Yes"},
            ["4.17.1", "4.18.0", "4.18.1", "4.20"],
            ("4.18.2", "4.18.3"),
            id="fully-complied-removes-4.18.2-and-4.18.3",
        ),
        pytest.param(
            {"4.18.1": "N/A"},
            ["4.17.1", "4.18.0", "4.18.1", "4.20"],
            ("4.18.2", "4.18.3"),
            id="no-opportunity-to-comply-removes-4.18.2-and-4.18.3",
        ),
    ],
)
def test_route_scenario_compliance_answers_decide_4_18_2(
    bank: Bank, change: dict[str, str], view_4: list[str], hidden: tuple[str, ...]
) -> None:
    facts = Facts(programme="sqs", country="England")
    answers = {
        **SQS_ENGLAND_COMMUNITY_ANSWERS,
        "4.18.0": "No",
        "4.18.1": "Sufficient",
        "4.18.2": "Insufficient",
        "4.18.3": ("Breach action not taken where required, or not taken in a timely fashion",),
        **change,
    }

    result = route(bank, facts, answers)

    assert _view(bank, result.asked, 4) == view_4
    assert result.hidden == hidden


def test_route_scenario_fji_changed_sentence_and_mappa_remove_later_questions(bank: Bank) -> None:
    """Scenario 4 turned into a first-tier case without MAPPA: the custodial and MAPPA questions go."""
    scenario = SCENARIOS["fji-england-court-interventions-s90-mappa-level2-fully-complied"]
    answers = {**scenario.answers, "10.a": "Reparation Order", "12a": "No"}

    result = route(bank, scenario.facts, answers)

    removed = ("10.c", "12.b", "12.c", "2.0.1", "2.9.1", "2.10.1", "2.13.1", "3.4.3", "3.6.3", "3.10.1", "3.10.2")
    assert list(result.asked) == [q for q in scenario.asked if q not in removed]
    assert result.hidden == removed
    assert route(bank, scenario.facts, scenario.answers).asked == scenario.asked


# --------------------------------------------------------------------------------------------------
# One explanation of several judgements (``explains`` a list).


def test_route_scenario_3_8_1_1_is_asked_when_any_part_of_3_8_1_is_insufficient(bank: Bank) -> None:
    """The guide prints one explanation (3.8.1.1) for the whole of 3.8.1, parts a)-e): part c) alone asks it."""
    scenario = SCENARIOS["fji-wales-governance-yro-iss-first-interview-alert"]
    answers = {
        **scenario.answers,
        "3.8.1c": "Insufficient",
        "3.8.1.1": (
            "Interventions not selected on a clear assessment of their suitability for the child or young person",
        ),
    }

    result = route(bank, scenario.facts, answers)

    assert _view(bank, result.asked, 3) == [
        "3.1.1", "3.2.1", "3.3.1", "3.4.1", "3.5.1", "3.6.1", "3.6.1.1", "3.7.1", "3.8.1a", "3.8.1b",
        "3.8.1c", "3.8.1d", "3.8.1e", "3.8.1.1", "3.8.2", "3.12.1", "3.12.2", "3.14.1", "3.16.1", "3.18.1",
        "3.20",
    ]  # fmt: skip
    assert result.hidden == ()


def test_route_scenario_3_8_1_1_not_asked_when_every_part_of_3_8_1_is_sufficient(bank: Bank) -> None:
    scenario = SCENARIOS["fji-wales-governance-yro-iss-first-interview-alert"]
    answers = {**scenario.answers, "3.8.1.1": ("Other",)}

    result = route(bank, scenario.facts, answers)

    assert "3.8.1.1" not in result.asked
    assert result.hidden == ("3.8.1.1",)
    assert bank.question("3.8.1.1").explains == ("3.8.1a", "3.8.1b", "3.8.1c", "3.8.1d", "3.8.1e")


@pytest.mark.parametrize(
    ("parts", "asked_in_view_5"),
    [
        pytest.param(("Sufficient", "Insufficient", "Sufficient"), ["5.1.2", "5.1.4"], id="b-insufficient"),
        pytest.param(("Insufficient", "Sufficient", "Sufficient"), ["5.1.2", "5.1.4"], id="a-insufficient"),
        pytest.param(("Sufficient", "Sufficient", "Insufficient"), ["5.1.2", "5.1.4"], id="c-insufficient"),
        pytest.param(("Sufficient", "Sufficient", "Sufficient"), [], id="all-sufficient"),
    ],
)
def test_route_scenario_5_1_2_explains_every_part_of_5_1_1(
    bank: Bank, parts: tuple[str, str, str], asked_in_view_5: list[str]
) -> None:
    """5.1.2 explains 5.1.1a-c; 5.1.3-5.1.5 still follow its ticks (here 5.1.4)."""
    scenario = SCENARIOS["fji-wales-governance-yro-iss-first-interview-alert"]
    answers = {**scenario.answers, **dict(zip(("5.1.1a", "5.1.1b", "5.1.1c"), parts, strict=True))}

    result = route(bank, scenario.facts, answers)

    assert [
        qid for qid in _view(bank, result.asked, 5) if qid in ("5.1.2", "5.1.3", "5.1.4", "5.1.5")
    ] == asked_in_view_5
    assert ("5.1.2" in result.required) is bool(asked_in_view_5)
    assert bank.question("5.1.2").kind == "explanation"
    assert bank.question("5.1.2").explains == ("5.1.1a", "5.1.1b", "5.1.1c")
