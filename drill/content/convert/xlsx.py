"""An Excel question bank in the template Chinese exam systems use (xlsx_columns.py, xlsx_types.py) →
a drill question bank. Pure: bytes in, `Conversion` out. Every problem names its row and column; if any
row is wrong, nothing is converted.

The header row is the first of the first five rows that names 题型 and 题干, on the first sheet that has
one. Empty rows are skipped. 主题 must be the same on every row (a pack has one theme) and is the pack's
theme unless the caller gives one; 级别 is each question's level, and the most common one is the pack's
unless the caller gives it. 知识点/能力项 names that are competencies in taxonomy.yaml become the
question's competencies, the others its tags.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace
from io import BytesIO
from pathlib import PurePath
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from drill.content.convert.assemble import Conversion, assemble
from drill.content.convert.draft import ERROR, MODELLED, Draft, Issues
from drill.content.convert.escape import cell_block
from drill.content.convert.markdown_writer import PackInfo
from drill.content.convert.values import (
    TYPE_ZH,
    Bad,
    competencies,
    difficulty,
    level,
    points,
    scoring,
    text,
    yes_no,
)
from drill.content.convert.xlsx_columns import BY_KEY, HEADERS, normal_header
from drill.content.convert.xlsx_types import read_fields
from drill.content.convert.xlsx_write import PACK_SHEET
from drill.content.rules.questions.base import fold_answer
from drill.content.rules.questions.meta import SPELLINGS
from drill.content.rules.questions.parse import QID_RE
from drill.content.rules.questions.registry import resolve_type
from drill.content.rules.schema import SCHEMAS, SLUG_RE
from drill.content.taxonomy import Taxonomy

MAX_ROWS = 5000
EXTRA_TYPES = {"不定项选择": "multiple", "不定项选择题": "multiple"}
TYPE_LIST = "、".join(TYPE_ZH.values())
APPLIES = {
    "unit": {"numeric"},
    "rubric": {"open"},
    "scoring": {"multiple", "blank", "ordering", "matching"},
    "shuffle": {"single", "multiple", "matching"},
}


def xlsx_to_pack(data: bytes, info: PackInfo, taxonomy: Taxonomy, source_name: str = "") -> Conversion:
    """Convert a workbook. Without `info.theme` / `info.level`, the 主题 / 级别 columns give them; without
    `info.title`, the source file's name (`source_name`, e.g. `信贷题库.xlsx`)."""
    issues = Issues()
    try:
        book = load_workbook(BytesIO(data), read_only=True)  # formulas as text: reported, never lost
        try:
            source = _pack_sheet(book, issues)
            intro = source.pop("intro", "")
            info = info.filled_from(source)
            if not info.title:
                info = replace(info, title=PurePath(source_name).stem or None)
            found = _table(book, issues)
            sheet = _Sheet(found[0] if found else {}, taxonomy, issues, info)
            for number, values, formulas in found[1] if found else []:
                sheet.read(number, values, formulas)
        finally:
            book.close()
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        # SyntaxError: a damaged sheet (its XML cannot be parsed); a converter reports, never crashes.
        issues.error(
            0,
            "无法读取：请另存为 Excel 工作簿（.xlsx）",
            f"cannot read the file as an .xlsx workbook ({type(exc).__name__})",
        )
        return Conversion(None, issues.items)
    return sheet.finish(intro)


def _pack_sheet(book, issues: Issues) -> dict:
    """The 题库信息 sheet drill's export writes (key | value): the pack's front matter and introduction."""
    if PACK_SHEET not in book.sheetnames:
        return {}
    names = {name: key.name for key in SCHEMAS["quiz"] for name in (key.name, *key.zh)}
    found: dict = {}
    for number, row in enumerate(book[PACK_SHEET].iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] in (None, ""):
            continue
        key = "intro" if str(row[0]).strip() in ("intro", "简介正文") else names.get(str(row[0]).strip())
        if key is None:
            issues.error(
                number,
                f"「{PACK_SHEET}」表中不认识的项目「{row[0]}」",
                f"unknown key `{row[0]}` on the {PACK_SHEET} sheet",
                "项目",
            )
        elif len(row) > 1 and row[1] not in (None, ""):
            found[key] = row[1].strip() if isinstance(row[1], str) else row[1]
    return found


def _table(book, issues: Issues) -> tuple[dict, list] | None:
    """(column key → (index, header as written), [(row number, values)…]) of the first template sheet."""
    for ws in book.worksheets:
        for offset, row in enumerate(ws.iter_rows(min_row=1, max_row=5, values_only=True)):
            keys = [HEADERS.get(normal_header(cell)) for cell in row]
            if "type" not in keys or "stem" not in keys:
                continue
            columns: dict = {}
            for index, (key, cell) in enumerate(zip(keys, row, strict=True)):
                if key in columns:
                    issues.error(
                        offset + 1, f"「{cell}」列出现两次", f"the column `{cell}` appears twice", str(cell)
                    )
                elif key:
                    columns[key] = (index, str(cell).strip())
                elif text(cell):
                    issues.warning(
                        offset + 1,
                        f"不认识的列「{cell}」，已忽略",
                        f"unknown column `{cell}` ignored",
                        str(cell),
                    )
            first = offset + 2
            # Cells, not values: a formula (data type `f`) is told from a text that starts with `=`.
            rows = [
                (
                    tuple(c.value for c in cells),
                    {i for i, c in enumerate(cells) if getattr(c, "data_type", None) == "f"},
                )
                for cells in ws.iter_rows(min_row=first, max_row=first + MAX_ROWS)
            ]
            if len(rows) > MAX_ROWS and any(v not in (None, "") for v in rows[-1][0]):
                issues.error(
                    first + MAX_ROWS,
                    f"一个文件最多 {MAX_ROWS} 道题，请拆分文件",
                    f"a file holds at most {MAX_ROWS} questions; split it",
                )
            return columns, [(first + i, *row) for i, row in enumerate(rows[:MAX_ROWS])]
    issues.error(
        0,
        "找不到表头：应有 题型、题干 等列（可下载模板）",
        "no header row naming 题型 and 题干 was found (download the template)",
    )
    return None


class _Sheet:
    def __init__(self, columns: dict, taxonomy: Taxonomy, issues: Issues, info: PackInfo) -> None:
        self.columns, self.taxonomy, self.issues, self.info = columns, taxonomy, issues, info
        self.drafts: list[Draft] = []
        self.ids: dict[str, int] = {}
        self.themes: list[tuple[int, str]] = []
        self.prefix = (info.id if info.id and SLUG_RE.match(info.id) else "q")[:56]

    def header(self, key: str) -> str:
        return self.columns[key][1] if key in self.columns else BY_KEY[key].header

    def read(self, number: int, values: tuple, formulas: set[int] = frozenset()) -> None:
        cells = {k: text(values[i]) if i < len(values) else "" for k, (i, _h) in self.columns.items()}
        if not any(cells.values()):
            return
        before = len(self.issues.items)
        for key, (index, _header) in self.columns.items():
            if index in formulas:
                where = f"{get_column_letter(index + 1)}{number}"
                self.issues.error(
                    number,
                    f"单元格 {where} 是公式「{cells[key][:30]}」：请改为文字或数值"
                    "（以 = 开头的文字请先输入英文单引号 '，如 '=B3/B2）",
                    f"the cell {where} holds a formula `{cells[key][:30]}`; write its value "
                    "(to type a text that starts with `=`, begin it with an apostrophe: '=B3/B2)",
                    self.header(key),
                )
                cells[key] = ""  # reported once, not again as a bad value
        draft = _Row(number, cells, self).draft()
        if draft is not None and not any(i.severity == ERROR for i in self.issues.items[before:]):
            self.drafts.append(draft)
        if cells.get("theme"):
            self.themes.append((number, cells["theme"]))

    def finish(self, intro: str = "") -> Conversion:
        theme = self.info.theme or (self.themes[0][1] if self.themes else None)
        wanted = self.taxonomy.themes.resolve(theme) if theme else None
        for number, name in self.themes:
            found = self.taxonomy.themes.resolve(name)
            if found is None:
                self.issues.error(
                    number,
                    f"未知主题「{name}」；可选：{self.taxonomy.themes.listing()}",
                    f"unknown theme `{name}`",
                    self.header("theme"),
                )
            elif wanted and found != wanted:
                self.issues.error(
                    number,
                    f"主题「{name}」与题库主题「{theme}」不同：一个文件只能有一个主题，请拆分文件",
                    f"the theme `{name}` differs from the pack's `{theme}`; one file holds one theme",
                    self.header("theme"),
                )
        levels = Counter(d.level for d in self.drafts if d.level)
        common = levels.most_common(1)[0][0] if levels else None
        info = replace(self.info, theme=theme, level=self.info.level or common)
        used, number = set(self.ids), 0
        for draft in self.drafts:
            while not draft.id:
                number += 1
                candidate = f"{self.prefix}-{number:03d}"
                draft.id = "" if candidate in used else candidate
            used.add(draft.id)
        return assemble(self.drafts, info, self.taxonomy, self.issues, intro)


class _Row:
    """One row → a draft; every problem is reported at this row and its column."""

    def __init__(self, number: int, cells: dict, sheet: _Sheet) -> None:
        self.number, self.cells, self.sheet = number, cells, sheet

    def error(self, key: str, zh: str, en: str) -> None:
        self.sheet.issues.error(self.number, zh, en, self.sheet.header(key))

    def warning(self, key: str, zh: str, en: str) -> None:
        self.sheet.issues.warning(self.number, zh, en, self.sheet.header(key))

    def get(self, key: str) -> str:
        return self.cells.get(key, "")

    def value(self, key: str, read, default=None):
        if not self.get(key):
            return default
        try:
            return read(self.get(key))
        except Bad as bad:
            self.error(key, bad.zh, bad.en)
            return default

    def qtype(self) -> str | None:
        word = self.get("type")
        found = EXTRA_TYPES.get(unicodedata.normalize("NFKC", word).strip()) or getattr(
            resolve_type(word), "name", None
        )
        if found is None:
            self.error(
                "type",
                f"题型「{word}」无法识别；可写 {TYPE_LIST}",
                f"unknown question type `{word}`; write one of {TYPE_LIST}",
            )
        return found

    def draft(self) -> Draft | None:
        qtype, stem = self.qtype(), cell_block(self.get("stem"))
        if not stem:
            self.error("stem", "题干为空", "the question text is empty")
        if qtype is None:
            return None
        found = read_fields(self, qtype, stem)
        draft = Draft(id=self.question_id(), type=qtype, stem=found[1] if found else stem, source=self.number)
        draft.fields = found[0] if found else {}
        draft.points = self.value("points", points, 1.0)
        draft.difficulty = self.value("difficulty", difficulty, 3)
        draft.level = self.value("level", level)
        keys, others = self.value(
            "competencies", lambda v: competencies(v, self.sheet.taxonomy, strict=False), ([], [])
        )
        tags = [t.strip() for t in re.split(r"[,，、]", self.get("tags")) if t.strip()]
        draft.competencies, draft.tags = keys, list(dict.fromkeys([*others, *tags]))
        draft.explanation = cell_block(self.get("explanation"))
        for key, types in APPLIES.items():
            if self.get(key) and qtype not in types:
                self.warning(
                    key,
                    f"「{self.sheet.header(key)}」不适用于这种题型，已忽略",
                    f"{self.sheet.header(key)} does not apply to {qtype}; ignored",
                )
        if qtype in APPLIES["scoring"]:
            draft.fields["scoring"] = self.value(
                "scoring", lambda v: scoring(qtype, v), draft.fields.get("scoring")
            )
        if qtype in APPLIES["shuffle"]:
            draft.fields["shuffle"] = self.value("shuffle", yes_no, True)
        if qtype == "open" and self.get("rubric"):
            draft.fields["rubric_id"] = self.value("rubric", self.rubric)
        draft.extra = self.value("meta", self.extra, {})
        return draft if found else None

    def extra(self, value: str) -> dict[str, str]:
        """`键: 值 | 键: 值` → the meta keys the other columns do not hold."""
        out: dict[str, str] = {}
        for part in (p for p in re.split(r"[|｜]", value) if p.strip()):
            name, colon, found = part.replace("：", ":", 1).partition(":")
            key = SPELLINGS.get(fold_answer(name))
            if not colon or key is None or key in MODELLED or key in out:
                raise Bad(
                    f"「{part.strip()}」应写成 键: 值，键是题目属性行中其他列没有的键",
                    f"`{part.strip()}` must be `key: value` with a meta-line key that no other column holds",
                )
            out[key] = found.strip()
        return out

    def rubric(self, value: str) -> str:
        if not SLUG_RE.match(value):
            raise Bad(f"评分标准编号「{value}」无效", f"`{value}` is not a rubric id")
        self.warning(
            "rubric",
            f"请确认 content/rubrics/ 中有评分标准 {value}",
            f"make sure content/rubrics/ holds the rubric {value}",
        )
        return value

    def question_id(self) -> str:
        raw = self.get("id").strip().lower()
        if not raw:
            return ""
        qid = f"{self.sheet.prefix}-{int(raw):03d}" if raw.isdigit() else raw
        if not QID_RE.match(qid):
            self.error(
                "id",
                f"题号「{self.get('id')}」只能用小写字母、数字、- 和 _",
                f"the id `{self.get('id')}` must be lowercase letters, digits, - and _",
            )
            return ""
        if qid in self.sheet.ids:
            self.error(
                "id",
                f"题号「{qid}」与第 {self.sheet.ids[qid]} 行重复",
                f"the id `{qid}` is also used on row {self.sheet.ids[qid]}",
            )
            return ""
        self.sheet.ids[qid] = self.number
        return qid
