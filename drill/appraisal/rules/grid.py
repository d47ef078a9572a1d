"""A period's rating grid: the managers (rows) × the scheme's rating items (columns), typed on a page or
filled in as an XLSX sheet — checked as a whole. Pure: no Flask, no database.

A cell is a mark and an optional comment; an empty mark enters nothing. Every problem names its manager
(and its row, in a sheet) and its item; the caller saves nothing unless the list of problems is empty.

The sheet's header is 工号, 姓名, then per item its label (the mark) and its label followed by 评语 (the
comment); keys (`thinking`, `thinking_comment`) are accepted too. 机构 and 备注 columns are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drill.appraisal.rules.bands import Band
from drill.appraisal.rules.indicators import EMPLOYEE_NO, IGNORED, fold, number
from drill.appraisal.rules.items import Item
from drill.appraisal.rules.scheme import rating_problems
from drill.messages import N_, Message
from drill.sheet_template import unquoted

COMMENT = "评语"
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Cell:
    employee_no: str
    item: str  # the item's key
    mark: str  # as typed
    comment: str = ""
    row: int | None = None  # the sheet's row (1 = the header), None on the page


@dataclass(frozen=True)
class GridProblem:
    employee_no: str
    item: str  # the item's label ("" for the whole row)
    message: Message
    row: int | None = None


@dataclass
class Grid:
    marks: list[tuple[str, str, float, str]] = field(
        default_factory=list
    )  # (employee, item key, mark, comment)
    problems: list[GridProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(cells: list[Cell], items: list[Item], bands: tuple[Band, ...]) -> Grid:
    """The marks to save, or every problem with its place."""
    grid, by_key = Grid(), {i.key: i for i in items}
    for cell in cells:
        item = by_key[cell.item]
        mark, comment = cell.mark.strip(), cell.comment.strip()

        def problem(message: Message, cell=cell, item=item) -> None:
            grid.problems.append(GridProblem(cell.employee_no, item.label, message, cell.row))

        if not mark:
            if comment:
                problem(Message(N_("a comment without a mark: enter the mark or clear the comment")))
            continue
        value = number(mark)
        if len(comment) > MAX_COMMENT:
            problem(Message(N_("a comment of at most %(count)d characters"), count=MAX_COMMENT))
            continue
        found = rating_problems(item, float(value) if value is not None else mark, comment, bands)
        if found:
            for message in found:
                problem(message)
            continue
        grid.marks.append((cell.employee_no, item.key, float(value), comment))
    return grid


def header(items: list[Item]) -> list[str]:
    out = ["工号", "姓名"]
    for item in items:
        out += [item.label, item.label + COMMENT]
    return out


def rows(people: list[tuple[str, str]], items: list[Item], saved: dict) -> list[list]:
    """The sheet's rows: (employee number, name) per manager, then `saved[(employee, key)]` =
    (mark, comment) per item."""
    out = []
    for no, name in people:
        row: list = [no, name]
        for item in items:
            mark, comment = saved.get((no, item.key), (None, ""))
            row += [mark, comment]
        out.append(row)
    return out


def read_sheet(
    table: list[list[str]], items: list[Item], employee_nos: set[str]
) -> tuple[list[Cell], list[GridProblem]]:
    """A filled-in grid sheet → cells, or the problems of its header and rows (unknown or repeated
    managers)."""
    problems: list[GridProblem] = []
    if not table or not any(table[0]):
        return [], [GridProblem("", "", Message(N_("the sheet is empty")), 1)]
    names = {fold(h): i for i, h in enumerate(table[0]) if str(h).strip()}
    no_at = next((names[fold(n)] for n in EMPLOYEE_NO if fold(n) in names), None)
    if no_at is None:
        problems.append(GridProblem("", "", Message(N_("no 工号 column in the header")), 1))
    columns: dict[str, tuple[int, int | None]] = {}
    for item in items:
        at = names.get(fold(item.label), names.get(fold(item.key)))
        note = names.get(fold(item.label + COMMENT), names.get(fold(item.key + "_comment")))
        if at is None:
            problems.append(
                GridProblem("", item.label, Message(N_("no column for this item in the header")), 1)
            )
        else:
            columns[item.key] = (at, note)
    known = {at for at, _ in columns.values()} | {n for _, n in columns.values() if n is not None}
    extra = [
        h
        for i, h in enumerate(table[0])
        if str(h).strip() and i != no_at and i not in known and fold(h) not in {fold(x) for x in IGNORED}
    ]
    if extra:
        message = Message(
            N_("unknown columns %(columns)s: remove them or use the template"), columns="、".join(extra)
        )
        problems.append(GridProblem("", "", message, 1))
    if problems:
        return [], problems
    cells, seen = [], {}
    for number_, cells_row in enumerate(table[1:], start=2):

        def at(index, cells_row=cells_row):
            return str(cells_row[index]).strip() if index is not None and index < len(cells_row) else ""

        no = at(no_at)
        if not no:
            if any(str(c).strip() for c in cells_row):
                problems.append(GridProblem("", "", Message(N_("a row without 工号")), number_))
            continue
        if no not in employee_nos:
            problems.append(
                GridProblem(
                    no, "", Message(N_("no customer manager of yours has this employee number")), number_
                )
            )
            continue
        if no in seen:
            message = Message(N_("employee number %(no)s repeats row %(row)d"), no=no, row=seen[no])
            problems.append(GridProblem(no, "", message, number_))
            continue
        seen[no] = number_
        for key, (mark_at, note_at) in columns.items():
            cells.append(Cell(no, key, at(mark_at), unquoted(at(note_at)), number_))
    return cells, problems
