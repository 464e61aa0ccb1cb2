"""Working-day arithmetic and the timelines, checked against worked examples from the seeds' tables.

Seed 000 §15 (SQS) and seed 001 §5 (FJI) give each milestone as a weekday of a week counted
from fieldwork; the SQS text adds working-day counts (§10.1: 11 working days; §10.2: 7; §10.4: 5;
§14.3: 3). The table's weekday is the plan; a counted milestone that bank holidays leave short
moves by whole weeks (keeping its weekday), and a date on a bank holiday moves to the working day
before. The holiday cases put Easter, the May and August bank holidays and Christmas in each
position around fieldwork.
"""

import datetime as dt

import pytest

from inspections.domain.timeline import (
    DONE,
    DUE_SOON,
    LONDON,
    OVERDUE,
    UPCOMING,
    TimelineError,
    compute_timeline,
    milestone_state,
)
from inspections.domain.workdays import WorkingCalendar

D = dt.date

ENGLAND = WorkingCalendar("england")


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(D(2027, 2, 8), -1, D(2027, 2, 5), id="monday-minus-1-is-friday"),
        pytest.param(D(2027, 2, 8), -11, D(2027, 1, 22), id="11-working-days-before-is-friday-week-minus-3"),
        pytest.param(D(2027, 2, 8), 0, D(2027, 2, 8), id="zero-is-the-same-day"),
        pytest.param(D(2027, 2, 10), 5, D(2027, 2, 17), id="wednesday-plus-5-is-next-wednesday"),
        pytest.param(D(2027, 3, 31), 1, D(2027, 4, 1), id="no-holiday"),
        pytest.param(D(2027, 3, 25), 1, D(2027, 3, 30), id="skips-good-friday-and-easter-monday"),
        pytest.param(D(2027, 3, 30), -1, D(2027, 3, 25), id="back-over-easter"),
        pytest.param(D(2027, 12, 24), 1, D(2027, 12, 29), id="christmas-substitute-days-2027"),
        pytest.param(D(2027, 4, 30), 1, D(2027, 5, 4), id="early-may-bank-holiday"),
    ],
)
def test_add_working_days_counts_weekdays_that_are_not_bank_holidays(start, n, expected):
    assert ENGLAND.add_working_days(start, n) == expected


def test_working_days_between_is_the_inverse_of_adding():
    for n in (-12, -5, -1, 1, 3, 7, 23):
        day = ENGLAND.add_working_days(D(2027, 3, 15), n)
        assert ENGLAND.working_days_between(D(2027, 3, 15), day) == n


def test_wales_has_the_same_bank_holidays_as_england_in_2027():
    wales = WorkingCalendar("wales")
    days = [D(2027, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    assert [d for d in days if wales.holiday_name(d)] == [d for d in days if ENGLAND.holiday_name(d)]


def _dates(timeline):
    return {m.key: (m.date, m.time) for m in timeline.milestones}


T = dt.time
SQS_CLEAN = {
    # Seed 000 §15 with fieldwork on Monday 8 February 2027 (no bank holiday from January 4 to March 26).
    "announcement": (D(2027, 1, 22), T(9, 30)),  # week -3 Friday
    "planning_meeting": (D(2027, 1, 26), None),  # "early the following week"
    "long_list_due": (D(2027, 1, 28), T(12, 0)),  # week -2 Thursday noon
    "sample_due": (D(2027, 2, 1), T(16, 0)),  # week -1 Monday 4pm
    "iia_due": (D(2027, 2, 1), T(17, 0)),  # week -1 Monday 5pm
    "final_schedule_due": (D(2027, 2, 4), None),  # week -1 Thursday
    "fieldwork_start": (D(2027, 2, 8), T(13, 0)),
    "fieldwork_end": (D(2027, 2, 10), T(18, 0)),
    "report_drafted": (D(2027, 2, 12), None),
    "interim_feedback": (D(2027, 2, 12), None),
    "report_quality_assured": (D(2027, 2, 15), None),
    "draft_report_due": (D(2027, 2, 17), T(17, 0)),  # week +1 Wednesday close of business
    "factual_accuracy_due": (D(2027, 2, 22), None),  # week +2 Monday
    "publication_due": (D(2027, 3, 3), None),  # week +3 Wednesday (England)
}


def test_sqs_england_timeline_matches_the_seed_table_in_a_week_without_holidays():
    timeline = compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 2, 8))
    assert _dates(timeline) == SQS_CLEAN
    assert timeline.warnings == ()


def test_sqs_wales_publishes_two_weeks_later_after_translation():
    timeline = compute_timeline(programme="sqs", country="wales", fieldwork_start=D(2027, 2, 8))
    expected = dict(SQS_CLEAN, translation_sent=(D(2027, 2, 26), None), publication_due=(D(2027, 3, 17), None))
    assert _dates(timeline) == expected
    assert timeline.warnings == ()


def test_fji_timeline_matches_the_seed_table_before_and_during_fieldwork():
    # Seed 001 §5 with fieldwork week 1 on Monday 20 September 2027.
    dates = _dates(compute_timeline(programme="fji", country="england", fieldwork_start=D(2027, 9, 20)))
    assert {
        k: dates[k]
        for k in (
            "announcement",
            "planning_meeting",
            "long_list_due",
            "sample_due",
            "final_schedule_due",
            "iia_due",
            "fieldwork_start",
            "fieldwork_end",
            "week2_schedule_due",
            "fieldwork_week2_start",
            "fieldwork_week2_end",
            "report_agreed",
            "draft_report_due",
            "factual_accuracy_due",
            "publication_due",
        )
    } == {
        "announcement": (D(2027, 9, 3), None),  # week -3 Friday
        "planning_meeting": (D(2027, 9, 7), None),  # week -2 Monday or Tuesday
        "long_list_due": (D(2027, 9, 9), T(12, 0)),  # week -2 Thursday noon
        "sample_due": (D(2027, 9, 13), T(17, 0)),  # week -1 Monday 5pm
        "final_schedule_due": (D(2027, 9, 16), T(12, 0)),  # week -1 Thursday noon (YOT's draft)
        "iia_due": (D(2027, 9, 16), T(12, 0)),  # week -1 Thursday noon (table)
        "fieldwork_start": (D(2027, 9, 20), T(13, 0)),  # Monday: the team arrives at 1pm
        "fieldwork_end": (D(2027, 9, 24), T(13, 30)),  # Friday, leave by 1:30pm
        "week2_schedule_due": (D(2027, 9, 30), T(12, 0)),  # week +1 Thursday noon
        "fieldwork_week2_start": (D(2027, 10, 4), T(13, 0)),  # week +2 Monday 1pm
        "fieldwork_week2_end": (D(2027, 10, 8), T(10, 0)),  # week +2 Friday 10am presentation
        "report_agreed": (D(2027, 10, 22), None),  # weeks +3 and +4
        "draft_report_due": (D(2027, 10, 25), None),  # week +5 Monday
        "factual_accuracy_due": (D(2027, 11, 5), None),  # week +6 Friday
        "publication_due": (D(2027, 12, 8), None),  # week +11 Wednesday
    }


def test_fji_improvement_plan_is_the_friday_of_week_15_even_after_christmas():
    # Not chained by working days from publication: Christmas lies between but the date stays.
    timeline = compute_timeline(programme="fji", country="england", fieldwork_start=D(2027, 9, 20))
    plan = timeline.get("improvement_plan_due")
    assert plan.table_date == plan.date == D(2028, 1, 7)  # week +15 Friday
    assert timeline.warnings == ()


@pytest.mark.parametrize(
    ("programme", "start", "key", "table_date", "date"),
    [
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        pytest.param("sqs", D(2027, 4, 12), "announcement", D(2027, 3, 26), D(2027, 3, 19),
                     id="good-friday-on-the-announcement-friday-moves-a-week-back-to-friday-19-march"),
        pytest.param("sqs", D(2027, 4, 12), "long_list_due", D(2027, 4, 1), D(2027, 4, 1),
                     id="easter-before-the-long-list-leaves-it-on-thursday-1-april"),
        pytest.param("sqs", D(2027, 4, 5), "long_list_due", D(2027, 3, 25), D(2027, 3, 18),
                     id="easter-in-the-long-lists-seven-days-moves-it-to-thursday-18-march"),
        pytest.param("sqs", D(2027, 4, 5), "sample_due", D(2027, 3, 29), D(2027, 3, 25),
                     id="sample-monday-on-easter-monday-is-the-working-day-before-thursday-25-march"),
        pytest.param("sqs", D(2027, 4, 5), "announcement", D(2027, 3, 19), D(2027, 3, 12),
                     id="easter-in-the-announcements-eleven-days-moves-it-to-friday-12-march"),
        pytest.param("sqs", D(2027, 4, 5), "planning_meeting", D(2027, 3, 23), D(2027, 3, 23),
                     id="planning-meeting-keeps-its-tuesday-23-march"),
        pytest.param("sqs", D(2027, 3, 15), "factual_accuracy_due", D(2027, 3, 29), D(2027, 4, 5),
                     id="easter-in-the-yots-three-days-moves-factual-accuracy-a-week-on-to-monday-5-april"),
        pytest.param("sqs", D(2027, 3, 15), "publication_due", D(2027, 4, 7), D(2027, 4, 7),
                     id="publication-stays-wednesday-of-week-3-whatever-the-factual-accuracy-date"),
        # May Day 3 May 2027; Spring bank holiday 31 May 2027.
        pytest.param("sqs", D(2027, 5, 10), "announcement", D(2027, 4, 23), D(2027, 4, 16),
                     id="may-day-in-week-minus-1-moves-the-announcement-to-friday-16-april"),
        pytest.param("sqs", D(2027, 5, 10), "iia_due", D(2027, 5, 3), D(2027, 4, 30),
                     id="iia-monday-on-may-day-is-friday-30-april"),
        pytest.param("sqs", D(2027, 6, 7), "sample_due", D(2027, 5, 31), D(2027, 5, 28),
                     id="sample-monday-on-spring-bank-holiday-is-friday-28-may"),
        pytest.param("sqs", D(2027, 6, 7), "long_list_due", D(2027, 5, 27), D(2027, 5, 20),
                     id="spring-bank-holiday-in-the-long-lists-seven-days-moves-it-to-thursday-20-may"),
        # Late summer bank holiday 30 August 2027, in week -1 and in week -2.
        pytest.param("sqs", D(2027, 9, 6), "long_list_due", D(2027, 8, 26), D(2027, 8, 19),
                     id="august-bank-holiday-in-week-minus-1-moves-the-long-list-to-thursday-19-august"),
        pytest.param("sqs", D(2027, 9, 13), "long_list_due", D(2027, 9, 2), D(2027, 9, 2),
                     id="august-bank-holiday-in-week-minus-2-leaves-the-long-list-on-thursday-2-september"),
        pytest.param("sqs", D(2027, 9, 13), "announcement", D(2027, 8, 27), D(2027, 8, 20),
                     id="august-bank-holiday-in-week-minus-2-moves-the-announcement-to-friday-20-august"),
        # Christmas 2027: 27 and 28 December substitute days, 3 January 2028.
        pytest.param("sqs", D(2028, 1, 10), "announcement", D(2027, 12, 24), D(2027, 12, 17),
                     id="christmas-moves-the-announcement-to-friday-17-december"),
        pytest.param("sqs", D(2028, 1, 10), "planning_meeting", D(2027, 12, 28), D(2027, 12, 24),
                     id="planning-meeting-on-boxing-day-observed-is-friday-24-december"),
        pytest.param("sqs", D(2028, 1, 10), "long_list_due", D(2027, 12, 30), D(2027, 12, 23),
                     id="new-year-moves-the-long-list-to-thursday-23-december"),
        pytest.param("sqs", D(2028, 1, 10), "sample_due", D(2028, 1, 3), D(2027, 12, 31),
                     id="sample-monday-on-new-year-observed-is-friday-31-december"),
        pytest.param("sqs", D(2027, 12, 6), "publication_due", D(2027, 12, 29), D(2027, 12, 29),
                     id="publication-on-wednesday-29-december-is-a-working-day-and-stays"),
        pytest.param("sqs", D(2027, 12, 13), "factual_accuracy_due", D(2027, 12, 27), D(2027, 12, 31),
                     id="christmas-in-the-yots-three-days-moves-factual-accuracy-a-week-on-then-off-new-year-to-friday-31-december"),
        # FJI: the table's weekday, moved only off a bank holiday.
        pytest.param("fji", D(2027, 4, 12), "announcement", D(2027, 3, 26), D(2027, 3, 25),
                     id="fji-announcement-on-good-friday-is-thursday-25-march"),
        pytest.param("fji", D(2027, 4, 5), "sample_due", D(2027, 3, 29), D(2027, 3, 25),
                     id="fji-sample-on-easter-monday-is-thursday-25-march"),
        pytest.param("fji", D(2027, 9, 6), "long_list_due", D(2027, 8, 26), D(2027, 8, 26),
                     id="fji-long-list-keeps-thursday-26-august-over-the-august-bank-holiday"),
    ],
)  # fmt: skip
def test_worked_examples_keep_the_tables_weekday(programme, start, key, table_date, date):
    timeline = compute_timeline(programme=programme, country="england", fieldwork_start=start)
    milestone = timeline.get(key)
    assert (milestone.table_date, milestone.date) == (table_date, date)
    said = [w for w, k in zip(timeline.warnings, timeline.warning_keys, strict=True) if k == key]
    if date == table_date:
        assert said == []
    else:  # the warning names both dates
        (warning,) = said
        assert table_date.strftime("%-d %B %Y") in warning and date.strftime("%-d %B %Y") in warning


def test_a_move_names_the_bank_holidays_and_never_the_rulebook():
    for start in (D(2027, 4, 5), D(2027, 5, 10), D(2028, 1, 10), D(2027, 3, 15)):
        for programme in ("sqs", "fji"):
            for warning in compute_timeline(programme=programme, country="england", fieldwork_start=start).warnings:
                assert "  " not in warning and "seed" not in warning and "§" not in warning
    timeline = compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 4, 5))
    assert "Good Friday (Friday 26 March 2027) and Easter Monday (Monday 29 March 2027)" in timeline.warnings[0]


@pytest.mark.parametrize(
    ("programme", "start", "holiday"),
    [
        pytest.param("sqs", D(2027, 5, 3), "May Day", id="sqs-early-may"),
        pytest.param("sqs", D(2027, 5, 31), "Spring Bank Holiday", id="sqs-spring"),
        pytest.param("fji", D(2027, 5, 17), "Spring Bank Holiday", id="fji-second-week"),
    ],
)
def test_fieldwork_in_a_bank_holiday_week_is_warned(programme, start, holiday):
    timeline = compute_timeline(programme=programme, country="england", fieldwork_start=start)
    fieldwork_warnings = [w for w in timeline.warnings if w.startswith("The fieldwork week")]
    assert len(fieldwork_warnings) == 1
    assert holiday in fieldwork_warnings[0]
    assert "inspections are not held in a week with a bank holiday" in fieldwork_warnings[0]


def test_fieldwork_must_start_on_a_monday():
    with pytest.raises(TimelineError, match="9 February 2027 is a Tuesday"):
        compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 2, 9))


def test_as_json_gives_iso_dates_and_aware_datetimes():
    data = compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 2, 8)).as_json()
    assert data["long_list_due"] == "2027-01-28T12:00:00+00:00"
    assert data["final_schedule_due"] == "2027-02-04"
    assert data["warnings"] == []


@pytest.mark.parametrize(
    ("now", "done", "expected"),
    [
        pytest.param(dt.datetime(2027, 1, 20, 9, 0), False, UPCOMING, id="six-working-days-ahead"),
        pytest.param(dt.datetime(2027, 1, 26, 9, 0), False, DUE_SOON, id="two-working-days-ahead"),
        pytest.param(dt.datetime(2027, 1, 28, 11, 59), False, DUE_SOON, id="due-today-before-noon"),
        pytest.param(dt.datetime(2027, 1, 28, 12, 1), False, OVERDUE, id="a-minute-late"),
        pytest.param(dt.datetime(2027, 1, 28, 12, 1), True, DONE, id="done"),
    ],
)
def test_milestone_state(now, done, expected):
    milestone = compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 2, 8)).get("long_list_due")
    state = milestone_state(
        milestone, now=now.replace(tzinfo=LONDON), done=done, due_soon_working_days=2, country="england"
    )
    assert state == expected


def test_a_scheduled_event_in_the_past_is_done_not_overdue():
    milestone = compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 2, 8)).get(
        "fieldwork_start"
    )
    now = dt.datetime(2027, 2, 9, 9, 0, tzinfo=LONDON)
    assert milestone_state(milestone, now=now, done=False, due_soon_working_days=2, country="england") == DONE


def test_warnings_for_the_yot_are_those_about_its_own_milestones_and_fieldwork():
    # Fieldwork 5 April 2027: Easter moves the YOT's long-list and IIA deadlines and HMI Probation's
    # announcement and sample; the YOT sees only its own two.
    timeline = compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 4, 5))
    yot = timeline.warnings_for("yot")
    assert len(timeline.warnings) == 4
    assert [w.split(":")[0] for w in yot] == [
        "YOT sends the long-list of cases, with case manager availability",
        "YOT sends Information in Advance to the lead inspector and SSO",
    ]
    bank_holiday_week = compute_timeline(programme="sqs", country="england", fieldwork_start=D(2027, 5, 3))
    assert any(w.startswith("The fieldwork week") for w in bank_holiday_week.warnings_for("yot"))
