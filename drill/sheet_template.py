"""An upload's XLSX template: the first sheet holds the header the importer reads (row 1) and example or
filled-in rows; a second sheet, 说明, says what each column takes. Pure: no Flask, no database."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from drill.spreadsheets import FORMULA_STARTS, safe_row

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
NOTES_TITLE = "说明"


def workbook(title: str, headers: list[str], rows: list[list], notes: list[tuple[str, str]]) -> bytes:
    """`notes`: (column, what it takes) — the 说明 sheet; the importers read only the first sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(safe_row(headers))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row in rows:
        sheet.append(safe_row(row))
    for column, header in enumerate(headers, start=1):
        widest = max([len(str(header))] + [len(str(row[column - 1] or "")) for row in rows])
        sheet.column_dimensions[get_column_letter(column)].width = min(40, max(10, widest * 1.8 + 2))
    sheet.freeze_panes = "C2" if len(headers) > 2 else "A2"
    about = book.create_sheet(NOTES_TITLE)
    about.append(["列", "说明"])
    for cell in about[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for column, text in notes:
        about.append(safe_row([column, text]))
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80
    for row in about.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unquoted(text: str) -> str:
    """A cell's text with the quote `safe_row` put in front of a formula-like text taken off again."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
