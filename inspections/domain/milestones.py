"""The inspection timelines of the rulebook, as data.

SQS: seed 000 §15 (the table), with the working-day rules of §2, §10.1, §10.2, §10.4 and §14.
FJI: seed 001 §5 (the table), with §2 (notice) and §9 (Information in Advance).

Each milestone has two positions:

* ``week``/``weekday``: where the seed's table puts it, in calendar weeks around the
  (first) fieldwork week, week 0;
* ``anchor``/``working_days``: the same place expressed as a count of working days from
  an earlier point. Where the seeds say the count in words (``counted=True``: "the Friday 11
  working days before the start of fieldwork", "noon on Thursday seven working days before",
  "4.00pm on Monday five working days before", "three working days are allowed") it is a rule;
  elsewhere it is only the table position's distance in a week without bank holidays.

The table's weekday of its week is the plan (the seeds name the weekday every time). Where bank
holidays leave fewer working days than a counted rule needs, the milestone keeps its weekday and
moves by whole weeks away from its anchor until the count holds; a date that is a bank holiday
moves to the working day before. Nothing else is chained by working days: publication is the
Wednesday of its week, whatever the factual-accuracy date. The timeline warns whenever a date is
not the table's, naming both dates (``timeline.place``; docs/rulebook.md).

Fieldwork weeks themselves are calendar weeks (the team is booked for them), so they are
anchored by ``calendar=True``; seed 002 says inspection periods exclude bank-holiday weeks,
so a bank holiday inside one is a warning on the timeline and an error on the form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Labels and notes are marked for the translation catalogue and translated where shown.
from django.utils.translation import gettext_noop

HMIP = "hmip"
YOT = "yot"

MON, TUE, WED, THU, FRI = range(5)


@dataclass(frozen=True)
class MilestoneRule:
    key: str
    label: str
    owner: str  # HMIP or YOT: who must act
    week: int  # the table's week, relative to fieldwork week (1) = 0
    weekday: int
    anchor: str  # "fieldwork_start" or the key of an earlier milestone
    working_days: int  # offset from the anchor, in working days
    time: dt.time | None = None
    calendar: bool = False  # a fixed calendar position (fieldwork weeks), not a working-day count
    countries: tuple[str, ...] = ("england", "wales")
    deadline: bool = True  # a deadline someone must meet, as opposed to a scheduled event
    source: str = ""
    note: str = ""
    # The working-day count is the seeds' own rule ("the Friday 11 working days before"), not only
    # the table position's distance: the timeline keeps at least that many (``timeline.place``).
    counted: bool = False

    def applies_to(self, country: str) -> bool:
        return country in self.countries


NOON = dt.time(12, 0)

SQS_MILESTONES: tuple[MilestoneRule, ...] = (
    MilestoneRule(
        "announcement",
        gettext_noop("HMI Probation announces the inspection by telephone and email"),
        HMIP,
        -3,
        FRI,
        "fieldwork_start",
        -11,
        time=dt.time(9, 30),
        counted=True,
        source="seed 000 §2, §10.1, §15",
        note=gettext_noop("The Friday 11 working days before fieldwork, usually 9:30 to 10:30am."),
    ),
    MilestoneRule(
        "planning_meeting",
        gettext_noop("Inspection planning meeting by telephone (at least an hour)"),
        HMIP,
        -2,
        TUE,
        "fieldwork_start",
        -9,
        source="seed 000 §10.4",
        note=gettext_noop("'Early the following week': read as by the Tuesday two weeks before fieldwork."),
    ),
    MilestoneRule(
        "long_list_due",
        gettext_noop("YOT sends the long-list of cases, with case manager availability"),
        YOT,
        -2,
        THU,
        "fieldwork_start",
        -7,
        time=NOON,
        counted=True,
        source="seed 000 §10.2, §15, Appendix A",
    ),
    MilestoneRule(
        "sample_due",
        gettext_noop("HMI Probation sends the selected case sample and case assessment schedule"),
        HMIP,
        -1,
        MON,
        "fieldwork_start",
        -5,
        time=dt.time(16, 0),
        counted=True,
        source="seed 000 §10.4, §15",
    ),
    MilestoneRule(
        "iia_due",
        gettext_noop("YOT sends Information in Advance to the lead inspector and SSO"),
        YOT,
        -1,
        MON,
        "fieldwork_start",
        -5,
        time=dt.time(17, 0),
        source="seed 000 §10.2, §15",
        note=gettext_noop("'No later than 5pm on the Monday immediately before the start of fieldwork'."),
    ),
    MilestoneRule(
        "final_schedule_due",
        gettext_noop("HMI Probation sends the FINAL case assessment schedule"),
        HMIP,
        -1,
        THU,
        "fieldwork_start",
        -2,
        source="seed 000 §15",
    ),
    MilestoneRule(
        "fieldwork_start",
        gettext_noop("Inspection team arrive; health, safety and IT briefing at 1:30pm"),
        HMIP,
        0,
        MON,
        "fieldwork_start",
        0,
        time=dt.time(13, 0),
        calendar=True,
        deadline=False,
        source="seed 000 §3.3, §12.1, §15",
    ),
    MilestoneRule(
        "fieldwork_end",
        gettext_noop("Inspection fieldwork ends"),
        HMIP,
        0,
        WED,
        "fieldwork_start",
        2,
        time=dt.time(18, 0),
        calendar=True,
        deadline=False,
        source="seed 000 §3.3, §15",
    ),
    MilestoneRule(
        "report_drafted",
        gettext_noop("Lead inspector drafts the short report (Thursday and Friday)"),
        HMIP,
        0,
        FRI,
        "fieldwork_end",
        2,
        source="seed 000 §15",
    ),
    MilestoneRule(
        "interim_feedback",
        gettext_noop("Interim telephone feedback to the YOT manager, where possible"),
        HMIP,
        0,
        FRI,
        "fieldwork_end",
        2,
        deadline=False,
        source="seed 000 §14.2, §15",
    ),
    MilestoneRule(
        "report_quality_assured",
        gettext_noop("Draft report edited and quality assured"),
        HMIP,
        1,
        MON,
        "fieldwork_end",
        3,
        source="seed 000 §15",
    ),
    MilestoneRule(
        "draft_report_due",
        gettext_noop("Draft report sent to the YOT manager to check for factual inaccuracies"),
        HMIP,
        1,
        WED,
        "fieldwork_end",
        5,
        time=dt.time(17, 0),
        source="seed 000 §14.3, §15",
        note=gettext_noop("'By close of business on the Wednesday immediately following fieldwork', read as 5pm."),
    ),
    MilestoneRule(
        "factual_accuracy_due",
        gettext_noop("YOT returns factual inaccuracies"),
        YOT,
        2,
        MON,
        "draft_report_due",
        3,
        counted=True,
        source="seed 000 §14.3, §15",
        note=gettext_noop("'Three working days are allowed for this.'"),
    ),
    MilestoneRule(
        "translation_sent",
        gettext_noop("Report sent for Welsh translation, after proof reading"),
        HMIP,
        2,
        FRI,
        "factual_accuracy_due",
        4,
        countries=("wales",),
        source="seed 000 §1, §15",
        note=gettext_noop("The table gives week +2 and no day: read as by the Friday of week +2."),
    ),
    MilestoneRule(
        "publication_due",
        gettext_noop("Report published (normally Wednesday)"),
        HMIP,
        3,
        WED,
        "factual_accuracy_due",
        7,
        countries=("england",),
        source="seed 000 §14.4, §15",
    ),
    MilestoneRule(
        "publication_due",
        gettext_noop("Report published (normally Wednesday)"),
        HMIP,
        5,
        WED,
        "factual_accuracy_due",
        17,
        countries=("wales",),
        source="seed 000 §14.4, §15",
        note=gettext_noop("Wales publishes about two weeks later than England, after translation."),
    ),
)

FJI_MILESTONES: tuple[MilestoneRule, ...] = (
    MilestoneRule(
        "announcement",
        gettext_noop("HMI Probation gives notice by telephone and email; planning documents sent"),
        HMIP,
        -3,
        FRI,
        "fieldwork_start",
        -11,
        source="seed 001 §2, §5",
        note=gettext_noop("'The Friday two weeks before we are due to arrive on site'."),
    ),
    MilestoneRule(
        "planning_meeting",
        gettext_noop("Planning meeting between lead inspector and YOT manager"),
        HMIP,
        -2,
        TUE,
        "fieldwork_start",
        -9,
        source="seed 001 §5",
        note=gettext_noop("'Monday or Tuesday' two weeks before fieldwork: due by the Tuesday."),
    ),
    MilestoneRule(
        "long_list_due",
        gettext_noop("YOT sends the long-list of cases"),
        YOT,
        -2,
        THU,
        "fieldwork_start",
        -7,
        time=NOON,
        source="seed 001 §5, §8",
    ),
    MilestoneRule(
        "sample_due",
        gettext_noop("YOT receives the selected case sample"),
        HMIP,
        -1,
        MON,
        "fieldwork_start",
        -5,
        time=dt.time(17, 0),
        source="seed 001 §5",
    ),
    MilestoneRule(
        "final_schedule_due",
        gettext_noop("YOT sends the draft case assessment schedule for fieldwork week 1"),
        YOT,
        -1,
        THU,
        "fieldwork_start",
        -2,
        time=NOON,
        source="seed 001 §5, §8",
        note=gettext_noop("The YOT fills the schedule template; the lead inspector approves it."),
    ),
    MilestoneRule(
        "iia_due",
        gettext_noop("YOT sends Information in Advance"),
        YOT,
        -1,
        THU,
        "fieldwork_start",
        -2,
        time=NOON,
        source="seed 001 §5 (table); §9 says 5pm Monday",
        note=gettext_noop(
            "The inspection timetable says noon on the Thursday before fieldwork; the guidance also says "
            "'no later than 5pm on the Monday preceding the first fieldwork week'. The timetable's date is used."
        ),
    ),
    MilestoneRule(
        "fieldwork_start",
        gettext_noop("Fieldwork week 1: team arrives 1pm; case inspection from 3pm"),
        HMIP,
        0,
        MON,
        "fieldwork_start",
        0,
        # The first fieldwork day starts when the team arrives (seed 001 §5: "arrive 1pm").
        time=dt.time(13, 0),
        calendar=True,
        deadline=False,
        source="seed 001 §3, §5",
    ),
    MilestoneRule(
        "fieldwork_end",
        gettext_noop("Fieldwork week 1 ends: inspectors leave site by 1:30pm"),
        HMIP,
        0,
        FRI,
        "fieldwork_start",
        4,
        time=dt.time(13, 30),
        calendar=True,
        deadline=False,
        source="seed 001 §5",
    ),
    MilestoneRule(
        "week2_schedule_due",
        gettext_noop("YOT sends the fieldwork week 2 schedule of meetings"),
        YOT,
        1,
        THU,
        "fieldwork_end",
        4,
        time=NOON,
        source="seed 001 §5",
    ),
    MilestoneRule(
        "fieldwork_week2_start",
        gettext_noop("Fieldwork week 2: team arrives 1pm"),
        HMIP,
        2,
        MON,
        "fieldwork_start",
        10,
        time=dt.time(13, 0),
        calendar=True,
        deadline=False,
        source="seed 001 §3, §5",
    ),
    MilestoneRule(
        "fieldwork_week2_end",
        gettext_noop("Inspection team presents draft findings (10am); fieldwork ends"),
        HMIP,
        2,
        FRI,
        "fieldwork_start",
        14,
        time=dt.time(10, 0),
        calendar=True,
        deadline=False,
        source="seed 001 §3, §5",
    ),
    MilestoneRule(
        "report_agreed",
        gettext_noop("Draft report written and agreed by partner inspectorates"),
        HMIP,
        4,
        FRI,
        "fieldwork_week2_end",
        10,
        source="seed 001 §5 ('+3 and 4')",
    ),
    MilestoneRule(
        "draft_report_due",
        gettext_noop("Draft report sent to the YOT manager for comment"),
        HMIP,
        5,
        MON,
        "fieldwork_week2_end",
        11,
        source="seed 001 §5",
    ),
    MilestoneRule(
        "factual_accuracy_due",
        gettext_noop("YOT returns factual inaccuracies"),
        YOT,
        6,
        FRI,
        "draft_report_due",
        9,
        source="seed 001 §5",
    ),
    MilestoneRule(
        "publication_due",
        gettext_noop("Inspection report published (approximately)"),
        HMIP,
        11,
        WED,
        "factual_accuracy_due",
        23,
        source="seed 001 §5",
        note=gettext_noop("Seed 001 gives one publication week for England and Wales alike."),
    ),
    MilestoneRule(
        "improvement_plan_due",
        gettext_noop("YOT sends its improvement plan"),
        YOT,
        15,
        FRI,
        "publication_due",
        22,
        source="seed 001 §5, §12",
        note=gettext_noop("The table gives week +15 and no day: read as by the Friday of week +15."),
    ),
)

MILESTONES = {"sqs": SQS_MILESTONES, "fji": FJI_MILESTONES}


def _validate() -> None:
    """Anchors name earlier milestones; calendar offsets match the table; keys are unique per country."""
    for programme, rules in MILESTONES.items():
        for country in ("england", "wales"):
            seen: set[str] = {"fieldwork_start"}
            for rule in rules:
                if not rule.applies_to(country):
                    continue
                if rule.anchor not in seen:
                    raise AssertionError(f"{programme}/{rule.key}: anchor {rule.anchor} is not an earlier milestone")
                if rule.key in seen and rule.key != "fieldwork_start":
                    raise AssertionError(f"{programme}/{country}: milestone {rule.key} appears twice")
                seen.add(rule.key)


_validate()
