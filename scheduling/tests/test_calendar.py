"""Calendar files (.ics) of the schedule: a team member's week, the case managers' invitations.

Every file is parsed back with icalendar: its events are the schedule's slots at their times in
Europe/London, re-importing a later version updates the same events, and no child's name is in it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar

from casework.models import Case, LongListEntry
from inspections.enums import Country, Language, Programme, TeamRole
from inspections.models import Inspection, User, YouthOffendingTeam
from inspections.tests import factories as f
from scheduling import calendar, services
from scheduling import selectors as S
from scheduling.forms import case_manager_key
from scheduling.models import ScheduleVersion
from scheduling.tests.test_schedule_services import CHILD_SURNAME, SOLVER_SECONDS, sqs_world

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CHILD_FIRST_NAME = "Zebedee"  # every child of sqs_world's long-list
DISTINCTIVE_CHILD = ("Xanthippe-Marigold", "Vandersnoot")  # one long-list entry's first and family names


@pytest.fixture(autouse=True)
def _fast_solver(settings):
    settings.SCHEDULE_SOLVER_SECONDS = SOLVER_SECONDS


@pytest.fixture
def world():
    """An SQS with 8 cases, solved and made final (version 1)."""
    inspection, people, cases = sqs_world(n_cases=8)
    LongListEntry.objects.filter(pk=cases[0].entry_id).update(
        first_names=DISTINCTIVE_CHILD[0], family_name=DISTINCTIVE_CHILD[1], office="Riverside office"
    )
    services.schedule_solve(inspection=inspection, by=people["sso"])
    services.schedule_finalise(inspection=inspection, by=people["sso"])
    return inspection, people, cases


def _final(inspection) -> ScheduleVersion:
    return inspection.schedule_versions.filter(state="final").order_by("-number").first()


def _member_ics(inspection, user, version=None) -> bytes:
    version = version or _final(inspection)
    inputs = S.schedule_inputs(inspection)
    return calendar.member_calendar(inputs=inputs, version=version, entries=S.entries_of(version), user=user)


def _invitations(inspection, version=None):
    version = version or _final(inspection)
    inputs = S.schedule_inputs(inspection)
    return inputs, version, calendar.invitations(inputs, version, S.entries_of(version))


def _cm_ics(inspection, email, version=None) -> bytes:
    inputs, version, people = _invitations(inspection, version)
    person = next(p for p in people if p.email == email)
    return calendar.case_manager_calendar(inputs=inputs, version=version, person=person, language="en-gb")


def _events(ics: bytes) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def _swap_and_finalise(inspection, people) -> ScheduleVersion:
    """Version 2: two cases of different case managers swapped, made final."""
    entries = S.entries_of(_final(inspection))
    a = entries[0].case
    b = next(e.case for e in entries if e.case.case_manager_email != a.case_manager_email)
    services.schedule_swap(inspection=inspection, case_a=a, case_b=b, by=people["sso"])
    return services.schedule_finalise(inspection=inspection, by=people["sso"])


# --- A team member's week ---------------------------------------------------------------------------


def test_member_calendar_has_every_slot_and_block_of_their_page(world):
    inspection, people, _cases = world
    version = _final(inspection)
    inputs = S.schedule_inputs(inspection)
    member = S.member_id(people["lead"].pk)
    placed = {e.slot_id: e for e in S.entries_of(version)}
    events = _events(_member_ics(inspection, people["lead"]))

    slots = inputs.week.slots_of(member)
    blocks = [b for b in inputs.week.blocks if b.member_id == member]
    assert len(events) == len(slots) + len(blocks)
    assert len({str(e["UID"]) for e in events}) == len(events)
    by_uid = {str(e["UID"]): e for e in events}
    for slot in slots:
        event = by_uid[calendar._uid(inspection, slot.id, member)]
        entry = placed.get(slot.id)
        if entry is None:
            assert str(event["SUMMARY"]).endswith(": empty slot")
            continue
        assert str(event["SUMMARY"]) == f"{slot.label}: {entry.case.reference}"
        assert f"Case manager: {entry.case.case_manager}" in str(event["DESCRIPTION"])
        expected_office = "Riverside office" if entry.case.entry_id == _cases[0].entry_id else "Main office"
        assert str(event["LOCATION"]) == expected_office
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "IT/HEALTH & SAFETY BRIEFING" in summaries and "LUNCH" in summaries
    assert f"Inspection {inspection.reference} of Northshire, schedule version 1 (Final)." in str(
        events[0]["DESCRIPTION"]
    )


@pytest.mark.parametrize(
    ("monday", "offset"),
    [(dt.date(2027, 2, 8), dt.timedelta(0)), (dt.date(2027, 6, 7), dt.timedelta(hours=1))],
    ids=["gmt-february", "bst-june"],
)
def test_member_calendar_times_are_london_wall_clock_in_gmt_and_bst(world, monday, offset):
    inspection, people, _cases = world
    Inspection.objects.filter(pk=inspection.pk).update(fieldwork_start=monday)
    inspection = Inspection.objects.get(pk=inspection.pk)
    inputs = S.schedule_inputs(inspection)
    member = S.member_id(people["assistant"].pk)
    ics = _member_ics(inspection, people["assistant"])
    parsed = Calendar.from_ical(ics)
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["Europe/London"]
    by_uid = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    for slot in inputs.week.slots_of(member):
        event = by_uid[calendar._uid(inspection, slot.id, member)]
        day = monday + dt.timedelta(days=slot.day)
        start = event.decoded("DTSTART")
        assert start == dt.datetime.combine(day, slot.window.start_time, tzinfo=LONDON)
        assert event.decoded("DTEND") == dt.datetime.combine(day, slot.window.end_time, tzinfo=LONDON)
        assert start.utcoffset() == offset
        assert start.astimezone(dt.UTC).hour == slot.window.start // 60 - offset.seconds // 3600
    first = min(inputs.week.slots_of(member), key=lambda s: (s.day, s.start))
    stamp = (monday + dt.timedelta(days=first.day)).strftime("%Y%m%d")
    assert (
        f"DTSTART;TZID=Europe/London:{stamp}T{first.window.start // 60:02d}{first.window.start % 60:02d}00".encode()
        in ics
    )


def test_uids_are_stable_across_builds_and_sequence_grows_with_a_new_version(world):
    inspection, people, _cases = world
    first = _member_ics(inspection, people["lead"])
    assert _member_ics(inspection, people["lead"]) == first  # the same version gives the same bytes
    before = {str(e["UID"]): int(e["SEQUENCE"]) for e in _events(first)}
    assert set(before.values()) == {1}

    version2 = _swap_and_finalise(inspection, people)
    assert version2.number == 2
    after = {str(e["UID"]): int(e["SEQUENCE"]) for e in _events(_member_ics(inspection, people["lead"]))}
    assert set(after) == set(before)  # a re-import updates the same events
    assert set(after.values()) == {2}


def test_a_case_manager_keeps_the_uid_of_a_moved_interview_with_a_higher_sequence(world):
    inspection, people, _cases = world
    before = _invitations(inspection)[2]
    _swap_and_finalise(inspection, people)
    after = {p.email: p for p in _invitations(inspection)[2]}
    for person in before:
        old = {str(e["UID"]): e for e in _events(_cm_ics(inspection, person.email, _final_of(inspection, 1)))}
        new = {str(e["UID"]): e for e in _events(_cm_ics(inspection, person.email))}
        assert set(new) == set(old)
        assert {int(e["SEQUENCE"]) for e in new.values()} == {2}
        assert len(after[person.email].appointments) == len(person.appointments)


def _final_of(inspection, number):
    return inspection.schedule_versions.get(number=number)


def test_the_local_assessor_calendar_holds_only_their_own_page(world):
    inspection, people, _cases = world
    version = _final(inspection)
    assessor = S.member_id(people["assessor"].pk)
    events = _events(_member_ics(inspection, people["assessor"]))
    theirs = {e.case.reference for e in S.entries_of(version) if S.member_of_slot(e.slot_id) == assessor}
    others = {e.case.reference for e in S.entries_of(version)} - theirs
    assert events and all(f".{assessor}@" in str(e["UID"]) for e in events)
    text = "\n".join(str(e["SUMMARY"]) + str(e["DESCRIPTION"]) for e in events)
    assert all(ref in text for ref in theirs)
    assert not any(ref in text for ref in others - _observed_refs(inspection, version, assessor))


def _observed_refs(inspection, version, assessor) -> set[str]:
    inputs = S.schedule_inputs(inspection)
    observed = {s.id for s in inputs.slots if s.observed_by == assessor}
    return {e.case.reference for e in S.entries_of(version) if e.slot_id in observed}


def test_member_calendar_is_in_the_members_language(world):
    inspection, people, _cases = world
    people["assistant"].language = Language.WELSH
    people["assistant"].save()
    with translation.override("cy"):
        welsh_break = gettext("BREAK")
    assert welsh_break != "BREAK"
    summaries = [str(e["SUMMARY"]) for e in _events(_member_ics(inspection, people["assistant"]))]
    assert welsh_break in summaries and "BREAK" not in summaries


def test_member_calendar_is_welsh_and_english_in_wales_when_the_language_is_not_known(world):
    inspection, people, _cases = world
    YouthOffendingTeam.objects.filter(pk=inspection.yot_id).update(country=Country.WALES)
    inspection = Inspection.objects.get(pk=inspection.pk)
    User.objects.filter(pk=people["assistant"].pk).update(language="")
    with translation.override("cy"):
        welsh_break = gettext("BREAK")
    events = _events(_member_ics(inspection, User.objects.get(pk=people["assistant"].pk)))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert f"{welsh_break} / BREAK" in summaries
    assert len({str(e["UID"]) for e in events}) == len(events)  # still one event each
    assert all("schedule version 1 (Final)." in str(e["DESCRIPTION"]) for e in events)  # the English half


def test_invitations_are_in_the_yot_managers_language(world):
    inspection, people, _cases = world
    assert calendar.invitation_language(inspection) == Language.ENGLISH
    User.objects.filter(pk=people["yot_manager"].pk).update(language=Language.WELSH)
    assert calendar.invitation_language(inspection) == Language.WELSH


# --- Case managers ---------------------------------------------------------------------------------


def test_case_manager_calendar_has_their_interviews_at_the_interview_times(world):
    inspection, _people, _cases = world
    version = _final(inspection)
    inputs = S.schedule_inputs(inspection)
    email = "j.smith@northshire.example.gov.uk"
    mine = [e for e in S.entries_of(version) if e.case.case_manager_email == email]
    events = {str(e["SUMMARY"]).split("case ")[1].split(" ")[0]: e for e in _events(_cm_ics(inspection, email))}
    assert set(events) == {e.case.reference for e in mine}
    for entry in mine:
        slot = inputs.slot(entry.slot_id)
        event = events[entry.case.reference]
        day = inspection.fieldwork_start + dt.timedelta(days=slot.day)
        # The case manager joins 30 minutes in and leaves 15 minutes before the end (seed 000 §11.5).
        assert event.decoded("DTSTART") == dt.datetime.combine(day, slot.interview.start_time, tzinfo=LONDON)
        assert event.decoded("DTEND") == dt.datetime.combine(day, slot.interview.end_time, tzinfo=LONDON)
        assert str(event["ORGANIZER"]) == f"mailto:{email}"
        assert str(event["ATTENDEE"]) == f"mailto:{email}"
        assert event["ATTENDEE"].params["CN"] == "J. Smith"
        assert inputs.member_name(slot.member_id) in str(event["SUMMARY"])
        assert int(event["SEQUENCE"]) == 1


def test_a_case_now_read_from_the_record_is_cancelled_in_its_case_managers_file(world):
    inspection, people, _cases = world
    email = "p.patel@northshire.example.gov.uk"
    entry = next(e for e in S.entries_of(_final(inspection)) if e.case.case_manager_email == email)
    old_uid = next(
        str(e["UID"]) for e in _events(_cm_ics(inspection, email)) if entry.case.reference in str(e["SUMMARY"])
    )
    services.case_record_only_set(inspection=inspection, case=entry.case, record_only=True, by=people["sso"])
    services.schedule_solve(inspection=inspection, by=people["sso"])
    services.schedule_finalise(inspection=inspection, by=people["sso"])
    events = {str(e["UID"]): e for e in _events(_cm_ics(inspection, email))}
    assert str(events[old_uid]["STATUS"]) == "CANCELLED"
    assert int(events[old_uid]["SEQUENCE"]) == 2
    # The inspector still reads it, from the record.
    version = _final(inspection)
    slot_id = version.entries.get(case=entry.case).slot_id
    member = next(p for p in people.values() if S.member_id(p.pk) == S.member_of_slot(slot_id))
    by_uid = {str(e["UID"]): e for e in _events(_member_ics(inspection, member))}
    description = str(by_uid[calendar._uid(inspection, slot_id, S.member_id(member.pk))]["DESCRIPTION"])
    assert "No case manager: inspect from the record" in description
    assert "Case manager:" not in description


def test_no_childs_name_in_any_calendar(world):
    inspection, people, cases = world
    children = list(Case.objects.filter(inspection=inspection).values_list("entry__case_id", flat=True))
    files = [_member_ics(inspection, people[p]) for p in ("lead", "assistant", "assessor")]
    inputs, version, everyone = _invitations(inspection)
    archive = zipfile.ZipFile(
        io.BytesIO(calendar.invitations_zip(inputs=inputs, version=version, people=everyone, language="en-gb"))
    )
    assert sorted(archive.namelist()) == sorted(f"{p.email}.ics" for p in everyone)
    files += [archive.read(name) for name in archive.namelist()]
    for ics in files:
        text = ics.decode()
        Calendar.from_ical(ics)  # each one parses
        for name in (CHILD_SURNAME, CHILD_FIRST_NAME, *DISTINCTIVE_CHILD, *children):
            assert name.lower() not in text.lower()
    # The distinctive child's case is in the files, by its reference only.
    assert any(cases[0].reference in f.decode() for f in files)


# --- Downloads and who may have them ---------------------------------------------------------------

PEOPLE = ["lead", "assistant", "assessor", "sso", "yot_manager", "stranger", "other_lead"]
MINE = {"lead": 200, "assistant": 200, "assessor": 200, "sso": 404, "yot_manager": 403}
INVITATIONS = {"lead": 200, "sso": 200, "yot_manager": 200, "assistant": 403, "assessor": 403}
J_SMITH = case_manager_key("j.smith@northshire.example.gov.uk")


def _url(inspection, name, *args):
    return reverse(f"scheduling:{name}", args=[inspection.reference, *args])


@pytest.mark.parametrize("persona", PEOPLE)
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("my_calendar", (), MINE),
        ("case_manager_calendar", (J_SMITH,), INVITATIONS),
        ("invitations", (), INVITATIONS),
    ],
    ids=["my-calendar", "one-case-manager", "all-invitations"],
)
def test_calendar_downloads_by_persona(client, world, persona, name, args, expected):
    inspection, people, _cases = world
    client.force_login(people[persona])
    response = client.get(_url(inspection, name, *args))
    # A stranger (another authority's YOT manager, a lead inspector of another inspection) gets 404.
    assert response.status_code == expected.get(persona, 404)
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Cache-Control"] == "no-store, private"
        if name == "invitations":
            assert response["Content-Type"] == "application/zip"
            assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()
        else:
            assert response["Content-Type"] == "text/calendar; charset=utf-8"
            assert Calendar.from_ical(response.content).walk("VEVENT")


def test_my_calendar_download_is_the_signed_in_persons_own(client, world):
    inspection, people, _cases = world
    client.force_login(people["assessor"])
    response = client.get(_url(inspection, "my_calendar"))
    assert response.content == _member_ics(inspection, people["assessor"])
    assert response["Content-Disposition"] == (
        f'attachment; filename="{inspection.reference}-my-fieldwork-week-v1.ics"'
    )


def test_team_member_of_another_inspection_gets_404(client, world):
    inspection, _people, _cases = world
    other = f.inspection(yot_=f.yot(name="Eastshire"))
    client.force_login(f.member(other, TeamRole.ASSISTANT_INSPECTOR, username="elsewhere"))
    assert client.get(_url(inspection, "my_calendar")).status_code == 404
    assert client.get(_url(inspection, "invitations")).status_code == 404
    client.force_login(other.lead_inspector)
    assert client.get(_url(inspection, "case_manager_calendar", J_SMITH)).status_code == 404


def test_an_unknown_case_manager_key_is_404(client, world):
    inspection, people, _cases = world
    client.force_login(people["yot_manager"])
    assert client.get(_url(inspection, "case_manager_calendar", "0" * 12)).status_code == 404


@pytest.mark.parametrize("name", ["my_calendar", "invitations"])
def test_anonymous_is_sent_to_sign_in(client, world, name):
    inspection, _people, _cases = world
    url = _url(inspection, name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_the_yot_gets_no_invitations_before_the_schedule_is_shared(client):
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])  # a draft only
    for persona in ("yot_manager", "lead", "sso"):
        client.force_login(people[persona])
        assert client.get(_url(inspection, "invitations")).status_code == 404
        assert client.get(_url(inspection, "case_manager_calendar", J_SMITH)).status_code == 404
    client.force_login(people["lead"])
    assert client.get(_url(inspection, "my_calendar")).status_code == 404


def test_a_schedule_sent_to_the_yot_gives_invitations_but_no_team_calendar(client):
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    services.schedule_send(inspection=inspection, by=people["sso"])
    client.force_login(people["yot_manager"])
    response = client.get(_url(inspection, "case_manager_calendar", J_SMITH))
    assert response.status_code == 200
    assert {int(e["SEQUENCE"]) for e in _events(response.content)} == {1}
    client.force_login(people["assessor"])
    assert client.get(_url(inspection, "my_calendar")).status_code == 404  # not final yet


def test_schedule_page_links_by_persona(client, world):
    inspection, people, _cases = world
    page = {}
    for persona in ("assessor", "yot_manager", "sso"):
        client.force_login(people[persona])
        page[persona] = client.get(_url(inspection, "schedule")).content.decode()
    assert "Download my calendar (.ics)" in page["assessor"]
    assert "Calendar invitations for case managers" not in page["assessor"]
    assert "Download my calendar (.ics)" not in page["yot_manager"]
    assert "Calendar invitations for case managers" in page["yot_manager"]
    assert _url(inspection, "case_manager_calendar", J_SMITH) in page["yot_manager"]
    assert _url(inspection, "invitations") in page["sso"]
    assert "Download my calendar (.ics)" not in page["sso"]  # the SSO has no page of their own


def test_fji_invitations_wait_for_the_lead_inspectors_approval(client):
    inspection, people, _cases = sqs_world(n_cases=3, programme=Programme.FJI)
    services.schedule_solve(inspection=inspection, by=people["yot_manager"])
    services.schedule_send(inspection=inspection, by=people["yot_manager"])  # submitted for approval
    for persona in ("yot_manager", "lead"):
        client.force_login(people[persona])
        assert client.get(_url(inspection, "invitations")).status_code == 404
    services.schedule_finalise(inspection=inspection, by=people["lead"])
    client.force_login(people["yot_manager"])
    response = client.get(_url(inspection, "invitations"))
    assert response.status_code == 200
    assert len(zipfile.ZipFile(io.BytesIO(response.content)).namelist()) == 3
    client.force_login(people["assistant2"])
    assert Calendar.from_ical(client.get(_url(inspection, "my_calendar")).content).walk("VEVENT")
