"""An indicator sheet (the cells of a CSV or XLSX, e.g. from accounts.rules.sheet.read_table) → validated
values for one period. Pure: no Flask, no database.

The header row holds 工号 (or employee_no) and every indicator column the scheme declares, by its key or
its label (存款实际 / deposit_actual); 姓名, 机构 and 备注 columns may stand beside them and are ignored.
Every problem is reported with its row (1 = the header) and column: unknown employee numbers, empty,
non-numeric or out-of-range values, repeated employees, missing, repeated or unknown columns. Nothing is
accepted when anything is wrong. The checksum covers the normalised values, not the file's bytes: the same
numbers in another row order, file format or number format give the same checksum, so the service can
tell an identical re-import and change nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from drill.appraisal.rules.scheme import Scheme
from drill.messages import N_, Message

EMPLOYEE_NO = ("工号", "员工编号", "employee_no", "employee number")
IGNORED = ("姓名", "name", "机构", "branch", "备注", "note")
MAX_ROWS = 5000
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class SheetProblem:
    row: int
    column: str
    message: Message


@dataclass
class IndicatorSheet:
    values: dict[str, dict[str, float]] = field(default_factory=dict)  # employee → column key → value
    rows: dict[str, int] = field(default_factory=dict)  # employee → row in the sheet (for the trail's refs)
    problems: list[SheetProblem] = field(default_factory=list)
    checksum: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def number(text: str) -> Decimal | None:
    """A cell's number: full-width digits and 1,234.5 grouping are fine; %, units and words are not."""
    cell = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if _GROUPED.match(cell):
        cell = cell.replace(",", "")
    if not _NUMBER.match(cell):
        return None
    value = Decimal(cell)
    return value if math.isfinite(value) else None


def parse_indicators(table: list[list[str]], scheme: Scheme, employee_nos: set[str]) -> IndicatorSheet:
    """Validate a sheet for `scheme`; `employee_nos` are the managers who may appear in it."""
    sheet = IndicatorSheet()
    if not table or not any(table[0]):
        sheet.problems.append(SheetProblem(1, "", Message(N_("the sheet is empty"))))
        return sheet
    columns = _header(table[0], scheme, sheet.problems)
    if sheet.problems:
        return sheet
    if len(table) - 1 > MAX_ROWS:
        message = Message(N_("at most %(count)d rows per sheet"), count=MAX_ROWS)
        sheet.problems.append(SheetProblem(MAX_ROWS + 2, "", message))
        return sheet
    normalised: dict[str, dict[str, Decimal]] = {}
    no_index = columns.pop("")
    for row, cells in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue

        def cell(index: int, cells=cells) -> str:
            return str(cells[index]).strip() if index < len(cells) else ""

        def problem(column: str, template: str, at: int = row, **params) -> None:
            sheet.problems.append(SheetProblem(at, column, Message(template, **params)))

        employee = unicodedata.normalize("NFKC", cell(no_index)).strip()
        header = str(table[0][no_index]).strip()
        if not employee:
            problem(header, N_("the employee number is empty"))
        elif employee not in employee_nos:
            problem(header, N_("no customer manager with employee number “%(no)s”"), no=employee)
        elif employee in sheet.rows:
            problem(
                header,
                N_("employee number %(no)s repeats row %(row)d"),
                no=employee,
                row=sheet.rows[employee],
            )
        values = {}
        for key, index in columns.items():
            column, title = scheme.column(key), str(table[0][index]).strip()
            text = cell(index)
            value = number(text) if text else None
            if not text:
                problem(title, N_("the value is empty; write a number (0 if there was none)"))
            elif value is None:
                problem(title, N_("“%(text)s” is not a number; write digits only, e.g. 1234.5"), text=text)
            elif column.minimum is not None and value < Decimal(str(column.minimum)):
                problem(
                    title,
                    N_("%(value)s is below the lowest allowed, %(low)g"),
                    value=text,
                    low=column.minimum,
                )
            elif column.maximum is not None and value > Decimal(str(column.maximum)):
                problem(
                    title,
                    N_("%(value)s is above the highest allowed, %(high)g"),
                    value=text,
                    high=column.maximum,
                )
            else:
                values[key] = value
        if employee and employee not in sheet.rows:
            sheet.rows[employee] = row
            normalised[employee] = values
    if not sheet.rows and not sheet.problems:
        sheet.problems.append(SheetProblem(2, "", Message(N_("the sheet has a header but no rows"))))
    if sheet.problems:
        sheet.rows = {}
        return sheet
    sheet.values = {e: {k: float(v) for k, v in vs.items()} for e, vs in normalised.items()}
    sheet.checksum = checksum(scheme, normalised)
    return sheet


def checksum(scheme: Scheme, values: dict[str, dict[str, Decimal]]) -> str:
    """sha256 of the scheme's column keys and every employee's values, sorted, numbers in plain form."""
    keys = [c.key for c in scheme.columns]
    rows = [[e, *(format(values[e][k].normalize(), "f") for k in keys)] for e in sorted(values)]
    return hashlib.sha256(json.dumps([keys, rows], ensure_ascii=False).encode()).hexdigest()


def _header(header: list[str], scheme: Scheme, problems: list[SheetProblem]) -> dict[str, int]:
    """Column key → index; "" is the employee number's column."""
    names = {fold(n): "" for n in EMPLOYEE_NO}
    for column in scheme.columns:
        names[fold(column.key)] = names[fold(column.label)] = column.key
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        text = str(title).strip()
        if not text or fold(text) in map(fold, IGNORED):
            continue
        key = names.get(fold(text))
        if key is None:
            problems.append(SheetProblem(1, text, Message(N_("unknown column “%(title)s”"), title=text)))
        elif key in found:
            problems.append(
                SheetProblem(1, text, Message(N_("column “%(title)s” appears twice"), title=text))
            )
        else:
            found[key] = index
    for key, title in [("", EMPLOYEE_NO[0]), *((c.key, c.label) for c in scheme.columns)]:
        if key not in found:
            problems.append(SheetProblem(1, title, Message(N_("missing column “%(title)s”"), title=title)))
    return found
