"""The schedule's services against the database: solve → stored version, hand moves and their
checks, finalising, versions and emails, bad input named in plain words, nothing half-saved.

The world builders here are shared by the web, access and export tests.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from casework.models import Case, LongList, LongListEntry
from inspections.enums import Programme, StaffRole, Status, TeamRole
from inspections.models import Notification, TeamMembership
from inspections.services import milestone_done_keys, team_member_remove
from inspections.tests import factories as f
from scheduling import selectors as S
from scheduling import services
from scheduling.enums import VersionState
from scheduling.models import CaseManagerAvailability, ScheduledCase, ScheduleVersion
from scheduling.tests import factories as sf

pytestmark = pytest.mark.django_db

SOLVER_SECONDS = 3
CHILD_SURNAME = "Quixleywhistle"  # distinctive, so an export that leaks it is caught


@pytest.fixture(autouse=True)
def _fast_solver(settings):
    settings.SCHEDULE_SOLVER_SECONDS = SOLVER_SECONDS


def make_cases(inspection, specs, *, uploader):
    """specs: [(case manager name, email, heading, high_rosh)] -> Cases HMIP-01... from LongListEntry
    rows whose children have distinctive names."""
    long_list = LongList.objects.create(
        inspection=inspection,
        version=1,
        original_name="long.xlsx",
        file_format="xlsx",
        uploaded_by=uploader,
        row_count=len(specs),
    )
    cases = []
    for i, (manager, email, heading, rosh) in enumerate(specs, start=1):
        entry = LongListEntry.objects.create(
            **sf.entry_fields(
                long_list,
                i,
                case_manager=manager,
                email=email,
                heading=heading,
                family_name=f"{CHILD_SURNAME}{i}",
                asset_score=20,
                vulnerability="High" if rosh else "Low",
                rosh="High" if rosh else "Low",
            )
        )
        cases.append(
            Case.objects.create(
                inspection=inspection,
                entry=entry,
                reference=f"HMIP-{i:02d}",
                heading=heading,
                case_manager=manager,
                case_manager_email=email,
                high_rosh=rosh,
                position=i,
                order_type="Referral Order",
            )
        )
    return cases


def sqs_world(*, n_cases=20, managers=None, status=Status.SAMPLE_SELECTED, programme=Programme.SQS):
    """An SQS (or FJI) at 'sample selected' with a team of three (FJI: four), an SSO, the YOT's
    manager, and a final sample whose case managers are available all week."""
    yot = f.yot(name="Northshire")
    other = f.yot(name="Southshire")
    lead = f.user(role=StaffRole.LEAD_INSPECTOR, username="lead", first_name="Lena", last_name="Lead")
    inspection = f.inspection(lead=lead, yot_=yot, status=status, programme=programme)
    people = {"lead": lead}
    people["assistant"] = f.member(
        inspection, TeamRole.ASSISTANT_INSPECTOR, username="assistant", first_name="Ali", last_name="Second"
    )
    if programme == Programme.FJI:
        people["assistant2"] = f.member(
            inspection, TeamRole.ASSISTANT_INSPECTOR, username="assistant2", first_name="Ann", last_name="Third"
        )
    people["assessor"] = f.member(
        inspection, TeamRole.LOCAL_ASSESSOR, username="assessor", first_name="Lou", last_name="Assessor", yot=other
    )
    TeamMembership.objects.filter(inspection=inspection, user=people["assessor"]).update(supervisor=people["assistant"])
    people["sso"] = f.member(inspection, TeamRole.SSO, username="sso", first_name="Sam", last_name="Support")
    people["yot_manager"] = f.user(
        role=StaffRole.YOT_MANAGER,
        yot=yot,
        username="owner_yot",
        first_name="Yan",
        last_name="Manager",
        email="yot.manager@northshire.example.gov.uk",
    )
    people["stranger"] = f.user(role=StaffRole.YOT_MANAGER, yot=other, username="stranger")
    people["other_lead"] = f.user(role=StaffRole.LEAD_INSPECTOR, username="other_lead")
    managers = managers or [
        ("J. Smith", "j.smith@northshire.example.gov.uk"),
        ("P. Patel", "p.patel@northshire.example.gov.uk"),
        ("K. Jones", "k.jones@northshire.example.gov.uk"),
        ("R. Brown", "r.brown@northshire.example.gov.uk"),
        ("M. Green", "m.green@northshire.example.gov.uk"),
        ("T. White", "t.white@northshire.example.gov.uk"),
        ("A. Khan", "a.khan@northshire.example.gov.uk"),
    ]
    headings = ["first_tier", "community", "community", "custodial"]
    specs = [(*managers[i % len(managers)], headings[i % 4], i % 7 == 3) for i in range(n_cases)]
    cases = make_cases(inspection, specs, uploader=people["yot_manager"])
    for _name, email in {(m, e) for m, e, _h, _r in specs if e}:
        available(inspection, email, people["yot_manager"])
    return inspection, people, cases


def available(inspection, email, by, windows=None, **kwargs):
    """Everyone available all day, unless windows = {day index: [(from, until)] or []}."""
    days = []
    for i, day in enumerate(inspection.fieldwork_days):
        if windows is None or i not in windows:
            days.append(services.DayEntry(day=day))
        elif not windows[i]:
            days.append(services.DayEntry(day=day, available=False))
        else:
            (a, b), *rest = windows[i]
            extra = {"from_2": rest[0][0], "until_2": rest[0][1]} if rest else {}
            days.append(services.DayEntry(day=day, from_1=a, until_1=b, **extra))
    return services.availability_save(
        inspection=inspection,
        email=email,
        by=by,
        returning_from_absence=kwargs.get("returning", False),
        needs="",
        max_per_day=kwargs.get("max_per_day", 3),
        days=days,
    )


def slot_of(version, case):
    return version.entries.get(case=case).slot_id


# --- Solving -----------------------------------------------------------------------------------


def test_solve_stores_a_draft_version_with_every_case_in_one_slot():
    inspection, people, _cases = sqs_world()
    outcome = services.schedule_solve(inspection=inspection, by=people["sso"])
    assert outcome.found
    version = outcome.version
    assert (version.number, version.state) == (1, VersionState.DRAFT)
    assert version.entries.count() == 20
    assert len(set(version.entries.values_list("slot_id", flat=True))) == 20
    assert version.objective == outcome.solution.objective
    assert version.best_bound is not None and version.best_bound <= version.objective
    inputs = S.schedule_inputs(inspection)
    mapping, pins = S.assignment_of(S.entries_of(version))
    assert [v for v in S.check(inputs, mapping, pins) if v.blocks_finalising] == []


def test_solve_again_keeps_a_pinned_case_where_the_sso_put_it():
    inspection, people, cases = sqs_world()
    version = services.schedule_solve(inspection=inspection, by=people["sso"]).version
    inputs = S.schedule_inputs(inspection)
    free = [
        sid
        for sid, _label in __import__("scheduling.exports", fromlist=["x"]).free_slots(inputs, S.entries_of(version))
    ]
    assert free == []  # 20 cases fill the 20 slots of a team of three
    case_a, case_b = cases[0], cases[5]
    services.schedule_swap(inspection=inspection, case_a=case_a, case_b=case_b, by=people["sso"])
    services.schedule_pin(inspection=inspection, case=case_a, pinned=True, by=people["sso"])
    wanted = slot_of(S.latest_version(inspection), case_a)
    again = services.schedule_solve(inspection=inspection, by=people["sso"]).version
    assert again.pk == version.pk  # the working draft is edited in place
    assert slot_of(again, case_a) == wanted
    assert again.entries.get(case=case_a).pinned is True


def test_infeasible_availability_names_the_case_manager_and_cases_and_saves_nothing():
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk"), ("P. Patel", "p.patel@northshire.example.gov.uk")]
    inspection, people, _cases = sqs_world(n_cases=6, managers=managers)
    # J. Smith has three cases but can come only on Tuesday morning: one interview at a time fits.
    available(
        inspection,
        "j.smith@northshire.example.gov.uk",
        people["yot_manager"],
        windows={0: [], 1: [(dt.time(9), dt.time(12))], 2: []},
    )
    outcome = services.schedule_solve(inspection=inspection, by=people["sso"])
    assert not outcome.found
    text = " ".join(str(p.message) for p in outcome.problems)
    assert "J. Smith" in text
    assert "HMIP-01" in text and "HMIP-03" in text and "HMIP-05" in text
    assert ScheduleVersion.objects.filter(inspection=inspection).count() == 0
    assert ScheduledCase.objects.count() == 0


def test_case_manager_without_email_is_named_until_the_case_is_read_from_the_record():
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk"), ("No Email Person", "")]
    inspection, people, cases = sqs_world(n_cases=4, managers=managers)
    outcome = services.schedule_solve(inspection=inspection, by=people["sso"])
    assert outcome.status == "invalid"
    assert outcome.problems[0].message.startswith(
        "No Email Person (HMIP-02, HMIP-04) has no email address on the sample"
    )
    for case in (cases[1], cases[3]):
        services.case_record_only_set(inspection=inspection, case=case, record_only=True, by=people["yot_manager"])
    outcome = services.schedule_solve(inspection=inspection, by=people["sso"])
    assert outcome.found
    assert outcome.version.entries.count() == 4  # record-only cases are still scheduled (seed 000 §11.6)


def test_team_smaller_than_the_sample_is_explained():
    inspection, people, _cases = sqs_world(n_cases=22)
    outcome = services.schedule_solve(inspection=inspection, by=people["sso"])
    assert outcome.status == "infeasible"
    assert "The sample has 22 cases but the team's template has 20 case slots" in outcome.problems[0].message


# --- Hand edits and their checks ----------------------------------------------------------------


def _slot_on(inspection, member_user, day, start):
    return f"{S.member_id(member_user.pk)}:{day}:{start}"


def test_hand_move_outside_availability_blocks_finalising():
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk"), ("P. Patel", "p.patel@northshire.example.gov.uk")]
    inspection, people, cases = sqs_world(n_cases=4, managers=managers)
    available(inspection, "j.smith@northshire.example.gov.uk", people["yot_manager"], windows={0: []})  # not on Monday
    services.schedule_solve(inspection=inspection, by=people["sso"])
    monday = _slot_on(inspection, people["lead"], 0, "1500")
    occupant = S.latest_version(inspection).entries.filter(slot_id=monday).first()
    if occupant is not None:
        services.schedule_unplace(inspection=inspection, case=occupant.case, by=people["sso"])
    outcome = services.schedule_move(inspection=inspection, case=cases[0], slot_id=monday, by=people["sso"])
    blocking = [v for v in outcome.violations if v.blocks_finalising]
    assert [v.rule for v in blocking][:1] == ["case_manager_unavailable"]
    assert blocking[0].message.startswith("HMIP-01: J. Smith is not available for the interview on Monday")
    with pytest.raises(ValidationError):
        services.schedule_finalise(inspection=inspection, by=people["sso"])
    inspection.refresh_from_db()
    assert inspection.status == Status.SAMPLE_SELECTED
    assert S.latest_version(inspection).state == VersionState.DRAFT
    assert Case.objects.filter(inspection=inspection, assessor__isnull=False).count() == 0


def test_hand_move_of_a_high_rosh_case_to_the_local_assessor_blocks_finalising():
    inspection, people, cases = sqs_world(n_cases=8)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    sensitive = cases[3]  # i % 7 == 3: high RoSH
    version = S.latest_version(inspection)
    assessor_slots = [
        s.id for s in S.schedule_inputs(inspection).slots if s.member_id == S.member_id(people["assessor"].pk)
    ]
    taken = set(version.entries.values_list("slot_id", flat=True))
    target = next(s for s in assessor_slots if s not in taken)
    outcome = services.schedule_move(inspection=inspection, case=sensitive, slot_id=target, by=people["sso"])
    rules = {v.rule: v for v in outcome.violations}
    # The inspectors have room (the slot it left is free again): the move breaks the rule.
    assert rules["high_rosh_with_local_assessor"].severity == "blocks finalising"
    assert rules["high_rosh_with_local_assessor"].message.startswith(
        "HMIP-04 has a high risk of serious harm but is with Lou Assessor, a local assessor, while an HMI "
        "Probation inspector can take it"
    )
    assert "sensitive_with_local_assessor" not in rules


def test_move_into_an_occupied_slot_is_refused_and_nothing_changes():
    inspection, people, cases = sqs_world(n_cases=4)
    version = services.schedule_solve(inspection=inspection, by=people["sso"]).version
    before = dict(version.entries.values_list("case_id", "slot_id"))
    with pytest.raises(ValidationError) as excinfo:
        services.schedule_move(
            inspection=inspection, case=cases[0], slot_id=slot_of(version, cases[1]), by=people["sso"]
        )
    assert "already holds HMIP-02" in excinfo.value.messages[0]
    assert dict(version.entries.values_list("case_id", "slot_id")) == before


def test_team_member_removed_after_the_schedule_is_named_in_a_violation():
    inspection, people, _cases = sqs_world(n_cases=20)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    team_member_remove(
        membership=TeamMembership.objects.get(inspection=inspection, user=people["assessor"]), by=people["lead"]
    )
    inputs = S.schedule_inputs(inspection)
    mapping, pins = S.assignment_of(S.entries_of(S.latest_version(inspection)))
    removed = [v for v in S.check(inputs, mapping, pins) if v.rule == "member_not_on_team"]
    assert removed, "the assessor's cases must be reported"
    assert all(v.blocks_finalising for v in removed)
    assert "Lou Assessor, who is no longer on the team" in removed[0].message


# --- Versions: send, finalise, emails ---------------------------------------------------------------


def test_send_then_change_lists_the_moves_and_tells_the_yot(django_capture_on_commit_callbacks):
    inspection, people, cases = sqs_world(n_cases=19)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.schedule_send(inspection=inspection, by=people["sso"], expected_number=1)
    assert first.state == VersionState.SENT
    assert "sample_due" in milestone_done_keys(inspection)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["yot.manager@northshire.example.gov.uk"]
    free = next(
        s.id
        for s in S.schedule_inputs(inspection).slots
        if s.id not in set(first.entries.values_list("slot_id", flat=True))
    )
    old = S.describe_slot(S.schedule_inputs(inspection), slot_of(first, cases[0]))
    services.schedule_move(inspection=inspection, case=cases[0], slot_id=free, by=people["sso"])
    second = S.latest_version(inspection)
    assert (second.number, second.state) == (2, VersionState.DRAFT)
    assert first.entries.get(case=cases[0]).slot_id != free  # the sent version never changes
    with django_capture_on_commit_callbacks(execute=True):
        second = services.schedule_send(inspection=inspection, by=people["sso"], expected_number=2)
    assert second.changes_read == [
        {"case": "HMIP-01", "from": old, "to": S.describe_slot(S.schedule_inputs(inspection), free)}
    ]
    assert len(mail.outbox) == 2
    assert "HMIP-01: from" in mail.outbox[1].body
    assert CHILD_SURNAME not in mail.outbox[1].body


def test_send_refuses_a_stale_page():
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    with pytest.raises(ValidationError) as excinfo:
        services.schedule_send(inspection=inspection, by=people["sso"], expected_number=7)
    assert "Someone else changed the schedule" in excinfo.value.messages[0]


def test_finalise_allocates_each_case_and_moves_the_inspection_on(django_capture_on_commit_callbacks):
    inspection, people, _cases = sqs_world(n_cases=20)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    with django_capture_on_commit_callbacks(execute=True):
        version = services.schedule_finalise(inspection=inspection, by=people["sso"], expected_number=1)
    assert version.state == VersionState.FINAL
    inspection.refresh_from_db()
    assert inspection.status == Status.SCHEDULE_FINAL
    for entry in version.entries.select_related("case"):
        assert entry.case.assessor_id == S.user_id_of(S.member_of_slot(entry.slot_id))
    assessors = set(Case.objects.filter(inspection=inspection).values_list("assessor__username", flat=True))
    assert assessors == {"lead", "assistant", "assessor"}
    to_yot = [m for m in mail.outbox if m.to == ["yot.manager@northshire.example.gov.uk"]]
    assert len(to_yot) == 1 and "is now final" in to_yot[0].body
    yours = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Your cases for fieldwork"))
    assert yours == sorted(people[p].email for p in ("lead", "assistant", "assessor"))
    assert len(mail.outbox) == 4


def test_finalise_is_refused_before_the_sample_is_selected():
    inspection, people, _cases = sqs_world(n_cases=4, status=Status.LONG_LIST_RECEIVED)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    with pytest.raises(ValidationError):
        services.schedule_finalise(inspection=inspection, by=people["sso"])
    assert S.latest_version(inspection).state == VersionState.DRAFT


# --- FJI: the YOT fills the template, the lead inspector approves --------------------------------


def test_fji_yot_fills_the_slots_sends_for_approval_and_the_lead_inspector_returns_then_approves(
    django_capture_on_commit_callbacks,
):
    inspection, people, cases = sqs_world(n_cases=5, programme=Programme.FJI)
    yot = people["yot_manager"]
    inputs = S.schedule_inputs(inspection)
    assert len(inputs.slots) == 10 + 11 * 3  # lead inspector 10, each other member 11 (slot_templates.yaml)
    tuesday = [s for s in inputs.slots if s.day == 1]
    for case, slot in zip(cases, tuesday[:5], strict=True):
        services.schedule_move(inspection=inspection, case=case, slot_id=slot.id, by=yot)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.schedule_send(inspection=inspection, by=yot)
    assert version.state == VersionState.SUBMITTED
    assert "final_schedule_due" in milestone_done_keys(inspection)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["lead"].email, people["sso"].email])
    assert all("for your approval" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.schedule_return(inspection=inspection, by=people["lead"], note="  ")
    services.schedule_return(inspection=inspection, by=people["lead"], note="Move HMIP-02 to Wednesday")
    assert S.latest_version(inspection).state == VersionState.RETURNED
    wednesday = next(s for s in inputs.slots if s.day == 2)
    services.schedule_move(inspection=inspection, case=cases[1], slot_id=wednesday.id, by=yot)
    draft = S.latest_version(inspection)
    assert (draft.number, draft.state) == (2, VersionState.DRAFT)
    services.schedule_send(inspection=inspection, by=yot)
    final = services.schedule_finalise(inspection=inspection, by=people["lead"])
    assert final.state == VersionState.FINAL and final.number == 2
    inspection.refresh_from_db()
    assert inspection.status == Status.SCHEDULE_FINAL


# --- Availability ----------------------------------------------------------------------------------


def test_availability_with_an_end_before_its_start_is_refused_naming_the_person_and_day():
    inspection, people, _cases = sqs_world(n_cases=2)
    days = [services.DayEntry(day=d) for d in inspection.fieldwork_days]
    days[1] = services.DayEntry(day=days[1].day, from_1=dt.time(14), until_1=dt.time(10))
    before = CaseManagerAvailability.objects.get(email="j.smith@northshire.example.gov.uk").days.count()
    with pytest.raises(ValidationError) as excinfo:
        services.availability_save(
            inspection=inspection,
            email="J.Smith@northshire.example.gov.uk",
            by=people["yot_manager"],
            returning_from_absence=False,
            needs="",
            max_per_day=2,
            days=days,
        )
    assert excinfo.value.message_dict == {
        "d1_until_1": ["J. Smith, Tuesday: the end time must be after the start time"]
    }
    assert CaseManagerAvailability.objects.get(email="j.smith@northshire.example.gov.uk").days.count() == before


def test_returning_case_manager_is_scheduled_after_their_first_day_back():
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk"), ("P. Patel", "p.patel@northshire.example.gov.uk")]
    inspection, people, cases = sqs_world(n_cases=4, managers=managers)
    available(inspection, "j.smith@northshire.example.gov.uk", people["yot_manager"], returning=True)
    version = services.schedule_solve(inspection=inspection, by=people["sso"]).version
    days = {int(slot_of(version, c).split(":")[1]) for c in (cases[0], cases[2])}
    assert 0 not in days


# --- Command -------------------------------------------------------------------------------------


def test_build_schedule_command_prints_each_case_with_objective_and_bound():
    inspection, _people, _cases = sqs_world(n_cases=6)
    out = StringIO()
    call_command("build_schedule", "--inspection", inspection.reference, "--json", "--time-limit", "3", stdout=out)
    data = json.loads(out.getvalue())
    assert data["status"] in {"optimal", "feasible"}
    assert data["version"] == 1 and data["saved"] is True
    assert len(data["cases"]) == 6
    first = data["cases"][0]
    assert set(first) >= {"case", "team_member", "day", "start", "end"}
    assert first["day"] in {d.isoformat() for d in inspection.fieldwork_days}
    assert data["objective"] >= data["best_bound"]


def test_build_schedule_command_dry_run_saves_nothing_and_exits_1_when_infeasible():
    managers = [("J. Smith", "j.smith@northshire.example.gov.uk")]
    inspection, people, _cases = sqs_world(n_cases=2, managers=managers)
    out = StringIO()
    call_command(
        "build_schedule", "--inspection", inspection.reference, "--json", "--dry-run", "--time-limit", "3", stdout=out
    )
    assert json.loads(out.getvalue())["saved"] is False
    assert ScheduleVersion.objects.count() == 0
    available(inspection, "j.smith@northshire.example.gov.uk", people["yot_manager"], windows={0: [], 1: [], 2: []})
    err = StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("build_schedule", "--inspection", inspection.reference, "--json", stdout=StringIO(), stderr=err)
    assert excinfo.value.code == 1
    assert "J. Smith has no availability" in err.getvalue()


def test_schedule_emails_are_created_once_even_if_asked_twice(django_capture_on_commit_callbacks):
    inspection, people, _cases = sqs_world(n_cases=4)
    services.schedule_solve(inspection=inspection, by=people["sso"])
    with django_capture_on_commit_callbacks(execute=True):
        version = services.schedule_send(inspection=inspection, by=people["sso"])
    with django_capture_on_commit_callbacks(execute=True):
        again = services.version_notify(version=version)  # a retry, or a second click
    assert again == []
    sent = Notification.objects.get(kind="schedule_sent")
    assert sent.key == f"schedule_sent:{version.pk}:{people['yot_manager'].pk}"
    assert (sent.inspection, sent.recipient, sent.status) == (inspection, people["yot_manager"], "sent")
    assert len(mail.outbox) == 1
