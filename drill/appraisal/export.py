"""A period's records as XLSX (one formatted sheet per branch) and CSV (everything, for other systems).

Each line: organisation rank, unit rank, employee number, name, unit, total, grade, vetoed, and each
dimension's contribution — the same numbers as the record's trail. Text that a spreadsheet would run as a
formula is quoted (drill.spreadsheets).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from drill.appraisal.reports import Row, dimension_scores
from drill.spreadsheets import safe_cell, safe_row

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
VETO_FILL = PatternFill("solid", fgColor="F8D7DA")
THIN = Side(style="thin", color="A6A6A6")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def line(row: Row, dimensions: list[tuple[str, str]], bands: dict[str, str], yes: str) -> list:
    record, scores = row.record, dimension_scores(row.record)
    return [
        row.org_rank,
        record.rank,
        row.user.employee_no,
        row.user.name,
        row.user.branch.name,
        record.total,
        bands.get(record.band, record.band),
        yes if record.vetoed else "",
        *(scores.get(key) for key, _ in dimensions),
    ]


def to_csv(headers: list[str], body: Iterable[list]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(safe_row(headers))
    writer.writerows(safe_row("" if v is None else v for v in line) for line in body)
    return text.getvalue().encode("utf-8-sig")  # Excel on Chinese Windows opens BOM'd UTF-8 correctly


def sheet_title(name: str, taken: set[str]) -> str:
    base = _BAD_TITLE.sub("_", name)[:28] or "sheet"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:25]}~{n}", n + 1
    taken.add(title)
    return title


WIDTHS = (8, 8, 14, 12, 18, 8, 10, 6)  # then 12 for each dimension


def to_xlsx(
    title: str,
    headers: list[str],
    groups: list[tuple[int, str]],
    body: Iterable[tuple[int, list]],
    vetoed_column: int,
) -> bytes:
    """One sheet per group (`groups`: (id, branch name), in sheet order), filled from `body`: (group id,
    line) in any order, one line at a time. Openpyxl's write-only workbook keeps no cells in memory: each
    sheet goes to its own temporary file, so the lines may interleave. A title row, a bold frozen header,
    borders, totals to one decimal and vetoed lines shaded. The zipped file is returned as bytes (a few
    megabytes for a province): the response owns no temporary file to close."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    sheets = {}
    for group, name in groups:
        sheet = book.create_sheet(sheet_title(name, taken))
        for column in range(1, len(headers) + 1):
            width = WIDTHS[column - 1] if column <= len(WIDTHS) else 12
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A3"
        sheet.append([_cell(sheet, safe_cell(f"{title} · {name}"), font=Font(bold=True, size=13))])
        sheet.append([_cell(sheet, value, header=True) for value in safe_row(headers)])
        sheets[group] = sheet
    for group, values in body:
        sheet, vetoed = sheets[group], bool(values[vetoed_column])
        cells = enumerate(safe_row(values), start=1)
        sheet.append([_cell(sheet, value, column=n, vetoed=vetoed) for n, value in cells])
    if not groups:
        book.create_sheet("-").append(safe_row(headers))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, *, font=None, header=False, column=0, vetoed=False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if header:
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, Border(bottom=THIN)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return cell
    if column:
        cell.border = Border(bottom=THIN)
        if isinstance(value, float):
            cell.number_format = "0.0" if column == 6 else "0.00"
        if vetoed:
            cell.fill = VETO_FILL
    return cell
