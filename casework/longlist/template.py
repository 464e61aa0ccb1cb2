"""The long-list template an inspection's YOT manager downloads (seed 000 §10.2, Appendix A).

A pure function from the inspection's details to xlsx bytes. Every header, choice list and window comes
from spec.py, so the reader always accepts a filled-in template.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import (
    EXCLUSION_MESSAGE,
    FIELDS,
    HEADING_LABELS,
    INSTRUCTIONS_SHEET,
    ORDER_SUGGESTIONS,
    EligibilityWindow,
    FieldType,
    Heading,
    fields_for,
)

HEADER_ROW = 5  # rows 1-4 hold the title, the window and the required/optional line
TEMPLATE_ROWS = 2000  # drop-downs and date checks cover this many case rows
DATE_FORMAT = "DD/MM/YYYY"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")


def _serial(day: dt.date) -> int:
    return (day - _EXCEL_EPOCH).days


def _heading_sheet(wb: Workbook, heading: Heading, yot_name: str, window: EligibilityWindow) -> None:
    ws = wb.create_sheet(HEADING_LABELS[heading])
    fields = fields_for(heading)
    label = HEADING_LABELS[heading]
    ws["A1"] = f"{yot_name}: long-list of {label} cases"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"Only cases with a sentence date from {window.earliest:%d/%m/%Y} to {window.latest:%d/%m/%Y} "
        "(both dates included)."
    )
    ws["A2"].font = Font(bold=True)
    ws["A3"] = (
        "One row per case, no blank rows between cases. Do not add, delete, rename or merge columns. "
        "Enter dates as dates (dd/mm/yyyy)."
    )
    last_row = HEADER_ROW + TEMPLATE_ROWS
    for col, f in enumerate(fields, start=1):
        letter = get_column_letter(col)
        ws.cell(row=HEADER_ROW - 1, column=col, value="Required" if f.required else "Optional").font = Font(italic=True)
        cell = ws.cell(row=HEADER_ROW, column=col, value=f.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = max(14, min(40, len(f.header) + 4))
        cells = f"{letter}{HEADER_ROW + 1}:{letter}{last_row}"
        validation = None
        if f.type is FieldType.CHOICE:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(f.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f.header,
                error="Choose one of: " + ", ".join(f.choices),
            )
        elif f.type is FieldType.DATE:
            ws.column_dimensions[letter].number_format = DATE_FORMAT
            if f.key == "sentence_date":
                validation = DataValidation(
                    type="date",
                    operator="between",
                    formula1=str(_serial(window.earliest)),
                    formula2=str(_serial(window.latest)),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=f.header,
                    error=f"The sentence date must be from {window.earliest:%d/%m/%Y} to {window.latest:%d/%m/%Y}.",
                )
            else:
                validation = DataValidation(
                    type="date",
                    operator="greaterThan",
                    formula1="1",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=f.header,
                    error="Enter a date (dd/mm/yyyy).",
                )
        elif f.type is FieldType.NUMBER:
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1=str(f.minimum),
                formula2=str(f.maximum),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f.header,
                error=f"Enter a whole number from {f.minimum} to {f.maximum}.",
            )
        elif f.key == "order_type":
            # Suggestions only: any order name is accepted.
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(ORDER_SUGGESTIONS[heading]) + '"',
                allow_blank=True,
                showErrorMessage=False,
            )
        if validation is not None:
            validation.add(cells)
            ws.add_data_validation(validation)
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def _instructions(wb: Workbook, yot_name: str, announced: dt.date, windows: dict[Heading, EligibilityWindow]) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    lines: list[tuple[str, ...]] = [
        (f"HMI Probation long-list for {yot_name}",),
        (f"Inspection announced on {announced:%d/%m/%Y}.",),
        (),
        ("List your recent statutory cases on the three sheets: 1st tier, Community and Custodial.",),
        ("Cases must have a sentence date inside the window for their heading:",),
    ]
    for heading in Heading:
        w = windows[heading]
        lines.append((HEADING_LABELS[heading], f"{w.earliest:%d/%m/%Y} to {w.latest:%d/%m/%Y}"))
    lines += [
        (),
        ("Not required: " + EXCLUSION_MESSAGE.split(" are not required")[0] + ".",),
        (
            "If you think a case may not be suitable for inspection, keep it on the list and explain in "
            '"Note on suitability": HMI Probation decides.',
        ),
        ("List each child once. Give every case manager's email address.",),
        (
            "Enter dates as dates (dd/mm/yyyy), not as text. Do not use formulas or merged cells, and do not "
            "leave blank rows between cases.",
        ),
        (),
        ("Column", "Required", "Allowed values", "Notes"),
    ]
    for f in FIELDS:
        allowed = (
            ", ".join(f.choices)
            if f.choices
            else (
                f"a whole number from {f.minimum} to {f.maximum}"
                if f.type is FieldType.NUMBER
                else "a date"
                if f.type is FieldType.DATE
                else "an email address"
                if f.type is FieldType.EMAIL
                else "text"
            )
        )
        notes = f.help + (" Custodial sheet only." if f.custodial_only else "")
        required = "Yes" if f.required else "No"
        if f.key == "home_host":
            required = "If Looked After"
        lines.append((f.header, required, allowed, notes.strip()))
    for row in lines:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    for col, width in zip("ABCD", (40, 22, 50, 80), strict=True):
        ws.column_dimensions[col].width = width


def build_template(*, yot_name: str, announced: dt.date, windows: dict[Heading, EligibilityWindow]) -> bytes:
    """The xlsx long-list template for one inspection: instructions plus one sheet per heading."""
    wb = Workbook()
    _instructions(wb, yot_name, announced, windows)
    for heading in Heading:
        _heading_sheet(wb, heading, yot_name, windows[heading])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
