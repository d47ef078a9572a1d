"""Exports as XLSX (an assignment's report, users, an exam's results, a round's entries): XlsxWriter in
constant-memory mode, one row at a time, into a temporary file that the view streams out (a zip cannot be
written to the socket as it goes; the rows never sit in memory as cells). XlsxWriter writes 5,000 rows of
seven cells in about half of openpyxl's write-only time (#14). Text that a spreadsheet would run as a
formula is quoted (drill.spreadsheets), and every text goes in as a text cell, never parsed as a formula.
The appraisal exports, with their merged and coloured headers, stay on openpyxl (appraisal/export.py)."""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from numbers import Number
from typing import IO
from urllib.parse import quote
from zoneinfo import ZoneInfo

from xlsxwriter import Workbook

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
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)  # noqa: SIM115  the response closes it
    book = Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet(sheet_name(title))
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    bold = book.add_format({"bold": True})
    formats = {
        datetime: book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        date: book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for column, header in enumerate(safe_row(headers)):
        sheet.write_string(0, column, str(header), bold)
    for line, row in enumerate(rows, start=1):
        for column, value in enumerate(safe_row(row)):
            _write(sheet, line, column, value, formats)
    book.close()
    out.seek(0)
    return out


def _write(sheet, line: int, column: int, value, formats: dict) -> None:
    """One cell by its Python type: text always as text (never a formula), nothing for None, NaN or
    infinity (an empty cell, not a failed download)."""
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(line, column, value)
    elif isinstance(value, bool):
        sheet.write_boolean(line, column, value)
    elif isinstance(value, Number):
        if math.isfinite(number := float(value)):
            sheet.write_number(line, column, number)
    elif isinstance(value, datetime):
        sheet.write_datetime(line, column, value, formats[datetime])
    elif isinstance(value, date):
        sheet.write_datetime(line, column, value, formats[date])
    else:
        sheet.write_string(line, column, str(value))


def sheet_name(title: str) -> str:
    """A title as a worksheet name: none of []:*?/\\, no quote at either end, at most 31 characters as
    Excel counts them (UTF-16 units: 𠮷 or an emoji counts two)."""
    name = _BAD_TITLE.sub("_", title)[:31]
    while len(name.encode("utf-16-le")) > 62:
        name = name[:-1]
    return name.strip("'") or "-"
