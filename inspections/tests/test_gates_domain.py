"""The pure gates of inspections.domain.gates: no database."""

import datetime as dt

import pytest

from inspections.domain.gates import (
    Booking,
    clock,
    draft_report_problems,
    fieldwork_problems,
    person_clash_problems,
    shared_weeks,
    weeks_on_site,
    yot_clash_problems,
)
from inspections.domain.timeline import LONDON

MONDAY = dt.date(2027, 2, 8)
STARTS = dt.datetime(2027, 2, 8, 13, 0, tzinfo=LONDON)
ENDS = dt.datetime(2027, 2, 10, 18, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(STARTS, "1pm on Monday 8 February 2027", id="afternoon"),
        pytest.param(dt.datetime(2027, 2, 8, 12, 0, tzinfo=LONDON), "midday on Monday 8 February 2027", id="midday"),
        pytest.param(dt.datetime(2027, 2, 8, 9, 30, tzinfo=LONDON), "9:30am on Monday 8 February 2027", id="minutes"),
        pytest.param(dt.datetime(2027, 6, 7, 16, 0, tzinfo=dt.UTC), "5pm on Monday 7 June 2027", id="summer-time"),
    ],
)
def test_clock_writes_uk_time_the_govuk_way(moment, expected):
    assert clock(moment) == expected


@pytest.mark.parametrize(
    ("now", "problems"),
    [
        pytest.param(
            STARTS - dt.timedelta(minutes=1),
            [
                "Fieldwork starts at 1pm on Monday 8 February 2027: the inspection can be marked as in fieldwork from then."
            ],
            id="a-minute-before",
        ),
        pytest.param(STARTS, [], id="at-the-start"),
        pytest.param(STARTS + dt.timedelta(days=1), [], id="the-next-day"),
    ],
)
def test_fieldwork_not_before_the_team_is_due_on_site(now, problems):
    assert fieldwork_problems(starts_at=STARTS, now=now) == problems


@pytest.mark.parametrize(
    ("now", "problems"),
    [
        pytest.param(
            ENDS - dt.timedelta(hours=1),
            ["Fieldwork ends at 6pm on Wednesday 10 February 2027: the draft report can be started after that."],
            id="during-fieldwork",
        ),
        pytest.param(ENDS, [], id="as-it-ends"),
        pytest.param(ENDS + dt.timedelta(days=2), [], id="after"),
    ],
)
def test_draft_report_not_before_fieldwork_ends(now, problems):
    assert draft_report_problems(fieldwork_ends_at=ENDS, now=now) == problems


@pytest.mark.parametrize(
    ("programme", "start", "weeks"),
    [
        pytest.param("sqs", MONDAY, [MONDAY], id="sqs-one-week"),
        pytest.param("fji", MONDAY, [MONDAY, MONDAY + dt.timedelta(weeks=2)], id="fji-two-weeks-a-week-apart"),
    ],
)
def test_weeks_on_site(programme, start, weeks):
    assert weeks_on_site(Booking("X", programme, start)) == weeks


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        pytest.param(Booking("A", "sqs", MONDAY), Booking("B", "sqs", MONDAY), [MONDAY], id="sqs-same-week"),
        pytest.param(
            Booking("A", "sqs", MONDAY), Booking("B", "sqs", MONDAY + dt.timedelta(weeks=1)), [], id="sqs-next-week"
        ),
        pytest.param(
            Booking("A", "fji", MONDAY),
            Booking("B", "sqs", MONDAY + dt.timedelta(weeks=2)),
            [MONDAY + dt.timedelta(weeks=2)],
            id="sqs-in-the-fji-second-week",
        ),
        pytest.param(
            Booking("A", "fji", MONDAY),
            Booking("B", "sqs", MONDAY + dt.timedelta(weeks=1)),
            [],
            id="sqs-in-the-fji-gap-week",
        ),
        pytest.param(
            Booking("A", "fji", MONDAY),
            Booking("B", "fji", MONDAY + dt.timedelta(weeks=2)),
            [MONDAY + dt.timedelta(weeks=2)],
            id="fji-week-two-is-the-other-fji-week-one",
        ),
    ],
)
def test_shared_weeks(a, b, shared):
    assert shared_weeks(a, b) == shared
    assert shared_weeks(b, a) == shared


def test_a_person_on_another_inspection_that_week_is_named_with_both_inspections_and_the_week():
    booking = Booking("SQS-2027-002", "sqs", MONDAY)
    others = [
        Booking("SQS-2027-001", "sqs", MONDAY, "Leeds YOT"),
        Booking("SQS-2027-003", "sqs", MONDAY + dt.timedelta(weeks=1), "York YOT"),
        booking,  # the inspection itself never clashes with itself
    ]
    assert person_clash_problems(name="Sam Okafor", booking=booking, others=others) == [
        "Sam Okafor is already on SQS-2027-001 (Leeds YOT), on site in the week beginning Monday 8 February 2027: "
        "they cannot also be on SQS-2027-002 that week."
    ]


def test_a_person_clash_before_the_inspection_has_a_reference_says_this_inspection():
    problems = person_clash_problems(
        name="Lena Hughes", booking=Booking("", "sqs", MONDAY), others=[Booking("FJI-2027-001", "fji", MONDAY)]
    )
    assert problems == [
        "Lena Hughes is already on FJI-2027-001, on site in the week beginning Monday 8 February 2027: "
        "they cannot also be on this inspection that week."
    ]


def test_a_yot_with_a_live_inspection_names_it_with_its_fieldwork_date():
    assert yot_clash_problems(yot_name="Leeds YOT", live=[Booking("SQS-2027-001", "sqs", MONDAY)]) == [
        "Leeds YOT already has an inspection that is not yet published: SQS-2027-001, fieldwork from "
        "Monday 8 February 2027. Plan the next one once that report is published."
    ]
    assert yot_clash_problems(yot_name="Leeds YOT", live=[]) == []
