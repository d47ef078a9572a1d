"""A period's records as XLSX (one formatted sheet per branch) and CSV (everything, for other systems).

Each line: organisation rank, unit rank, employee number, name, unit, total, grade, vetoed, and each
dimension's contribution — the same numbers as the record's trail. Text that a spreadsheet would run as a
formula is quoted (drill.spreadsheets).
"""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from drill.appraisal.reports import Row, dimension_scores
from drill.spreadsheets import safe_row

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
VETO_FILL = PatternFill("solid", fgColor="F8D7DA")
THIN = Side(style="thin", color="A6A6A6")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def lines(found: list[Row], dimensions: list[tuple[str, str]], bands: dict[str, str], yes: str) -> list[list]:
    out = []
    for row in found:
        record, scores = row.record, dimension_scores(row.record)
        out.append(
            [
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
        )
    return out


def to_csv(headers: list[str], body: list[list]) -> bytes:
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


def to_xlsx(
    title: str, headers: list[str], groups: list[tuple[str, list[list]]], vetoed_column: int
) -> bytes:
    """`groups`: (branch name, lines) — one sheet each, with a title row, a bold frozen header, borders,
    totals to one decimal and vetoed lines shaded."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, body in groups:
        sheet = book.create_sheet(sheet_title(name, taken))
        sheet.append(safe_row([f"{title} · {name}"]))
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.append(safe_row(headers))
        for cell in sheet[2]:
            cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, Border(bottom=THIN)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for line in body:
            sheet.append(safe_row(line))
            current = sheet.max_row
            for column in range(1, len(headers) + 1):
                cell = sheet.cell(current, column)
                cell.border = Border(bottom=THIN)
                if isinstance(cell.value, float):
                    cell.number_format = "0.0" if column == 6 else "0.00"
                if line[vetoed_column]:
                    cell.fill = VETO_FILL
        sheet.freeze_panes = "A3"
        for column, header in enumerate(headers, start=1):
            widest = max([len(str(header))] + [len(str(line[column - 1] or "")) for line in body])
            sheet.column_dimensions[get_column_letter(column)].width = min(40, max(8, widest * 1.6 + 2))
    if not groups:
        book.create_sheet("-").append(safe_row(headers))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
