"""FJI fieldwork week 2: the session times, the checks on a session (clashes, outside the week), the
presentation's invitees, the health questionnaire, the calendar; then the pages, who sees which
sessions, and who gets 403 or 404 on every URL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from casework.models import Case
from inspections.enums import ContactRole, Country, Inspectorate, Programme, StaffRole, TeamRole
from inspections.models import Contact, TeamMembership
from inspections.tests import factories as f
from scheduling import services_week2 as S
from scheduling import week2 as W
from scheduling.domain.model import Window
from scheduling.enums import Week2Kind, Week2Status
from scheduling.models import HealthQuestionnaire, Week2Session

MONDAY = dt.date(2027, 2, 22)  # week 2 of an FJI whose fieldwork starts on f.FIELDWORK_MONDAY
PLAN = W.load_plan()


def facts(title="Interview", *, key=1, day=1, window="09:00-10:00", **kw) -> W.SessionFacts:
    return W.SessionFacts(
        key=key, title=title, kind=kw.pop("kind", Week2Kind.INTERVIEW), day=MONDAY + dt.timedelta(days=day),
        window=Window.parse(window), **kw,
    )  # fmt: skip


def texts(messages) -> list[str]:
    return [str(m) for m in messages]


# --- The session times ----------------------------------------------------------------------------


def test_plan_monday_sessions_start_after_the_meeting_with_the_yot_manager():
    meeting = next(b for b in PLAN.fixed if b.day == 0 and "YOT MANAGER" in b.label)
    assert str(meeting.window) == "14:00–15:00"
    assert [str(w) for w in PLAN.sessions[0]] == ["15:15–16:15", "16:30–17:30"]
    assert all(w.start >= meeting.window.end for w in PLAN.sessions[0])


def test_plan_thursday_team_meeting_after_the_last_session_and_presentation_friday_10am():
    team_meeting = next(b for b in PLAN.fixed if b.day == 3)
    assert max(w.end for w in PLAN.sessions[3]) <= team_meeting.window.start
    assert (PLAN.presentation.day, str(PLAN.presentation.window)) == (4, "10:00–11:00")
    assert 4 not in PLAN.sessions


def test_plan_runs_join_short_breaks_not_lunch():
    runs = [str(w) for w in PLAN.runs(1)]
    assert "09:00–11:15" in runs  # two session times over the 15-minute break
    assert "11:30–14:30" not in runs  # not over lunch
    assert len(W.slot_choices(PLAN, MONDAY)) == sum(len(PLAN.runs(d)) for d in W.SESSION_DAYS)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param({"sessions": [{"day": 4, "times": ["09:00-10:00"]}]}, "Monday to Thursday", id="friday-session"),
        pytest.param(
            {"sessions": [{"day": 1, "times": ["10:00-11:00", "10:30-11:30"]}]}, "starts before", id="overlap"
        ),
        pytest.param({"sessions": [{"day": 1, "times": ["07:00-08:00"]}]}, "outside", id="too-early"),
        pytest.param(
            {
                "fixed": [{"day": 1, "start": "09:00", "end": "09:30", "label": "X"}],
                "sessions": [{"day": 1, "times": ["09:00-10:00"]}],
            },
            "overlaps X",
            id="over-fixed-block",
        ),
        pytest.param({"presentation": {"day": 4, "start": "14:00", "end": "15:00"}}, "Friday at 10:00", id="pm"),
    ],
)
def test_parse_plan_refuses(raw, words):
    raw = {"presentation": {"day": 4, "start": "10:00", "end": "11:00"}, **raw}
    with pytest.raises(W.PlanError, match=words):
        W.parse_plan(raw)


def test_plan_labels_are_all_listed_for_translation():
    labels = [b.label for b in PLAN.fixed] + [PLAN.presentation.label]
    assert sorted(labels) == sorted(W.FIXED_LABELS)


# --- The checks -----------------------------------------------------------------------------------


def test_check_session_outside_week2_names_the_session():
    errors = texts(W.check_session(facts("Board interview", day=7), [], plan=PLAN, monday=MONDAY, names={}))
    assert errors == [
        "“Board interview” is on Monday 1 March 2027, which is not in fieldwork week 2 (sessions are from "
        "Monday 22 February to Thursday 25 February)."
    ]


def test_check_session_on_friday_is_outside_the_session_days():
    errors = texts(W.check_session(facts("Late one", day=4), [], plan=PLAN, monday=MONDAY, names={}))
    assert len(errors) == 1 and errors[0].startswith("“Late one” is on Friday 26 February 2027")


def test_check_session_not_a_session_time():
    errors = texts(W.check_session(facts("Odd", window="09:30-10:30"), [], plan=PLAN, monday=MONDAY, names={}))
    assert errors == ["“Odd”: 09:30–10:30 is not one of the session times on Tuesday 23 February."]


def test_check_session_inspector_clash_names_both_sessions():
    other = facts("Focus group with case managers", key=2, inspectors=frozenset({7}))
    mine = facts("Interview with the Head of Education", window="09:00-11:15", inspectors=frozenset({7, 8}))
    errors = texts(W.check_session(mine, [other], plan=PLAN, monday=MONDAY, names={7: "Lena Lead"}))
    assert errors == [
        "Lena Lead is already in “Focus group with case managers” at Tuesday 23 February, 09:00–10:00, so cannot "
        "be in “Interview with the Head of Education” too."
    ]


def test_check_session_attendee_clash_ignores_case_and_full_stops():
    other = facts("Board focus group", key=2, attendees=(W.Attendee("A. Khan", "Board member"),))
    mine = facts("Health meeting", attendees=(W.Attendee("a khan", "Director of Public Health"),))
    errors = texts(W.check_session(mine, [other], plan=PLAN, monday=MONDAY, names={}))
    assert errors == [
        "a khan is already attending “Board focus group” at Tuesday 23 February, 09:00–10:00, so cannot attend "
        "“Health meeting” too."
    ]


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(
            facts("Cancelled", key=2, inspectors=frozenset({7}), status=Week2Status.CANCELLED), id="cancelled"
        ),
        pytest.param(facts("Later", key=2, window="10:15-11:15", inspectors=frozenset({7})), id="next-slot"),
        pytest.param(facts("Other day", key=2, day=2, inspectors=frozenset({7})), id="other-day"),
        pytest.param(facts("Itself", key=1, inspectors=frozenset({7})), id="itself"),
    ],
)
def test_check_session_no_clash(other):
    assert W.check_session(facts(inspectors=frozenset({7})), [other], plan=PLAN, monday=MONDAY, names={}) == []


def test_check_presentation_only_friday_10am():
    friday = facts("Presentation", kind=Week2Kind.PRESENTATION, day=4, window="10:00-11:00")
    assert W.check_session(friday, [], plan=PLAN, monday=MONDAY, names={}) == []
    moved = facts("Presentation", kind=Week2Kind.PRESENTATION, day=3, window="09:00-10:00")
    assert texts(W.check_session(moved, [], plan=PLAN, monday=MONDAY, names={})) == [
        "“Presentation” is held on the Friday of fieldwork week 2 at 10:00–11:00."
    ]


@pytest.mark.parametrize(
    ("text", "people", "errors"),
    [
        pytest.param("A. Khan, Head of Education\n\nB. Lee, Chair, LSCB", ["A. Khan, Head of Education", "B. Lee, Chair, LSCB"], 0, id="two"),
        pytest.param("A. Khan", [], 1, id="no-role"),
        pytest.param("Sam, young person", [], 1, id="child"),
        pytest.param("J. Bloggs, Child protection officer", ["J. Bloggs, Child protection officer"], 0, id="adult-child-word"),
    ],
)  # fmt: skip
def test_parse_attendees(text, people, errors):
    parsed, problems = W.parse_attendees(text)
    assert [str(p) for p in parsed] == people
    assert len(problems) == errors


def test_parse_attendees_child_message_points_to_the_case_reference():
    _people, problems = W.parse_attendees("Sam, young person")
    assert texts(problems) == [
        "Line 1: only adults are listed here. A session about a child names the case by its HMI Probation "
        "reference instead."
    ]


def test_nobody_available_reported_like_a_case_with_no_case_manager():
    nobody = facts("Interview with the police lead", nobody_available=True)
    empty = facts("Meeting with CAMHS", key=2, window="10:15-11:15")
    assert W.attendee_line(nobody) == "Nobody available: inspect from the documents"
    assert texts(W.week_problems([nobody, empty], plan=PLAN, monday=MONDAY)) == [
        "“Meeting with CAMHS” (Tuesday 23 February, 10:15–11:15) has nobody attending: add who attends, or mark the "
        "session as having nobody available (it is then inspected from the documents)."
    ]


def test_week_problems_confirmed_without_inspector_and_moved_dates():
    confirmed = facts("Board", status=Week2Status.CONFIRMED, attendees=(W.Attendee("A", "B"),))
    assert texts(W.week_problems([confirmed], plan=PLAN, monday=MONDAY)) == [
        "“Board” (Tuesday 23 February, 09:00–10:00) has no inspector."
    ]
    assert len(W.week_problems([confirmed], plan=PLAN, monday=MONDAY + dt.timedelta(days=7))) == 2


@pytest.mark.parametrize(
    ("session", "seen"),
    [
        pytest.param(facts(strand=Inspectorate.CQC), True, id="own-strand"),
        pytest.param(facts(strand=Inspectorate.OFSTED, inspectors=frozenset({5})), True, id="assigned"),
        pytest.param(facts(strand=Inspectorate.OFSTED), False, id="other-strand"),
        pytest.param(facts(strand=W.CORE_STRAND), False, id="core"),
        pytest.param(facts(kind=Week2Kind.PRESENTATION, day=4, window="10:00-11:00"), True, id="presentation"),
    ],
)
def test_partner_sees(session, seen):
    assert W.partner_sees(session, member=5, inspectorate=Inspectorate.CQC) is seen


def test_presentation_invitees_from_contacts_with_missing_flagged():
    contacts = [(ContactRole.CHIEF_EXECUTIVE, "C. Exec"), (ContactRole.DIRECTOR_SOCIAL_CARE, "D. Social")]
    named = [W.Attendee("L. Chair", "Chair LSCB", "lscb_chair")]
    lines = {line.invitee.key: line for line in W.presentation_invitees(contacts, named)}
    assert lines["chief_executive"].names == ("C. Exec",)
    assert lines["director_childrens_services"].names == ("D. Social",)  # Wales's equivalent counts
    assert lines["lscb_chair"].names == ("L. Chair",)
    assert W.missing_invitees(lines.values()) == [
        "Chair of the YOT Management Board",
        "Members of the YOT Management Board (particularly statutory partners)",
        "Director of Public Health",
        "Chair of the Health and Wellbeing Board",
        "Lead elected member for children",
        "Lead elected member for crime and disorder",
        "YOT management team",
    ]  # "Other relevant partners or officers" is never missing


@pytest.mark.parametrize(
    ("country", "completed", "latest", "current"),
    [
        pytest.param(Country.ENGLAND, [], None, False, id="none"),
        pytest.param(Country.ENGLAND, [dt.date(2026, 6, 1)], dt.date(2026, 6, 1), True, id="this-year"),
        pytest.param(Country.WALES, [dt.date(2025, 6, 1)], dt.date(2025, 6, 1), False, id="stale"),
        pytest.param(Country.ENGLAND, [dt.date(2027, 5, 1)], None, False, id="after-week2-ignored"),
    ],
)
def test_questionnaire_state(country, completed, latest, current):
    state = W.questionnaire_state(country, completed, MONDAY)
    assert (state.latest, state.current) == (latest, current)
    assert state.inspectorate == (Inspectorate.HIW if country == Country.WALES else Inspectorate.CQC)


def test_calendar_bytes_london_times_and_cancelled():
    stamp = dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC)
    events = (
        W.CalendarEvent("a@x", 3, stamp, MONDAY, Window.parse("15:15-16:15"), "Board", "YOT", "Line"),
        W.CalendarEvent("b@x", 1, stamp, MONDAY, Window.parse("16:30-17:30"), "Gone", "YOT", "", cancelled=True),
    )
    parsed = Calendar.from_ical(W.calendar_bytes(W.CalendarFile("Week 2", "c@x", events), prodid="-//t//EN"))
    found = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert found["a@x"].decoded("DTSTART") == dt.datetime(2027, 2, 22, 15, 15, tzinfo=W.LONDON)
    assert int(found["a@x"]["SEQUENCE"]) == 3
    assert str(found["b@x"]["STATUS"]) == "CANCELLED"
    assert parsed.walk("VTIMEZONE")


# --- With the database ----------------------------------------------------------------------------


@pytest.fixture
def world(db):
    yot = f.yot(name="Northshire")
    other_yot = f.yot(name="Southshire")
    inspection = f.inspection(yot_=yot, programme=Programme.FJI, modules=["governance"])
    f.announcement_contacts(inspection)
    other = f.inspection(programme=Programme.FJI)
    people = {
        "lead": inspection.lead_inspector,
        "assistant": f.member(inspection, TeamRole.ASSISTANT_INSPECTOR, first_name="Asha", last_name="Inspector"),
        "sso": f.member(inspection, TeamRole.SSO),
        "partner": f.member(inspection, TeamRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.CQC, first_name="Cara"),
        "partner_ofsted": f.member(inspection, TeamRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.OFSTED),
        "assessor": f.member(inspection, TeamRole.LOCAL_ASSESSOR, yot=other_yot),
        "yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=yot),
        "other_yot_manager": f.user(role=StaffRole.YOT_MANAGER, yot=other_yot),
        "other_partner": f.member(other, TeamRole.PARTNER_INSPECTOR, inspectorate=Inspectorate.CQC),
    }
    return inspection, people


def propose(inspection, by, title="Interview with the Head of Education", *, window="09:00-10:00", day=1, **kw):
    attendees = kw.pop("attendees", [W.Attendee("A. Khan", "Head of Education")])
    return S.week2_session_propose(
        inspection=inspection, by=by, kind=kw.pop("kind", Week2Kind.INTERVIEW), title=title,
        day=MONDAY + dt.timedelta(days=day), window=Window.parse(window), strand=kw.pop("strand", W.CORE_STRAND),
        attendees=attendees, nobody_available=kw.pop("nobody_available", False), **kw,
    )  # fmt: skip


def test_week2_monday_is_two_weeks_after_week1(world):
    inspection, _people = world
    assert S.week2_monday(inspection) == MONDAY


def test_presentation_made_once_on_the_friday(world):
    inspection, _people = world
    first = S.presentation_ensure(inspection=inspection)
    again = S.presentation_ensure(inspection=inspection)
    assert first.pk == again.pk
    assert (first.day, first.start, first.status) == (dt.date(2027, 2, 26), dt.time(10, 0), Week2Status.CONFIRMED)
    assert Week2Session.objects.filter(inspection=inspection, kind=Week2Kind.PRESENTATION).count() == 1


def test_presentation_moves_with_the_fieldwork_dates(world):
    inspection, _people = world
    S.presentation_ensure(inspection=inspection)
    inspection.fieldwork_start = dt.date(2027, 3, 1)
    inspection.save()
    inspection.refresh_from_db()
    inspection.__dict__.pop("timeline", None)
    assert S.presentation_ensure(inspection=inspection).day == dt.date(2027, 3, 19)


def test_propose_and_confirm_then_inspector_clash_refused(world):
    inspection, people = world
    first = propose(inspection, people["yot_manager"])
    S.week2_session_confirm(
        session=first, by=people["lead"], inspectors=[people["lead"]], expected_revision=first.revision
    )
    first.refresh_from_db()
    assert first.status == Week2Status.CONFIRMED and first.confirmed_by == people["lead"]
    second = propose(inspection, people["yot_manager"], "Focus group with case managers", attendees=[])
    with pytest.raises(Exception) as refused:
        S.week2_session_confirm(session=second, by=people["sso"], inspectors=[people["lead"]], expected_revision=None)
    assert f"{people['lead']} is already in “Interview with the Head of Education”" in " ".join(refused.value.messages)
    assert not second.inspectors.exists()


def test_propose_attendee_clash_refused_and_nothing_written(world):
    inspection, people = world
    propose(inspection, people["yot_manager"])
    with pytest.raises(Exception) as refused:
        propose(inspection, people["yot_manager"], "Board meeting", window="09:00-11:15")
    assert refused.value.messages == [
        "A. Khan is already attending “Interview with the Head of Education” at Tuesday 23 February, 09:00–10:00, "
        "so cannot attend “Board meeting” too."
    ]
    assert Week2Session.objects.filter(inspection=inspection).exclude(kind=Week2Kind.PRESENTATION).count() == 1


def test_change_to_confirmed_session_sends_it_back(world):
    inspection, people = world
    session = propose(inspection, people["yot_manager"])
    S.week2_session_confirm(
        session=session, by=people["lead"], inspectors=[people["assistant"]], expected_revision=None
    )
    session.refresh_from_db()
    changed = propose(
        inspection, people["yot_manager"], window="10:15-11:15", session=session, expected_revision=session.revision
    )
    assert changed.status == Week2Status.PROPOSED and changed.start == dt.time(10, 15)
    with pytest.raises(S.StaleSession):
        propose(inspection, people["yot_manager"], session=session, expected_revision=session.revision)


def test_cancel_frees_the_time(world):
    inspection, people = world
    session = propose(inspection, people["yot_manager"])
    S.week2_session_cancel(session=session, by=people["lead"], expected_revision=None)
    assert propose(inspection, people["yot_manager"], "Another").pk != session.pk


def test_partner_sees_own_strand_assigned_and_presentation(world):
    inspection, people = world
    health = propose(inspection, people["yot_manager"], "CAMHS", strand=Inspectorate.CQC)
    ofsted = propose(inspection, people["yot_manager"], "Education", window="10:15-11:15", strand=Inspectorate.OFSTED,
                     attendees=[W.Attendee("E. Tutor", "Teacher")])  # fmt: skip
    core = propose(
        inspection, people["yot_manager"], "Board", window="11:30-12:30", attendees=[W.Attendee("B. Chair", "Chair")]
    )
    S.week2_session_confirm(session=core, by=people["lead"], inspectors=[people["partner"]], expected_revision=None)
    seen = {s.title for s in S.sessions_visible_to(people["partner"], inspection)}
    assert seen == {health.title, core.title, "Presentation of draft findings"}
    assert ofsted.title in {s.title for s in S.sessions_visible_to(people["yot_manager"], inspection)}


def test_week2_page_lists_sessions_missing_invitees_and_nobody_available(client, world):
    inspection, people = world
    propose(inspection, people["yot_manager"], "Interview with the police lead", attendees=[], nobody_available=True)
    client.force_login(people["yot_manager"])
    body = client.get(reverse("scheduling:week2", args=[inspection.reference])).content.decode()
    assert "Interview with the police lead" in body
    assert "Nobody available: inspect from the documents" in body
    assert "Presentation of draft findings" in body
    assert "6 invitees are not named yet." in body  # board members, LSCB, DPH, HWB chair, two lead members
    assert "Local authority chief executive" in body and "ContactRole" not in body


def test_week2_page_partner_does_not_see_other_strands(client, world):
    inspection, people = world
    propose(inspection, people["yot_manager"], "Education panel", strand=Inspectorate.OFSTED)
    client.force_login(people["partner"])
    body = client.get(reverse("scheduling:week2", args=[inspection.reference])).content.decode()
    assert "Education panel" not in body and "Presentation of draft findings" in body
    assert "Propose a session" not in body


def test_propose_view_creates_and_refuses_outside_week2(client, world):
    inspection, people = world
    client.force_login(people["yot_manager"])
    url = reverse("scheduling:week2_new", args=[inspection.reference])
    data = {"kind": "focus_group", "title": "Focus group with YOT staff", "strand": "core", "case": "",
            "attendees": "P. Patel, Case manager\nJ. Smith, Case manager"}  # fmt: skip
    response = client.post(url, {**data, "when": "2027-03-02T09:00-10:00"})
    assert (
        "“Focus group with YOT staff” is on Tuesday 2 March 2027, which is not in fieldwork week 2"
        in response.content.decode()
    )
    assert not Week2Session.objects.filter(title="Focus group with YOT staff").exists()
    response = client.post(url, {**data, "when": "2027-02-23T09:00-11:15"})
    assert response.status_code == 302
    saved = Week2Session.objects.get(title="Focus group with YOT staff")
    assert (saved.start, saved.end, len(saved.attendees), saved.proposed_by) == (
        dt.time(9),
        dt.time(11, 15),
        2,
        people["yot_manager"],
    )


def test_propose_view_session_about_a_case_shows_its_reference(client, world):
    inspection, people = world
    case = Case.objects.create(inspection=inspection, reference="HMIP-04", heading="community", position=4)
    session = propose(inspection, people["yot_manager"], "Specialist review", case=case)
    client.force_login(people["lead"])
    body = client.get(reverse("scheduling:week2", args=[inspection.reference])).content.decode()
    assert "Case HMIP-04" in body
    assert session.case == case


def test_confirm_view_assigns_inspectors(client, world):
    inspection, people = world
    session = propose(inspection, people["yot_manager"])
    client.force_login(people["sso"])
    url = reverse("scheduling:week2_confirm", args=[inspection.reference, session.pk])
    response = client.post(url, {"inspectors": [people["partner"].pk, people["lead"].pk], "revision": session.revision})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Week2Status.CONFIRMED
    assert set(session.inspectors.all()) == {people["partner"], people["lead"]}


def test_presentation_invitees_named_and_no_longer_missing(client, world):
    inspection, people = world
    client.force_login(people["yot_manager"])
    url = reverse("scheduling:week2_presentation", args=[inspection.reference])
    client.post(url, {"lscb_chair": "L. Chair", "public_health": "P. Health\n", "board_members": "M. One\nM. Two"})
    lines = {line.invitee.key: line for line in S.invitees_of(inspection, S.presentation_ensure(inspection=inspection))}
    assert lines["board_members"].names == ("M. One", "M. Two")
    assert not lines["lscb_chair"].missing and lines["health_wellbeing_chair"].missing
    Contact.objects.create(
        inspection=inspection, role=ContactRole.LEAD_MEMBER_CRIME, name="Cllr Crime", email="c@x.gov.uk"
    )
    lines = {line.invitee.key: line for line in S.invitees_of(inspection, S.presentation_ensure(inspection=inspection))}
    assert lines["lead_member_crime"].names == ("Cllr Crime",)


def test_questionnaire_recorded_for_the_yot(client, world):
    inspection, people = world
    client.force_login(people["yot_manager"])
    client.post(reverse("scheduling:week2_questionnaire", args=[inspection.reference]), {"completed_on": "1/12/2026"})
    assert list(HealthQuestionnaire.objects.values_list("yot_id", "completed_on")) == [
        (inspection.yot_id, dt.date(2026, 12, 1))
    ]
    assert S.questionnaire_of(inspection).current


def test_calendar_has_own_confirmed_sessions_and_the_presentation(client, world):
    inspection, people = world
    mine = propose(inspection, people["yot_manager"], "Mine")
    S.week2_session_confirm(session=mine, by=people["lead"], inspectors=[people["assistant"]], expected_revision=None)
    propose(inspection, people["yot_manager"], "Not mine", window="10:15-11:15", attendees=[])
    client.force_login(people["assistant"])
    response = client.get(reverse("scheduling:week2_calendar", args=[inspection.reference]))
    summaries = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT"))
    assert summaries == ["Mine", "Presentation of draft findings"]


def test_sqs_has_no_week2(client, db):
    inspection = f.inspection(programme=Programme.SQS)
    client.force_login(inspection.lead_inspector)
    assert client.get(reverse("scheduling:week2", args=[inspection.reference])).status_code == 404


# --- Access on every URL --------------------------------------------------------------------------

WRONG = {"partner": None, "other_partner": 404, "other_yot_manager": 404, "assessor": 403}


def _urls(inspection, session):
    ref = inspection.reference
    return {
        "week2": (reverse("scheduling:week2", args=[ref]), "get"),
        "new": (reverse("scheduling:week2_new", args=[ref]), "get"),
        "edit": (reverse("scheduling:week2_edit", args=[ref, session.pk]), "get"),
        "confirm": (reverse("scheduling:week2_confirm", args=[ref, session.pk]), "get"),
        "cancel": (reverse("scheduling:week2_cancel", args=[ref, session.pk]), "post"),
        "presentation": (reverse("scheduling:week2_presentation", args=[ref]), "get"),
        "questionnaire": (reverse("scheduling:week2_questionnaire", args=[ref]), "post"),
        "calendar": (reverse("scheduling:week2_calendar", args=[ref]), "get"),
    }


# What a partner inspector of this inspection may open: the page and their own calendar.
PARTNER_OK = {"week2", "calendar"}


@pytest.mark.parametrize("persona", list(WRONG))
@pytest.mark.parametrize(
    "name", ["week2", "new", "edit", "confirm", "cancel", "presentation", "questionnaire", "calendar"]
)
def test_access_wrong_people(client, world, persona, name):
    inspection, people = world
    session = propose(inspection, people["yot_manager"])
    url, method = _urls(inspection, session)[name]
    client.force_login(people[persona])
    response = getattr(client, method)(
        url, {"revision": session.revision, "completed_on": "1/12/2026"} if method == "post" else None
    )
    expected = WRONG[persona] or (200 if name in PARTNER_OK else 403)
    assert response.status_code == expected
    session.refresh_from_db()
    assert session.status == Week2Status.PROPOSED  # a refused cancel changed nothing
    assert not HealthQuestionnaire.objects.exists()


@pytest.mark.parametrize(
    ("persona", "name", "expected"),
    [
        ("yot_manager", "new", 200),
        ("yot_manager", "edit", 200),
        ("yot_manager", "confirm", 403),
        ("lead", "confirm", 200),
        ("sso", "confirm", 200),
        ("lead", "new", 403),
        ("assistant", "week2", 200),
        ("assistant", "confirm", 403),
        ("yot_manager", "calendar", 403),
    ],
)
def test_access_right_people(client, world, persona, name, expected):
    inspection, people = world
    session = propose(inspection, people["yot_manager"])
    url, _method = _urls(inspection, session)[name]
    client.force_login(people[persona])
    assert client.get(url).status_code == expected


def test_presentation_cannot_be_edited_or_cancelled_through_session_urls(client, world):
    inspection, people = world
    presentation = S.presentation_ensure(inspection=inspection)
    client.force_login(people["lead"])
    assert (
        client.post(reverse("scheduling:week2_cancel", args=[inspection.reference, presentation.pk])).status_code == 404
    )
    presentation.refresh_from_db()
    assert presentation.status == Week2Status.CONFIRMED


def test_session_of_another_inspection_is_404(client, world):
    inspection, people = world
    other = f.inspection(programme=Programme.FJI, yot_=inspection.yot)
    TeamMembership.objects.create(inspection=other, user=people["sso"], role=TeamRole.SSO)
    session = propose(inspection, people["yot_manager"])
    client.force_login(people["sso"])
    assert client.get(reverse("scheduling:week2_confirm", args=[other.reference, session.pk])).status_code == 404


@pytest.mark.parametrize(("persona", "linked"), [("lead", True), ("partner", True), ("assessor", False)])
def test_schedule_page_links_to_week2(client, world, persona, linked):
    inspection, people = world
    client.force_login(people[persona])
    body = client.get(reverse("scheduling:schedule", args=[inspection.reference])).content.decode()
    assert (reverse("scheduling:week2", args=[inspection.reference]) in body) is linked
