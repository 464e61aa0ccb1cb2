import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspections.enums import Country
from inspections.models import YouthOffendingTeam

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "yots.csv"


def read_yots(path: Path) -> list[dict[str, str]]:
    """Every row checked before anything is written; errors name the line."""
    errors, rows, seen = [], [], set()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        expected = ["code", "name", "country", "local_authorities"]
        if reader.fieldnames != expected:
            raise CommandError(
                f"{path}: the header must be {','.join(expected)}, not {','.join(reader.fieldnames or [])}"
            )
        for line, row in enumerate(reader, start=2):
            code, name, country = row["code"].strip(), row["name"].strip(), row["country"].strip()
            if not code or not name:
                errors.append(f"line {line}: code and name are required")
            if country not in Country.values:
                errors.append(f"line {line}: country {country!r} must be england or wales")
            if code in seen:
                errors.append(f"line {line}: code {code!r} appears twice")
            seen.add(code)
            rows.append(
                {"code": code, "name": name, "country": country, "local_authorities": row["local_authorities"].strip()}
            )
    if errors:
        raise CommandError("\n".join(errors))
    return rows


class Command(BaseCommand):
    help = "Load (or update) the youth offending teams of England and Wales from a CSV data file."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, **options):
        rows = read_yots(options["file"])
        with transaction.atomic():
            for row in rows:
                YouthOffendingTeam.objects.update_or_create(code=row["code"], defaults=row)
        self.stdout.write(f"{len(rows)} youth offending teams loaded")
