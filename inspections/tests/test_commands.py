import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inspections.enums import Programme, StaffRole, Status
from inspections.management.commands.load_demo import DEMO_PASSWORD
from inspections.models import Inspection, User, YouthOffendingTeam


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_timeline_json_has_every_required_key_for_sqs():
    data = json.loads(
        _run("timeline", "--programme", "sqs", "--country", "england", "--fieldwork-start", "2027-02-08", "--json")
    )
    for key in (
        "announcement",
        "long_list_due",
        "sample_due",
        "iia_due",
        "final_schedule_due",
        "fieldwork_start",
        "fieldwork_end",
        "draft_report_due",
        "factual_accuracy_due",
        "publication_due",
    ):
        assert key in data
    assert data["long_list_due"] == "2027-01-28T12:00:00+00:00"
    assert data["publication_due"] == "2027-03-03"
    assert data["warnings"] == []


def test_timeline_json_for_fji_has_the_second_week_and_improvement_plan():
    data = json.loads(
        _run("timeline", "--programme", "fji", "--country", "wales", "--fieldwork-start", "2027-09-20", "--json")
    )
    assert data["fieldwork_week2_start"] == "2027-10-04T13:00:00+01:00"
    assert data["fieldwork_week2_end"] == "2027-10-08T10:00:00+01:00"
    assert data["improvement_plan_due"] == "2028-01-07"  # Friday of week +15
    assert data["warnings"] == []  # the table's Friday is a working day: nothing moves


@pytest.mark.parametrize(
    ("start", "message"),
    [("2027-02-09", "9 February 2027 is a Tuesday"), ("2027-02-30", "is not a date in the form YYYY-MM-DD")],
)
def test_timeline_refuses_bad_starts(start, message):
    with pytest.raises(CommandError, match=message):
        _run("timeline", "--programme", "sqs", "--country", "england", "--fieldwork-start", start, "--json")


@pytest.mark.django_db
def test_load_yots_reads_the_data_file():
    _run("load_yots")
    assert YouthOffendingTeam.objects.count() >= 150
    assert YouthOffendingTeam.objects.get(name="Cardiff").country == "wales"
    assert YouthOffendingTeam.objects.filter(country="wales").count() >= 15


@pytest.mark.django_db
def test_load_yots_refuses_a_bad_file_whole(tmp_path: Path):
    bad = tmp_path / "yots.csv"
    bad.write_text("code,name,country,local_authorities\na,A,england,\nb,B,scotland,\na,C,wales,\n")
    with pytest.raises(CommandError) as exc:
        _run("load_yots", "--file", str(bad))
    assert "line 3: country 'scotland' must be england or wales" in str(exc.value)
    assert "line 4: code 'a' appears twice" in str(exc.value)
    assert YouthOffendingTeam.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_load_demo_gives_every_role_and_five_inspections():
    output = _run("load_demo")
    assert DEMO_PASSWORD in output
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in StaffRole}
    inspections = list(Inspection.objects.select_related("yot"))
    assert sorted((i.programme, i.yot.country) for i in inspections) == [
        (Programme.FJI, "england"),
        (Programme.FJI, "england"),
        (Programme.FJI, "wales"),
        (Programme.SQS, "england"),
        (Programme.SQS, "wales"),
    ]
    # The apps' demo steps take Manchester to a final schedule, Cardiff to a proposed sample and the
    # Welsh FJI (Newport) to a final sample with partner cases.
    assert {i.yot.code: i.status for i in inspections} == {
        "manchester": Status.SCHEDULE_FINAL,
        "cardiff": Status.LONG_LIST_RECEIVED,
        "bristol": Status.PLANNED,
        "newport": Status.SAMPLE_SELECTED,
        "leicester": Status.FACTUAL_ACCURACY,  # inspected ten weeks ago: its draft report is with the YOT
    }
    assert User.objects.get(username="lead").check_password(DEMO_PASSWORD)
    # Running it again changes nothing.
    _run("load_demo")
    assert Inspection.objects.count() == 5
