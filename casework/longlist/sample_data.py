"""Synthetic long-lists for tests, the benchmark and demonstrations: made-up children, never real data."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Sequence

from .rows import LongListRow
from .spec import (
    ETHNICITIES,
    HEADING_LABELS,
    INSTRUCTIONS_SHEET,
    LEVELS,
    ORDER_SUGGESTIONS,
    SCALED_APPROACH,
    Heading,
    eligibility_windows,
    fields_for,
)

_FAMILY = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Khan",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Okafor",
    "Nowak",
    "Hughes",
    "Edwards",
    "Green",
)
_GIVEN = (
    "Jack",
    "Oliver",
    "Harry",
    "Charlie",
    "Amelia",
    "Olivia",
    "Jessica",
    "Mohammed",
    "Kai",
    "Leah",
    "Tyler",
    "Chloe",
    "Aaron",
    "Zara",
    "Callum",
    "Ellie",
    "Reece",
    "Jade",
    "Liam",
    "Nia",
)


def synthetic_rows(n: int, *, announced: dt.date, seed: int = 0, managers: int | None = None) -> list[LongListRow]:
    """`n` valid rows spread over the headings roughly 25/45/30, inside the inspection's windows."""
    rng = random.Random(seed)  # noqa: S311 - made-up test data, not security
    windows = eligibility_windows(announced)
    managers = managers or max(3, n // 12)
    rows = []
    for i in range(n):
        heading = rng.choices(list(Heading), weights=(25, 45, 30))[0]
        w = windows[heading]
        sentence = w.earliest + dt.timedelta(days=rng.randint(0, (w.latest - w.earliest).days))
        age_days = rng.randint(10 * 366, 17 * 365 + 300)
        born = sentence - dt.timedelta(days=age_days)
        manager = rng.randrange(managers)
        rows.append(
            LongListRow(
                heading=heading,
                sheet=HEADING_LABELS[heading],
                row_number=i + 2,
                case_id=f"Y{100000 + i}",
                family_name=rng.choice(_FAMILY) + ("-" + rng.choice(_FAMILY) if rng.random() < 0.1 else ""),
                first_names=f"{rng.choice(_GIVEN)} {rng.choice(_GIVEN)}{i}",
                gender=rng.choices(("Male", "Female", "Not known"), weights=(80, 18, 2))[0],
                date_of_birth=born,
                ethnicity=rng.choices(ETHNICITIES, weights=(70, 8, 8, 10, 2, 2))[0],
                order_type=rng.choice(ORDER_SUGGESTIONS[heading]),
                sentence_date=sentence,
                sentence_length=f"{rng.choice((3, 4, 6, 9, 12, 18, 24))} months",
                termination_date=None,
                termination_reason="",
                asset_score=rng.randint(0, 64),
                scaled_approach=rng.choice(SCALED_APPROACH),
                vulnerability=rng.choices(LEVELS, weights=(40, 40, 15, 5))[0],
                rosh=rng.choices(LEVELS, weights=(45, 40, 12, 3))[0],
                looked_after=(la := rng.random() < 0.15),
                home_host=rng.choice(("Home", "Host")) if la else "",
                child_protection=rng.random() < 0.08,
                case_manager=f"Case Manager {manager:03d}",
                case_manager_email=f"cm{manager:03d}@yot.example.gov.uk",
                line_manager=f"Team Leader {manager % 7}",
                case_manager_needs="",
                office=rng.choice(("North", "South", "Central")),
                suitability_note="Revoked and resentenced before assessment" if rng.random() < 0.03 else "",
                other_information="",
                release_date=sentence + dt.timedelta(days=rng.randint(30, 200))
                if heading is Heading.CUSTODIAL
                else None,
                release_reason="",
                licence_length="3 months" if heading is Heading.CUSTODIAL else "",
            )
        )
    return rows


def cell_values(row: LongListRow) -> list[object]:
    """The row as the cells of its heading's sheet, dates as datetimes like openpyxl returns them."""
    out: list[object] = []
    for f in fields_for(row.heading):
        value = getattr(row, f.key)
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, dt.date):
            value = dt.datetime.combine(value, dt.time())
        elif value == "":
            value = None
        out.append(value)
    return out


def longlist_workbook(rows: Sequence[LongListRow], *, yot_name: str = "Testshire YOT", announced: dt.date) -> bytes:
    """A filled long-list in the template's layout, written fast (write-only) for large lists."""
    from openpyxl import Workbook

    from .template import HEADER_ROW

    windows = eligibility_windows(announced)
    wb = Workbook(write_only=True)
    wb.create_sheet(INSTRUCTIONS_SHEET).append(["Synthetic long-list"])
    for heading in Heading:
        ws = wb.create_sheet(HEADING_LABELS[heading])
        ws.append([f"{yot_name}: long-list of {HEADING_LABELS[heading]} cases"])
        ws.append([f"Sentence date from {windows[heading].describe()}"])
        for _ in range(HEADER_ROW - 3):
            ws.append([])
        ws.append([f.header for f in fields_for(heading)])
        for row in rows:
            if row.heading is heading:
                ws.append(cell_values(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
