"""Validate a long-list file and print the sample the selection rules choose (nothing is stored)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.longlist.selection import PROGRAMMES, mix_table, select_sample
from casework.longlist.validate import validate_longlist

from .longlist_check import parse_announced, read_file


class Command(BaseCommand):
    help = "Select an inspection case sample from a long-list file; exit status 1 if the file has errors."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--announced", required=True, help="announcement date, YYYY-MM-DD")
        parser.add_argument("--size", type=int, required=True, help="sample size: normally 14, 20, 34 or 47")
        parser.add_argument("--programme", choices=PROGRAMMES, default="sqs")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        if options["size"] < 1:
            raise CommandError("--size must be at least 1")
        announced = parse_announced(options["announced"])
        result = validate_longlist(read_file(options["file"]), announced=announced, filename=Path(options["file"]).name)
        if not result.ok:
            if options["json"]:
                self.stdout.write(json.dumps(result.as_dict(), indent=2))
            else:
                for error in result.errors:
                    self.stdout.write((f"{error.sheet}: " if error.sheet else "") + error.message)
            raise SystemExit(1)
        selection = select_sample(
            result.rows, size=options["size"], programme=options["programme"], seed=options["seed"]
        )
        mix = mix_table(result.rows, [c.row for c in selection.cases])
        if options["json"]:
            payload = {
                "ok": True,
                "rows": result.row_count,
                **selection.as_dict(),
                "mix": [asdict(line) for line in mix],
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        for case in selection.cases:
            self.stdout.write(f"{case.case_id}\t{case.row.heading.label}\t" + "; ".join(case.reasons))
        for rule in selection.unmet:
            self.stdout.write(f"Not met: {rule.message}")
        for line in mix:
            self.stdout.write(
                f"{line.dimension}\t{line.value}\t{line.list_count} ({line.list_percent}%)\t"
                f"{line.sample_count} ({line.sample_percent}%)"
            )
