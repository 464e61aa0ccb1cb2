"""Validate a long-list file without storing anything: `manage.py longlist_check FILE --announced DATE`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.longlist.reader import ReadLimits
from casework.longlist.validate import validate_longlist


def parse_announced(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--announced must be a date as YYYY-MM-DD, not {text!r}") from None


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None


class Command(BaseCommand):
    help = "Check a long-list file (xlsx or CSV) against the inspection's rules; exit status 1 if it has errors."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--announced", required=True, help="announcement date, YYYY-MM-DD")
        parser.add_argument("--max-bytes", type=int, default=ReadLimits().max_bytes)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        announced = parse_announced(options["announced"])
        data = read_file(options["file"])
        result = validate_longlist(
            data,
            announced=announced,
            filename=Path(options["file"]).name,
            limits=ReadLimits(max_bytes=options["max_bytes"]),
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
        elif result.ok:
            self.stdout.write(f"OK: {result.row_count} cases")
            for reading in result.readings:
                self.stdout.write(reading.describe())
        else:
            for error in result.errors:
                prefix = f"{error.sheet}: " if error.sheet else ""
                self.stdout.write(prefix + error.message)
        if not result.ok:
            raise SystemExit(1)
