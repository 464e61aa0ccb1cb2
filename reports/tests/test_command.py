"""generate_report runs the workers' service synchronously and writes the files."""

import pytest
from django.core.management import CommandError, call_command

from inspections.enums import Status
from inspections.tests import factories as f
from reports.tests.factories import world

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_draft_and_the_chart_pack(tmp_path, capsys):
    tmp_path = tmp_path / "out"
    inspection, _people = world()
    call_command("generate_report", "--inspection", inspection.reference, "--kind", "draft", "--out", str(tmp_path))
    call_command(
        "generate_report", "--inspection", inspection.reference, "--kind", "chart_pack", "--out", str(tmp_path)
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    ref = inspection.reference
    assert names == [f"{ref}-chart-data.xlsx", f"{ref}-chart-pack.pdf", f"{ref}-letter-draft.pdf"]
    assert (tmp_path / f"{ref}-letter-draft.pdf").read_bytes().startswith(b"%PDF-")
    assert "pages" in capsys.readouterr().out


def test_the_command_writes_an_aggregate_for_a_period(tmp_path):
    tmp_path = tmp_path / "out"
    world(status=Status.PUBLISHED)
    day = f.FIELDWORK_MONDAY.isoformat()
    call_command("generate_report", "--kind", "aggregate", "--from", day, "--to", day, "--out", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == [f"sqs-aggregate-{day}-to-{day}.pdf"]


@pytest.mark.parametrize(
    "args",
    [["--kind", "draft"], ["--kind", "aggregate", "--from", "2027-02-01"], ["--kind", "draft", "--inspection", "NOPE"]],
    ids=["no-inspection", "no-end-date", "unknown-inspection"],
)
def test_the_command_refuses_incomplete_arguments(tmp_path, args):
    with pytest.raises(CommandError):
        call_command("generate_report", *args, "--out", str(tmp_path))
