"""Exports as XLSX (an assignment's report, users, an exam's results, a round's entries, appraisal
reports): openpyxl's write-only workbook, one row at a time, into a temporary file
that the view streams out (a zip cannot be written to the socket as it goes; the rows never sit in memory
as cells). Text that a spreadsheet would run as a formula is quoted (drill.spreadsheets)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from datetime import datetime
from typing import IO
from urllib.parse import quote
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from drill.spreadsheets import safe_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IN_MEMORY_UP_TO = 1024 * 1024  # bytes; a larger file spills to disk
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
WIDTHS = (14, 12, 18, 14, 9, 9, 18)


def content_disposition(disposition: str, name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name (Chinese file names survive the download)."""
    name = name.rsplit("/", 1)[-1][-120:] or "file"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(name: str) -> dict:
    """The headers that make a response a download named `name`."""
    return {"Content-Disposition": content_disposition("attachment", name)}


def local_time(instant: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An instant as the local wall-clock time, without a zone: a spreadsheet cell holds no zone."""
    return None if instant is None else instant.astimezone(zone).replace(tzinfo=None)


def write_xlsx(title: str, headers: list[str], rows: Iterable[list]) -> IO[bytes]:
    """A one-sheet workbook (bold header, frozen; times as yyyy-mm-dd hh:mm), rewound to its start."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_BAD_TITLE.sub("_", title)[:31] or "-")
    for column, width in zip("ABCDEFG", WIDTHS, strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, value, font=bold) for value in safe_row(headers)])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in safe_row(row)])
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)  # noqa: SIM115  the response closes it
    book.save(out)
    out.seek(0)
    return out


def _cell(sheet, value, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell
