"""Reading a user sheet (CSV or XLSX) into validated rows — pure: no Flask, no database.

Columns are named in Chinese or English (工号/employee_no, 姓名/name, 机构/branch, 角色/roles, 类别/category,
级别/level, 初始密码/password). Every problem is reported with its row and column; the caller imports
nothing unless the list of problems is empty.
"""

import csv
import io
from dataclasses import dataclass, field

from drill.accounts.roles import CATEGORIES, LEVELS, ROLES, resolve
from drill.accounts.rules import names
from drill.messages import N_, Message

COLUMNS = {
    "employee_no": ("工号", "员工编号", "employee number", "employee_no"),
    "name": ("姓名", "name"),
    "branch": ("机构", "机构代码", "branch", "branch code"),
    "roles": ("角色", "roles", "role"),
    "category": ("类别", "客户经理类别", "category"),
    "level": ("级别", "等级", "level"),
    "password": ("初始密码", "密码", "password"),
}
REQUIRED = ("employee_no", "name", "branch", "roles")
MAX_ROWS = 5000
MIN_PASSWORD = 8


@dataclass
class Problem:
    row: int
    column: str
    message: Message


@dataclass
class UserRow:
    row: int
    employee_no: str
    name: str
    branch: str
    roles: set[str]
    category: str | None
    level: str | None
    password: str | None


@dataclass
class SheetResult:
    rows: list[UserRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class SheetError(ValueError):
    """The file itself cannot be read as a sheet."""


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The cells of the first sheet as text, header row first."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")  # Excel on Chinese Windows saves CSV in GBK
            except UnicodeDecodeError as error:
                raise SheetError(N_("the CSV file is neither UTF-8 nor GBK text")) from error
        try:
            return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        except csv.Error as error:  # a cell past csv.field_size_limit() (128 KiB), or a stray NUL
            raise SheetError(
                N_("the CSV file has a cell longer than 128 KiB or a broken line: check its quotes")
            ) from error
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise SheetError(N_("the file is not a readable XLSX workbook")) from error
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
        book.close()
        return rows
    raise SheetError(N_("only .csv and .xlsx files can be imported"))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an employee number typed as a number comes back as 1001.0
    return str(value).strip()


def header_map(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    found: dict[str, int] = {}
    problems = []
    for index, title in enumerate(header):
        key = next((k for k, names in COLUMNS.items() if title.strip().lower() in names), None)
        if key is None:
            if title.strip():
                problems.append(Problem(1, title, Message(N_("unknown column “%(title)s”"), title=title)))
        elif key in found:
            problems.append(Problem(1, title, Message(N_("column “%(title)s” appears twice"), title=title)))
        else:
            found[key] = index
    for key in REQUIRED:
        if key not in found:
            title = COLUMNS[key][0]
            problems.append(Problem(1, title, Message(N_("missing column “%(title)s”"), title=title)))
    return found, problems


def parse_users(
    table: list[list[str]], branch_codes: set[str], existing_employee_nos: set[str]
) -> SheetResult:
    result = SheetResult()
    if not table:
        result.problems.append(Problem(1, "", Message(N_("the sheet is empty"))))
        return result
    columns, result.problems = header_map(table[0])
    if result.problems:
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problems.append(
            Problem(MAX_ROWS + 2, "", Message(N_("at most %(count)d users per sheet"), count=MAX_ROWS))
        )
        return result
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        row = _parse_row(number, cells, columns, branch_codes, result.problems)
        if row is None:
            continue
        if row.employee_no in existing_employee_nos:
            message = Message(N_("employee number %(no)s already has an account"), no=row.employee_no)
            result.problems.append(Problem(number, "工号", message))
        elif row.employee_no in seen:
            message = Message(
                N_("employee number %(no)s repeats row %(row)d"),
                no=row.employee_no,
                row=seen[row.employee_no],
            )
            result.problems.append(Problem(number, "工号", message))
        seen.setdefault(row.employee_no, number)
        result.rows.append(row)
    if not result.rows and not result.problems:
        result.problems.append(Problem(2, "", Message(N_("the sheet has a header but no users"))))
    return result


def _parse_row(number, cells, columns, branch_codes, problems) -> UserRow | None:
    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    before = len(problems)

    def problem(key: str, template: str, **params) -> None:
        problems.append(Problem(number, COLUMNS[key][0], Message(template, **params)))

    employee_no, name, branch = cell("employee_no"), names.normalise(cell("name")), cell("branch")
    if not employee_no:
        problem("employee_no", N_("employee number is empty"))
    elif len(employee_no) > 32 or not employee_no.isalnum():
        problem(
            "employee_no",
            N_("employee number “%(no)s” must be letters and digits, at most 32"),
            no=employee_no,
        )
    if not name:
        problem("name", N_("name is empty"))
    elif len(name) > 80:
        problem("name", N_("name is longer than 80 characters"))
    elif (refused := names.problem(name)) is not None:
        problems.append(Problem(number, COLUMNS["name"][0], refused))
    if branch not in branch_codes:
        problem("branch", N_("no branch with code “%(code)s”"), code=branch)
    roles = set()
    for word in cell("roles").replace("，", ",").replace("、", ",").split(","):
        if word.strip():
            role = resolve(ROLES, word)
            if role is None:
                problem(
                    "roles", N_("unknown role “%(word)s” (客户经理/培训师/评委/管理员)"), word=word.strip()
                )
            roles.add(role)
    if not roles:
        problem("roles", N_("at least one role is required"))
    category = _optional(cell("category"), CATEGORIES, "category", problem)
    level = _optional(cell("level"), LEVELS, "level", problem)
    if "manager" in roles and (category is None or level is None):
        problem(
            "category" if category is None else "level", N_("a customer manager needs a category and a level")
        )
    password = cell("password") or None
    if password is not None and len(password) < MIN_PASSWORD:
        problem(
            "password", N_("the initial password needs at least %(count)d characters"), count=MIN_PASSWORD
        )
    if len(problems) > before:
        return None
    return UserRow(number, employee_no, name, branch, roles, category, level, password)


UNKNOWN = {
    "category": N_("unknown category “%(text)s” (expected 个人类/企业类/综合类/烟草营销)"),
    "level": N_("unknown level “%(text)s” (expected 初级/中级/高级)"),
}


def _optional(text, vocabulary, key, problem) -> str | None:
    if not text:
        return None
    value = resolve(vocabulary, text)
    if value is None:
        problem(key, UNKNOWN[key], text=text)
    return value


# The downloadable template (the import page's “Download the template”): the header the importer reads,
# one example row, and what each column takes (shown on the template's 说明 sheet).
TEMPLATE_NOTES = (
    ("工号", N_("Required. Letters and digits, at most 32; one account per employee number.")),
    ("姓名", N_("Required. The person's name as it should appear, at most 80 characters.")),
    ("机构", N_("Required. The branch code, as listed under Branches.")),
    ("角色", N_("Required. One or more of 客户经理, 培训师, 评委, 管理员, separated by commas.")),
    ("类别", N_("For a customer manager: 个人类, 企业类, 综合类 or 烟草营销.")),
    ("级别", N_("For a customer manager: 初级, 中级 or 高级.")),
    ("初始密码", N_("Optional, at least 8 characters; when empty, one is generated and shown once.")),
)


def template_rows(branch_code: str) -> tuple[list[str], list[list[str]], tuple[tuple[str, str], ...]]:
    """(header, one example row, (column, note msgid) pairs) for the users' XLSX template."""
    header = [column for column, _note in TEMPLATE_NOTES]
    return header, [["B0101", "张三", branch_code, "客户经理", "个人类", "初级", ""]], TEMPLATE_NOTES
