"""``python manage.py anonymise_due [--dry-run] [--days N]``

Removes the children's names, dates of birth and case IDs of every inspection published at least
``RETENTION_DAYS`` ago (casework/retention.py), as the daily beat task does. ``--dry-run`` lists
what would be removed and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from casework import retention


class Command(BaseCommand):
    help = "Remove children's names and dates of birth from inspections published longer ago than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what would be removed; change nothing")
        parser.add_argument("--days", type=int, help="the retention period in days (default: RETENTION_DAYS)")

    def handle(self, *args: Any, dry_run: bool = False, days: int | None = None, **options: Any) -> None:
        if days is not None and days < 1:
            raise CommandError(_("--days must be 1 or more."))
        if dry_run:
            removals = [retention.removal_plan(i) for i in retention.due_inspections(days=days)]
        else:
            removals = retention.anonymise_due(days=days)
        for removal in removals:
            published = f"{removal.published_at:%Y-%m-%d}" if removal.published_at else "?"
            self.stdout.write(
                _(
                    "%(reference)s (published %(published)s): names, dates of birth and case IDs of "
                    "%(entries)d long-list entries; %(copies)d other records mentioning them; %(files)d files"
                )
                % {
                    "reference": removal.reference,
                    "published": published,
                    "entries": removal.entries,
                    "copies": removal.copies,
                    "files": len(removal.files),
                }
            )
            for name in removal.files:
                self.stdout.write(f"  {name}")
        if dry_run:
            summary = _("Would anonymise %(n)d inspections (dry run: nothing changed).")
        else:
            summary = _("Anonymised %(n)d inspections.")
        self.stdout.write(summary % {"n": len(removals)})
