"""Reading a long-list file safely: the checks made before any row is looked at, and the raw rows.

Everything here is about the file, not the cases: size, what kind of file it is, zip and XML bombs,
merged cells, and the plain row tuples of each sheet. Row checks live in validate.py.

Accepted kinds:
- an Excel workbook (.xlsx) laid out like the template: one sheet per heading named "1st tier",
  "Community" and "Custodial" (and optionally the template's "Instructions" sheet, which is ignored);
- one CSV file (UTF-8, or Windows-1252 as Excel's plain "CSV (Comma delimited)" saves it) whose first
  column is "Heading" with the value 1st tier, Community or Custodial on each row, followed by the same
  columns as the Custodial sheet (custodial columns left blank on other rows).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import defusedxml
import defusedxml.ElementTree as SafeET
from django.utils.translation import gettext as _

from .spec import DEFAULT_MAX_BYTES, N_

# Zip bomb limits. A real long-list of a few thousand rows unpacks to tens of megabytes at most and
# compresses about 5 to 30 times (worksheet XML is repetitive); a bomb compresses thousands of times.
DEFAULT_MAX_UNCOMPRESSED = 60 * 1024 * 1024
DEFAULT_MAX_RATIO = 200
# What a long-list can hold at the most, counted in the sheet XML before any parser sees it (a
# streaming count runs at hundreds of MB a second; parsing is a hundred times slower, so a file
# that evades the ratio check with millions of tiny cells is refused here, in well under a second).
# A YOT's long-list is a few hundred cases; the template has about 30 columns.
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_CELLS = 400_000
DEFAULT_MAX_SHARED_STRINGS = 400_000
# Small parts (styles, themes) can compress very well without being dangerous.
_RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 1000
# The part of a sheet after its cell data (merged cells, validations, page set-up) is small.
_MAX_SHEET_TAIL_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024


class FileRejected(Exception):
    """The file as a whole cannot be read; the message is plain English for the uploader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED
    max_ratio: int = DEFAULT_MAX_RATIO
    max_rows: int = DEFAULT_MAX_ROWS
    max_cells: int = DEFAULT_MAX_CELLS
    max_shared_strings: int = DEFAULT_MAX_SHARED_STRINGS


def _megabytes(n: int) -> str:
    return _("%(n)d MB") % {"n": round(n / (1024 * 1024))} if n >= 1024 * 1024 else _("%(n)d KB") % {"n": n // 1024}


def sniff(data: bytes, *, filename: str | None = None, limits: ReadLimits | None = None) -> str:
    """Return "xlsx" or "csv", or raise FileRejected. Decides by content; the name only helps messages."""
    limits = limits or ReadLimits()
    if len(data) > limits.max_bytes:
        raise FileRejected(
            _(
                "The file is %(size)s, larger than the %(limit)s limit. A long-list should be far smaller: check "
                "that it holds only the long-list."
            )
            % {"size": _megabytes(len(data)), "limit": _megabytes(limits.max_bytes)}
        )
    if not data:
        raise FileRejected(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        check_zip(data, limits)
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRejected(
            _(
                "This is an old-style Excel 97-2003 (.xls) file or a password-protected workbook. Save it as an "
                "Excel Workbook (.xlsx) without a password and upload it again."
            )
        )
    name = (filename or "").casefold()
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        raise FileRejected(
            _("%(name)s is named as an Excel file but is not one. Upload the .xlsx long-list made from the template.")
            % {"name": filename}
        )
    head = data[:8192]
    if b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8")):
        raise FileRejected(
            _(
                "This file is not a spreadsheet. Upload the long-list as an Excel workbook (.xlsx) made from the "
                "template, or as a CSV file."
            )
        )
    return "csv"


def check_zip(data: bytes, limits: ReadLimits) -> None:
    """Refuse zips that are not workbooks or that would unpack to far more than they hold."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRejected(
            _(
                "The file looks like an Excel workbook but is damaged and cannot be opened. Save it again as an "
                "Excel Workbook (.xlsx)."
            )
        ) from None
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRejected(
            _("This is a zip file but not an Excel workbook (.xlsx). Upload the long-list made from the template.")
        )
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FileRejected(
            _(
                "The workbook has %(n)d parts, more than a long-list ever needs; it may be a zip bomb and has not "
                "been opened."
            )
            % {"n": len(entries)}
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > _RATIO_CHECK_FROM_BYTES and entry.file_size > limits.max_ratio * max(
            entry.compress_size, 1
        ):
            raise FileRejected(
                _(
                    "Part %(part)s of the workbook would unpack to %(size)s from %(packed)s, more than %(ratio)d "
                    "times its size; it may be a zip bomb and has not been opened."
                )
                % {
                    "part": entry.filename,
                    "size": _megabytes(entry.file_size),
                    "packed": _megabytes(entry.compress_size),
                    "ratio": limits.max_ratio,
                }
            )
    if total > limits.max_uncompressed:
        raise FileRejected(
            _(
                "The workbook would unpack to %(size)s, more than the %(limit)s limit; it may be a zip bomb and has "
                "not been opened."
            )
            % {"size": _megabytes(total), "limit": _megabytes(limits.max_uncompressed)}
        )
    for entry in entries:
        _check_counts(archive, entry, limits)
    # xlsx parts never declare a DTD. Refuse any that does before a parser sees it (defusedxml would
    # also refuse entity expansion; this gives the plain message early).
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(entry) as part:
            head = part.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise FileRejected(xml_bomb_message())


XML_BOMB_MESSAGE = N_(
    "The workbook contains XML entity declarations, which Excel never writes; it may be an XML bomb "
    "and has not been read. Save the long-list again from Excel as an Excel Workbook (.xlsx)."
)


def xml_bomb_message() -> str:
    return _(XML_BOMB_MESSAGE)


def _count_tokens(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, tokens: tuple[bytes, ...], limit: int) -> int:
    """How often any of ``tokens`` occurs in the part, streamed; stops as soon as ``limit`` is passed."""
    keep = max(len(t) for t in tokens) - 1
    count, tail = 0, b""
    with archive.open(entry) as part:
        while chunk := part.read(_CHUNK * 16):
            window = tail + chunk
            count += sum(window.count(t) for t in tokens)
            if count > limit:
                return count
            tail = window[-keep:]
    return count


def _check_counts(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: ReadLimits) -> None:
    name = entry.filename
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        sheet = name.rsplit("/", 1)[-1].removesuffix(".xml")
        if _count_tokens(archive, entry, (b"<row ", b"<row>"), limits.max_rows) > limits.max_rows:
            raise FileRejected(
                _(
                    "A sheet of the workbook (%(sheet)s) has more than %(n)s rows, far more than a long-list ever "
                    "holds; it has not been read. Send only the cases the template asks for."
                )
                % {"sheet": sheet, "n": f"{limits.max_rows:,}"}
            )
        if _count_tokens(archive, entry, (b"<c ", b"<c>"), limits.max_cells) > limits.max_cells:
            raise FileRejected(
                _(
                    "A sheet of the workbook (%(sheet)s) has more than %(n)s cells, far more than a long-list ever "
                    "holds; it has not been read. Send only the cases and columns the template asks for."
                )
                % {"sheet": sheet, "n": f"{limits.max_cells:,}"}
            )
    elif (
        name == "xl/sharedStrings.xml"
        and _count_tokens(archive, entry, (b"<si>", b"<si "), limits.max_shared_strings) > limits.max_shared_strings
    ):
        raise FileRejected(
            _(
                "The workbook holds more than %(n)s different texts, far more than a long-list ever holds; it has "
                "not been read."
            )
            % {"n": f"{limits.max_shared_strings:,}"}
        )


def is_defused_error(exc: BaseException | None) -> bool:
    """True when defusedxml refused the XML, even if openpyxl wrapped its exception in another."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, defusedxml.DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


_SHEET_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>|<(?:[A-Za-z_][\w.-]*:)?sheetData\s*/>")
_ROOT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")


def merged_ranges(data: bytes, worksheet_path: str) -> list[str]:
    """The merged-cell ranges of one worksheet part, e.g. ["B7:C7"].

    Read-only openpyxl does not report merged cells, and parsing the whole sheet a second time would
    double the cost of an upload. The <mergeCells> element comes after <sheetData>, so the part is
    streamed until the end of the cell data and only the small tail is parsed, with defusedxml, inside
    the sheet's own root tag (which carries the namespace declarations).
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    with archive.open(worksheet_path.lstrip("/")) as part:
        first = part.read(_CHUNK)
        root = _ROOT_START.search(first)
        if root is None:
            return []
        carry = b""
        chunk = first
        tail = None
        while chunk:
            window = carry + chunk
            end = _SHEET_DATA_END.search(window)
            if end:
                tail = window[end.end() :]
                break
            carry = window[-64:]
            chunk = part.read(_CHUNK)
        if tail is None:
            return []
        while True:
            more = part.read(_CHUNK)
            if not more:
                break
            tail += more
            if len(tail) > _MAX_SHEET_TAIL_BYTES:
                raise FileRejected(
                    _(
                        "A sheet of the workbook has an unexpectedly large section after its cells and has not "
                        "been read. Use the template."
                    )
                )
    if b"mergeCell" not in tail:
        return []
    document = root.group(0) + tail
    try:
        tree = SafeET.fromstring(document)
    except defusedxml.DefusedXmlException:
        raise FileRejected(xml_bomb_message()) from None
    except SafeET.ParseError:
        raise FileRejected(
            _("A sheet of the workbook is damaged and cannot be read. Save it again as an Excel Workbook (.xlsx).")
        ) from None
    return [el.get("ref", "") for el in tree.iter() if el.tag.rsplit("}", 1)[-1] == "mergeCell"]


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRejected(
            _(
                "This file is not a spreadsheet or a text CSV file. Upload the long-list as an Excel workbook "
                "(.xlsx) or a CSV file."
            )
        ) from None


def iter_csv_rows(text: str) -> Iterator[tuple[str | None, ...]]:
    """Rows of a CSV file as tuples, blank cells as None, like openpyxl's values_only rows."""
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            yield tuple(value if value.strip() else None for value in record)
    except csv.Error as exc:
        raise FileRejected(
            _("The CSV file cannot be read: %(problem)s. Save it again as CSV.") % {"problem": exc}
        ) from None
