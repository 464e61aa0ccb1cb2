"""The schedule laid out like seed 000 Appendix B: one page per team member, rows by time of
day, a column per day; the same layout feeds the web page, the xlsx and the PDF.

Every case is shown by its HMI Probation reference and its case manager's name, never the
child's name (seed 000 §10.4: "The completed schedule does not include information about
the child or young person, other than our reference number").
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from casework.longlist.export import neutralise
from scheduling import selectors as S
from scheduling.domain.model import DAY_NAMES, ROLE_LABELS, TeamMember, Window, format_hhmm
from scheduling.labels import block_label
from scheduling.models import ScheduledCase, ScheduleVersion

STEP = 15  # minutes per row
STATIC_DIR = Path(settings.BASE_DIR) / "static"
PDF_STYLESHEET = STATIC_DIR / "css" / "schedule.css"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Seed 000 §11.5 and Appendix B's note; printed on the xlsx and the PDF, so it names no source.
CASE_MANAGER_NOTE = (
    "Case managers join the inspector 30 minutes into each 2-hour slot (the first 30 minutes are for reading the "
    "case) and the final 15 minutes are for the inspector to write up."
)


@dataclass
class Cell:
    kind: str  # "case" (a case slot), a block kind, "free" (nothing scheduled) or "off" (no fieldwork that day)
    rowspan: int = 1
    window: Window | None = None
    label: str = ""
    reference: str = ""
    case_manager: str = ""
    record_only: bool = False
    pinned: bool = False
    slot_id: str = ""
    case_pk: int | None = None
    observed_by: str = ""

    @property
    def time(self) -> str:
        return str(self.window) if self.window else ""

    @property
    def case_line(self) -> str:
        """'HMIP-07 / CM: J. Smith' as on the seed's pages."""
        if not self.reference:
            return ""
        if self.record_only:
            return f"{self.reference} / CM: " + _("none – inspect from the record")
        return f"{self.reference} / CM: {self.case_manager}"

    @property
    def is_empty_slot(self) -> bool:
        return self.kind == "case" and not self.reference


@dataclass
class Row:
    minute: int
    cells: list[Cell | None]  # None: covered by a cell above (rowspan)

    @property
    def hour_label(self) -> str:
        return format_hhmm(self.minute) if self.minute % 60 == 0 else ""

    @property
    def time(self) -> str:
        return format_hhmm(self.minute)


@dataclass
class MemberPage:
    member: TeamMember
    days: list[tuple[int, str, dt.date]]
    rows: list[Row] = field(default_factory=list)
    cases: int = 0

    @property
    def role_label(self) -> str:
        return _(ROLE_LABELS[self.member.role])


def _span(window: Window, first: int) -> tuple[int, int]:
    start = (window.start - first) // STEP
    end = -(-(window.end - first) // STEP)
    return start, max(1, end - start)


def member_pages(
    inputs: S.ScheduleInputs, entries: Sequence[ScheduledCase], *, weekdays: bool = False
) -> list[MemberPage]:
    """A page per team member. ``weekdays`` shows Monday to Friday (the printed pages),
    with the days that have no fieldwork marked so; otherwise the template's days only."""
    week = inputs.week
    if week is None:
        return []
    start_date = inputs.inspection.fieldwork_start
    day_indexes = list(range(5)) if weekdays else list(week.days)
    days = [(d, _(DAY_NAMES[d]), start_date + dt.timedelta(days=d)) for d in day_indexes]
    windows = [s.window for s in week.slots] + [b.window for b in week.blocks]
    first = min((w.start for w in windows), default=9 * 60) // 60 * 60
    last = -(-max((w.end for w in windows), default=18 * 60) // 60) * 60
    n_rows = (last - first) // STEP
    placed = {e.slot_id: e for e in entries}
    pages = []
    for member in week.members:
        grid: list[list[Cell | None]] = [[Cell("free") for _d in days] for _r in range(n_rows)]

        def put(col: int, window: Window, cell: Cell, grid=grid) -> None:
            row, span = _span(window, first)
            row = max(0, min(row, n_rows - 1))
            span = min(span, n_rows - row)
            cell.rowspan = span
            grid[row][col] = cell
            for r in range(row + 1, row + span):
                grid[r][col] = None

        page = MemberPage(member, days)
        for col, (d, _name, _date) in enumerate(days):
            if d not in week.days:
                put(col, Window(first, last), Cell("off", label=_("No inspection fieldwork today")))
                continue
            for block in week.blocks:
                if block.member_id == member.id and block.day == d:
                    put(col, block.window, Cell(block.kind, window=block.window, label=block_label(block.label)))
            for slot in week.slots:
                if slot.member_id != member.id or slot.day != d:
                    continue
                cell = Cell(
                    "case",
                    window=slot.window,
                    label=block_label(slot.label),
                    slot_id=slot.id,
                    observed_by=inputs.member_name(slot.observed_by) if slot.observed_by else "",
                )
                entry = placed.get(slot.id)
                if entry is not None:
                    page.cases += 1
                    cell.reference = entry.case.label
                    cell.record_only = entry.case.reference in inputs.record_only
                    cell.case_manager = entry.case.case_manager
                    cell.pinned = entry.pinned
                    cell.case_pk = entry.case_id
                put(col, slot.window, cell)
        page.rows = [Row(first + i * STEP, grid[i]) for i in range(n_rows)]
        pages.append(page)
    return pages


def free_slots(inputs: S.ScheduleInputs, entries: Iterable[ScheduledCase]) -> list[tuple[str, str]]:
    """(slot id, description) of every empty case slot, in time order."""
    taken = {e.slot_id for e in entries}
    slots = sorted((s for s in inputs.slots if s.id not in taken), key=lambda s: (s.day, s.start, s.member_id))
    return [(s.id, S.describe_slot(inputs, s.id)) for s in slots]


# --- xlsx ------------------------------------------------------------------------------------------

_FILLS = {
    "case": "D2E2F1",
    "observe": "D2E2F1",
    "meeting": "CCE2D8",
    "debrief": "CCE2D8",
    "briefing": "FFF2B3",
    "quality_check": "E8D7EE",
    "preparation": "E8D7EE",
    "break": "EEEFEF",
    "lunch": "EEEFEF",
    "travel": "F3F2F1",
    "off": "F3F2F1",
}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", name).strip().strip("'")[:31] or "Team member"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def cell_text(cell: Cell) -> str:
    lines = [f"{cell.time} {cell.label}".strip()]
    if cell.case_line:
        lines.append(cell.case_line)
    if cell.observed_by:
        lines.append(_("Observed by %(name)s") % {"name": cell.observed_by})
    return "\n".join(lines)


def schedule_xlsx(inputs: S.ScheduleInputs, version: ScheduleVersion, entries: Sequence[ScheduledCase]) -> bytes:
    """One sheet per team member, laid out like the seed's pages. Every text cell is neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    thin = Side(style="thin", color="B1B4B6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    taken: set[str] = set()
    inspection = inputs.inspection
    for page in member_pages(inputs, entries, weekdays=True):
        sheet = workbook.create_sheet(_sheet_title(page.member.name, taken))
        width = len(page.days) + 1
        sheet.cell(1, 1, neutralise(f"{page.role_label.upper()}: {page.member.name}")).font = Font(bold=True, size=14)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
        sheet.cell(1, 4, neutralise(f"YOT: {inspection.yot.name}")).font = Font(bold=True, size=14)
        sheet.merge_cells(start_row=1, start_column=4, end_row=1, end_column=width)
        sheet.cell(
            2,
            1,
            neutralise(
                f"{inspection.reference} · "
                + _("schedule version %(n)d (%(state)s)") % {"n": version.number, "state": version.get_state_display()}
            ),
        )
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        sheet.cell(3, 1, _("Time")).font = Font(bold=True)
        for col, (_d, name, date) in enumerate(page.days, start=2):
            header = sheet.cell(3, col, neutralise(f"{name.upper()} {date.strftime('%d/%m/%Y')}"))
            header.font = Font(bold=True)
            header.border = border
        sheet.column_dimensions["A"].width = 7
        for col in range(2, width + 1):
            sheet.column_dimensions[get_column_letter(col)].width = 30
        for r, row in enumerate(page.rows, start=4):
            sheet.row_dimensions[r].height = 15
            sheet.cell(r, 1, row.hour_label or None)
            for col, cell in enumerate(row.cells, start=2):
                if cell is None or cell.kind == "free":
                    continue
                target = sheet.cell(r, col, neutralise(cell_text(cell)))
                target.alignment = wrap
                target.border = border
                if cell.kind in _FILLS:
                    target.fill = PatternFill("solid", fgColor=_FILLS[cell.kind])
                if cell.kind == "case" and cell.reference:
                    target.font = Font(bold=True)
                if cell.rowspan > 1:
                    sheet.merge_cells(start_row=r, start_column=col, end_row=r + cell.rowspan - 1, end_column=col)
        note_row = 4 + len(page.rows) + 1
        sheet.cell(note_row, 1, neutralise(_(CASE_MANAGER_NOTE))).alignment = wrap
        sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row + 1, end_column=width)
        sheet.freeze_panes = "B4"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if not workbook.sheetnames:
        workbook.create_sheet(_("Schedule"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------------


def _local_only(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    if url.startswith("file://"):
        path = Path(url.removeprefix("file://")).resolve()
        if path.is_relative_to(STATIC_DIR.resolve()):
            return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"the schedule may only use local assets, not {url!r}")


def render_pdf(template_name: str, context: dict) -> bytes:
    """A pure function from a template and a context to PDF bytes (A4 landscape, local assets only)."""
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_local_only)
    return document.write_pdf(stylesheets=[CSS(filename=str(PDF_STYLESHEET))])


def schedule_pdf(inputs: S.ScheduleInputs, version: ScheduleVersion, entries: Sequence[ScheduledCase]) -> bytes:
    context = {
        "inspection": inputs.inspection,
        "version": version,
        "pages": member_pages(inputs, entries, weekdays=True),
        "note": _(CASE_MANAGER_NOTE),
    }
    return render_pdf("scheduling/pdf.html", context)


def download_name(version: ScheduleVersion, extension: str) -> str:
    return f"{version.inspection.reference}-schedule-v{version.number}.{extension}"
