"""Case managers' availability, given with the long-list before the sample exists: nothing pre-set,
the form, the spreadsheet (template, good upload, each bad shape leaving the database unchanged),
who may do what, and how the schedule uses what is (not) given."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections.models import AuditEvent
from scheduling import selectors as S
from scheduling import services
from scheduling.availability import DayEntry, parse_day, read_upload
from scheduling.forms import case_manager_key
from scheduling.models import CaseManagerAvailability, CaseManagerDay
from scheduling.tests.factories import MANAGERS, filled, long_list_world, sample_from

MONDAY, TUESDAY, WEDNESDAY = (dt.date(2027, 2, 8) + dt.timedelta(days=i) for i in range(3))
SMITH, PATEL, JONES = (email for _name, email in MANAGERS)


def url(name, inspection, *args):
    return reverse(f"scheduling:{name}", args=[inspection.reference, *args])


# --- Reading one day's cell (no database) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("All day", DayEntry(day=MONDAY)),
        ("yes", DayEntry(day=MONDAY)),
        ("Not available", DayEntry(day=MONDAY, available=False)),
        ("no", DayEntry(day=MONDAY, available=False)),
        ("09:00-12:30", DayEntry(day=MONDAY, from_1=dt.time(9), until_1=dt.time(12, 30))),
        ("9am - 12.30pm", DayEntry(day=MONDAY, from_1=dt.time(9), until_1=dt.time(12, 30))),
        (
            "09:00-12:30, 14:00 to 17:00",
            DayEntry(day=MONDAY, from_1=dt.time(9), until_1=dt.time(12, 30), from_2=dt.time(14), until_2=dt.time(17)),
        ),
    ],
    ids=["blank-not-given", "all-day", "yes", "not-available", "no", "one-window", "am-pm", "two-windows"],
)
def test_day_cell_reads_as_the_yot_wrote_it(text, expected):
    assert parse_day(text, MONDAY, "") == expected


@pytest.mark.parametrize(
    "text", ["half nine", "09:00", "09:00-12:00, 13:00-14:00, 15:00-16:00", "25:00-26:00", dt.time(9)]
)
def test_day_cell_that_is_not_a_window_is_refused(text):
    with pytest.raises(ValueError):
        parse_day(text, MONDAY, "")


# --- Before the sample: the long-list's case managers, nothing pre-set ------------------------------


@pytest.mark.django_db
def test_availability_page_lists_the_long_list_case_managers_before_any_sample(client):
    inspection, people = long_list_world()
    client.force_login(people["yot_manager"])
    body = client.get(url("availability", inspection)).content.decode()
    assert "Case managers on the long-list" in body
    for name, email in MANAGERS:
        assert name in body and email in body
    assert body.count("Not given yet") == 3 * 3 + 1  # three days each, and the explanation above
    assert "Quixleywhistle" not in body  # no child's name
    assert CaseManagerAvailability.objects.count() == 0


@pytest.mark.django_db
def test_availability_form_starts_with_nothing_chosen_and_an_unanswered_day_stays_not_given(client):
    inspection, people = long_list_world()
    client.force_login(people["yot_manager"])
    edit = url("availability_edit", inspection, case_manager_key(SMITH))
    page = client.get(edit).content.decode()
    assert 'name="d0_available"' in page
    assert 'name="d0_available" type="radio" value="yes" checked' not in page
    assert " checked" not in page.split('id="id_returning_from_absence')[0]  # no day answered in advance
    data = {"returning_from_absence": "no", "max_per_day": "2", "d1_available": "no"}
    response = client.post(edit, data)
    assert response.status_code == 302
    row = CaseManagerAvailability.objects.get(email=SMITH)
    assert [(d.day, d.available) for d in row.days.all()] == [(TUESDAY, False)]
    assert S.days_not_given(row, inspection.fieldwork_days) == [MONDAY, WEDNESDAY]


@pytest.mark.django_db
def test_times_without_saying_whether_they_can_attend_are_refused(client):
    inspection, people = long_list_world()
    client.force_login(people["yot_manager"])
    data = {"returning_from_absence": "no", "max_per_day": "2", "d2_from_1": "09:00"}
    response = client.post(url("availability_edit", inspection, case_manager_key(SMITH)), data)
    assert response.status_code == 200
    assert "J. Smith, Wednesday: say whether they can attend, or clear what you typed for that day" in (
        response.content.decode()
    )
    assert CaseManagerAvailability.objects.count() == 0


@pytest.mark.django_db
def test_availability_given_before_the_sample_is_used_once_the_sample_is_selected():
    inspection, people = long_list_world()
    services.availability_save(
        inspection=inspection,
        email=SMITH,
        by=people["yot_manager"],
        returning_from_absence=True,
        needs="",
        max_per_day=3,
        days=[DayEntry(day=TUESDAY, from_1=dt.time(9), until_1=dt.time(12, 30)), DayEntry(day=WEDNESDAY)],
    )
    sample_from(inspection, upper_case_emails=True)  # the same people, however the email is written
    inputs = S.schedule_inputs(inspection)
    smith = next(m for m in inputs.case_managers if m.id == SMITH)
    assert [str(w) for w in smith.availability[1]] == ["09:00–12:30"]
    assert [str(w) for w in smith.availability[2]] == ["08:30–18:00"]
    assert 0 not in smith.availability  # Monday not given: no interview is placed on it
    assert (smith.returning_from_absence, smith.max_per_day) == (True, 3)
    not_given = [p for p in inputs.problems if p.kind == "availability_not_given"]
    assert [p.people for p in not_given] == [("K. Jones",), ("P. Patel",)]
    assert not_given[0].message == (
        "K. Jones (HMIP-04): the YOT has not given their availability yet, so their cases cannot be placed. It is "
        "given on the case managers’ availability page; or mark the case as having no case manager available (it "
        "is then inspected from the record)."
    )


@pytest.mark.django_db
def test_availability_for_someone_not_on_the_long_list_is_refused():
    inspection, people = long_list_world()
    with pytest.raises(ValidationError) as excinfo:
        services.availability_save(
            inspection=inspection,
            email="someone@else.example",
            by=people["yot_manager"],
            returning_from_absence=False,
            needs="",
            max_per_day=2,
            days=[],
        )
    assert excinfo.value.messages == [
        "someone@else.example is not the email of a case manager on the long-list or the sample."
    ]


@pytest.mark.django_db
def test_schedule_page_lists_the_sample_case_managers_whose_availability_is_not_given(client):
    inspection, people = long_list_world()
    services.availability_save(
        inspection=inspection,
        email=SMITH,
        by=people["yot_manager"],
        returning_from_absence=False,
        needs="",
        max_per_day=2,
        days=[DayEntry(day=MONDAY), DayEntry(day=TUESDAY)],
    )
    sample_from(inspection)
    client.force_login(people["sso"])
    body = client.get(url("schedule", inspection)).content.decode()
    assert "J. Smith (HMIP-01, HMIP-02): not given for Wednesday 10 February" in body
    assert "K. Jones (HMIP-04): not given for any day" in body
    assert "P. Patel (HMIP-03): not given for any day" in body


# --- The spreadsheet -------------------------------------------------------------------------------


def _template(client, inspection):
    response = client.get(url("availability_template", inspection))
    assert response["Content-Disposition"] == f'attachment; filename="{inspection.reference}-availability.xlsx"'
    return response.content


def _upload(client, inspection, data, name="availability.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url("availability_upload", inspection), {"upload": SimpleUploadedFile(name, data)})


def _state():
    return (
        sorted(CaseManagerAvailability.objects.values_list("email", "returning_from_absence", "max_per_day", "needs")),
        sorted(CaseManagerDay.objects.values_list("availability__email", "day", "available", "from_1", "until_1")),
    )


@pytest.mark.django_db
def test_template_has_a_row_per_case_manager_and_shows_what_was_given(client):
    from io import BytesIO

    from openpyxl import load_workbook

    inspection, people = long_list_world()
    services.availability_save(
        inspection=inspection,
        email=PATEL,
        by=people["yot_manager"],
        returning_from_absence=False,
        needs="=ground floor",
        max_per_day=3,
        days=[DayEntry(day=MONDAY, available=False), DayEntry(day=TUESDAY, from_1=dt.time(9), until_1=dt.time(12))],
    )
    client.force_login(people["yot_manager"])
    sheet = load_workbook(BytesIO(_template(client, inspection))).active
    rows = list(sheet.iter_rows(min_row=5, max_row=8, values_only=True))
    assert rows[0] == (
        "Case manager",
        "Email",
        "Monday 08/02/2027",
        "Monday 08/02/2027: other commitments",
        "Tuesday 09/02/2027",
        "Tuesday 09/02/2027: other commitments",
        "Wednesday 10/02/2027",
        "Wednesday 10/02/2027: other commitments",
        "Absent the week before fieldwork (Yes or No)",
        "Most interviews in one day (1 to 6)",
        "Needs to take into account at interview",
    )
    assert rows[1][:3] == ("J. Smith", SMITH, None)  # nothing given: blank, not "All day"
    assert rows[3] == (
        "P. Patel",
        PATEL,
        "Not available",
        None,
        "09:00-12:00",
        None,
        None,
        None,
        "No",
        3,
        "'=ground floor",
    )
    assert "Quixleywhistle" not in str(rows)


@pytest.mark.django_db
def test_good_upload_saves_every_row_in_one_go(client):
    inspection, people = long_list_world()
    client.force_login(people["yot_manager"])
    data = filled(
        _template(client, inspection),
        {
            "C6": "All day",
            "E6": "09:00-12:30, 14:00-17:00",
            "F6": "Court at 9",
            "G6": "Not available",
            "I6": "Yes",
            "J6": 3,
            "K6": "Hard of hearing",
            "E8": "9am-1pm",
        },
    )
    response = _upload(client, inspection, data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert (
        "Availability saved for 2 case managers. 1 row gave nothing, so nothing changed for that case manager." in page
    )
    smith = CaseManagerAvailability.objects.get(email=SMITH)
    assert (smith.returning_from_absence, smith.max_per_day, smith.needs) == (True, 3, "Hard of hearing")
    assert [
        (d.day, d.available, d.from_1, d.until_1, d.from_2, d.until_2, d.commitments) for d in smith.days.all()
    ] == [
        (MONDAY, True, None, None, None, None, ""),
        (TUESDAY, True, dt.time(9), dt.time(12, 30), dt.time(14), dt.time(17), "Court at 9"),
        (WEDNESDAY, False, None, None, None, None, ""),
    ]
    patel = CaseManagerAvailability.objects.get(email=PATEL)
    assert [(d.day, d.from_1, d.until_1) for d in patel.days.all()] == [(TUESDAY, dt.time(9), dt.time(13))]
    assert patel.max_per_day == 2
    assert not CaseManagerAvailability.objects.filter(email=JONES).exists()  # blank row: nothing given
    event = AuditEvent.objects.get(action="availability_uploaded")
    assert event.detail == {"file": "availability.xlsx", "case_managers": 2, "unchanged": 1}


BAD = [
    pytest.param({"B8": "nobody@northshire.example.gov.uk", "C8": "All day"}, 8, "B (Email)",
                 "nobody@northshire.example.gov.uk is not the email of a case manager on the long-list or the sample",
                 id="unknown-case-manager"),
    pytest.param({"C5": "Friday 05/02/2027"}, 5, "C (Friday 05/02/2027)",
                 "05/02/2027 is not a fieldwork day (fieldwork is Monday 08/02/2027, Tuesday 09/02/2027, "
                 "Wednesday 10/02/2027)", id="day-outside-fieldwork"),
    pytest.param({"E6": "half nine"}, 6, "E (Tuesday 09/02/2027)",
                 "J. Smith, Tuesday: “half nine” is not a time window", id="bad-time"),
    pytest.param({"G6": "14:00-10:00"}, 6, "G (Wednesday 10/02/2027)",
                 "J. Smith, Wednesday: the end time must be after the start time", id="end-before-start"),
    pytest.param({"C6": "09:00-12:00, 11:00-15:00"}, 6, "C (Monday 08/02/2027)",
                 "J. Smith, Monday: the second window overlaps the first", id="overlapping-windows"),
    pytest.param({"C6": "9-10, 11-12, 13-14"}, 6, "C (Monday 08/02/2027)",
                 "J. Smith, Monday: give at most two windows of time in one day", id="three-windows"),
    pytest.param({"C6": "All day", "J6": 9}, 6, "J (Most interviews in one day (1 to 6))",
                 "J. Smith: enter a number of interviews a day from 1 to 6", id="too-many-a-day"),
    pytest.param({"C6": "All day", "I6": "Maybe"}, 6, "I (Absent the week before fieldwork (Yes or No))",
                 "J. Smith: write Yes or No", id="absent-not-yes-or-no"),
    pytest.param({"B7": SMITH, "C7": "All day"}, 7, "B (Email)",
                 f"{SMITH} is also on row 6: give each case manager one row", id="same-case-manager-twice"),
    pytest.param({"L5": "Favourite biscuit"}, 5, "L (Favourite biscuit)",
                 "“Favourite biscuit” is not a column of the availability template", id="unknown-column"),
    pytest.param({"C6": "=A1"}, 6, "C (Monday 08/02/2027)", "formulas are not accepted", id="formula"),
    pytest.param({"D6": "Court"}, 6, "C (Monday 08/02/2027)",
                 "J. Smith, Monday: other commitments are given but not when they can attend", id="commitments-only"),
    pytest.param({"B6": None, "C6": "All day"}, 6, "B (Email)", "give the email address of this row’s case manager",
                 id="no-email"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("cells", "row", "column", "message"), BAD)
def test_bad_upload_names_row_and_column_and_changes_nothing(client, cells, row, column, message):
    inspection, people = long_list_world()
    services.availability_save(
        inspection=inspection,
        email=PATEL,
        by=people["yot_manager"],
        returning_from_absence=False,
        needs="",
        max_per_day=2,
        days=[DayEntry(day=MONDAY)],
    )
    client.force_login(people["yot_manager"])
    template = _template(client, inspection)
    before = _state()
    # A good row for P. Patel too: nothing of it may be saved while another row is wrong.
    response = _upload(client, inspection, filled(template, {"C8": "Not available", **cells}))
    assert response.status_code == 400
    refused = response.context["refused"]
    assert [(e.sheet, e.row, e.column) for e in refused.errors] == [("Availability", row, column)]
    assert refused.errors[0].message.startswith(message)
    body = response.content.decode()
    assert f"Sheet Availability, row {row}, column {column}: {message}" in body
    assert "availability.xlsx was not saved: it has 1 problem. Nothing has changed." in body
    assert _state() == before
    assert AuditEvent.objects.get(action="availability_refused").detail == {"file": "availability.xlsx", "errors": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Case manager,Email\nJ. Smith,j.smith@northshire.example.gov.uk\n", "The file is not an Excel workbook."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "This is an old-style Excel 97-2003 (.xls) file"),
        (b"PK\x03\x04 not really a zip", "The file looks like an Excel workbook but is damaged"),
    ],
    ids=["csv", "old-excel", "damaged"],
)
def test_file_that_is_not_the_workbook_is_refused_and_changes_nothing(client, data, message):
    inspection, people = long_list_world()
    client.force_login(people["yot_manager"])
    response = _upload(client, inspection, data)
    assert response.status_code == 400
    [error] = response.context["refused"].errors
    assert (error.sheet, error.row, error.column) == (None, None, None)
    assert error.message.startswith(message)
    assert CaseManagerAvailability.objects.count() == 0


def test_read_upload_refuses_a_file_over_the_size_limit():
    result = read_upload(b"PK\x03\x04" + b"x" * 2**20, days=[MONDAY], people={}, max_bytes=2**20)
    assert [e.message for e in result.errors] == [
        "The file is larger than 1 MB. An availability spreadsheet is far smaller: check that it holds only the "
        "availability."
    ]


# --- Who may do what -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "page", "upload"),
    [
        ("yot_manager", 200, 302),
        ("sso", 200, 403),
        ("lead", 200, 403),
        ("assistant", 403, 403),
        ("assessor", 403, 403),
        ("stranger", 404, 404),
    ],
)
def test_availability_pages_by_persona(client, persona, page, upload):
    inspection, people = long_list_world()
    client.force_login(people["yot_manager"])
    template = _template(client, inspection)
    client.force_login(people[persona])
    assert client.get(url("availability", inspection)).status_code == page
    assert client.get(url("availability_template", inspection)).status_code == page
    response = _upload(client, inspection, filled(template, {"C6": "All day"}))
    assert response.status_code == upload
    edit = client.post(url("availability_edit", inspection, case_manager_key(SMITH)), {"d0_available": "yes"})
    assert edit.status_code == {302: 200, 403: 403, 404: 404}[upload]  # the YOT manager's form lacks a field
    saved = list(CaseManagerAvailability.objects.values_list("email", flat=True))
    assert saved == ([SMITH] if persona == "yot_manager" else [])


@pytest.mark.django_db
def test_longlist_page_tells_the_yot_manager_to_give_availability_now(client):
    inspection, people = long_list_world()
    client.force_login(people["yot_manager"])
    body = client.get(reverse("casework:longlist", args=[inspection.reference])).content.decode()
    assert "Now give each case manager’s availability for the fieldwork days" in body
    assert f'href="{url("availability", inspection)}"' in body
