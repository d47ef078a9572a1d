"""A parsed question bank → a workbook in the template (xlsx_columns.py), and the empty template with one
example row per question type and a sheet of instructions — what the browser offers for download.

A question with more than eight options (or items, or matching lines) does not fit 选项A…选项H: it is
left out and reported. Everything else a question holds has a column, so XLSX back in yields it again.
"""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from drill.content.convert.draft import DEFAULT_SCORING, Draft, Issues, from_parsed
from drill.content.convert.escape import block_cell, inline_cell
from drill.content.convert.export import Export, exportable, linked_files
from drill.content.convert.markdown_writer import full_stem, pack_values
from drill.content.convert.values import LEVEL_ZH, TYPE_ZH
from drill.content.convert.xlsx_columns import COLUMNS, LETTERS
from drill.content.convert.xlsx_types import GAP
from drill.content.rules.packs import ParsedPack
from drill.content.rules.questions.meta import META_KEYS
from drill.content.rules.schema import SCHEMAS
from drill.content.taxonomy import Taxonomy

_BLANK = re.compile(r"(?:\{\{|｛｛)(.*?)(?:\}\}|｝｝)")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TEMPLATE_ROWS = [
    {
        "type": "单选题",
        "stem": "贷前调查中，客户经理首先应核实的是（ ）。",
        "A": "借款人的兴趣爱好",
        "B": "借款人身份与经营情况的真实性",
        "C": "借款人亲属的收入",
        "D": "借款人的社交媒体账号",
        "answer": "B",
        "explanation": "贷前调查的核心是“真实性”；兴趣爱好与社交账号与还款能力无关。",
        "difficulty": 2,
        "points": 2,
        "competencies": "风险预判",
    },
    {
        "type": "多选题",
        "stem": "下列属于贷前调查内容的有（ ）。",
        "A": "经营流水",
        "B": "抵押物权属",
        "C": "客户的星座",
        "D": "征信记录",
        "answer": "A,B,D",
        "explanation": "星座与还款能力无关，其余三项都是调查要点。",
        "points": 4,
    },
    {
        "type": "判断题",
        "stem": "贷款发放后即无需再跟踪客户经营情况。",
        "answer": "错",
        "explanation": "贷后管理贯穿贷款全过程，发现风险信号要及时处置。",
    },
    {
        "type": "填空题",
        "stem": "信贷业务的“三查”是指贷前调查、____和____。",
        "answer": "贷时审查|贷中审查；贷后检查",
        "explanation": "三查制度贯穿贷款全流程。",
        "points": 2,
    },
    {
        "type": "数值题",
        "stem": "某零售户 11 月销量 410 条，12 月 480 条。12 月销量的环比增长率是多少（保留一位小数）？",
        "answer": "17.1±0.05",
        "unit": "%",
        "explanation": "(480 − 410) ÷ 410 × 100% ≈ 17.07%，保留一位小数为 17.1%。",
        "points": 2,
        "competencies": "数据应用",
    },
    {
        "type": "排序题",
        "stem": "请按正确顺序排列贷款业务流程：",
        "A": "审查审批",
        "B": "受理申请",
        "C": "发放贷款",
        "D": "贷前调查",
        "E": "签订合同",
        "answer": "BDAEC",
        "explanation": "先调查、后审批，签约之后才能放款。",
        "points": 4,
    },
    {
        "type": "匹配题",
        "stem": "将风险信号与应对措施连线：",
        "A": "抵押物价值下跌=>追加担保",
        "B": "客户经营恶化=>提前收回贷款",
        "C": "资金被挪用=>加强用途监控",
        "D": "干扰项=>提高利率",
        "explanation": "提高利率不能化解上述任何风险，是干扰项。",
        "points": 3,
    },
    {
        "type": "问答题",
        "stem": "某家庭农场申请 50 万元流动资金贷款。请说明您的调查要点和理由。",
        "answer": "核实身份与经营的真实性；以流水和销售合同测算还款来源；"
        "评估抵押物权属与价值；明确资金用途并采用受托支付。",
        "points": 10,
        "level": "中级",
    },
]


def template_workbook() -> bytes:
    """The template: the header, one example row per question type, and the instructions sheet."""
    rows = [
        {"theme": "案例分析", "level": "初级", "difficulty": 3, "points": 1, **row} for row in TEMPLATE_ROWS
    ]
    return _save(_book(rows))


def pack_to_xlsx(pack: ParsedPack, taxonomy: Taxonomy) -> Export:
    issues = Issues()
    if not exportable(pack, issues, "Excel"):
        return Export(None, issues.items)
    term = taxonomy.themes.get(pack.meta.get("theme") or "")
    theme = term.zh if term else pack.meta.get("theme")
    rows = []
    for question in pack.questions:
        draft = from_parsed(question)
        row = question_row(draft, taxonomy, issues)
        if row is not None:
            linked_files(draft, issues, "Excel")
            rows.append({**row, "theme": theme, "level": LEVEL_ZH[draft.level or pack.meta["level"]]})
    book = _book(rows)
    _pack_sheet(book, pack, taxonomy)
    return Export(_save(book), issues.items, len(rows))


PACK_SHEET = "题库信息"


def _pack_sheet(book: Workbook, pack: ParsedPack, taxonomy: Taxonomy) -> None:
    """The pack's front matter and introduction, one key a row, read back by the importer."""
    sheet = book.create_sheet(PACK_SHEET, 1)
    sheet.append(["项目", "值", "说明"])
    labels = {key.name: key.zh[0] for key in SCHEMAS["quiz"] if key.zh}
    for key, value in pack_values(pack.meta).items():
        shown = "、".join(map(str, value)) if isinstance(value, list) else value
        sheet.append([key, _cell(shown), labels.get(key, "")])
    intro = pack.sections.get("intro", "").strip()
    if intro:
        sheet.append(["intro", _cell(intro), "简介正文（Markdown）"])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 16, 80
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL


def question_row(draft: Draft, taxonomy: Taxonomy, issues: Issues) -> dict | None:
    f = draft.fields
    names = [
        (taxonomy.competencies.get(k).zh if taxonomy.competencies.get(k) else k) for k in draft.competencies
    ]
    row = {
        "type": TYPE_ZH[draft.type],
        "stem": block_cell(full_stem(draft)),
        "explanation": block_cell(draft.explanation),
        "difficulty": draft.difficulty,
        "points": int(draft.points) if draft.points.is_integer() else draft.points,
        "competencies": "、".join(names),
        "id": draft.id,
        "tags": "、".join(draft.tags),
        "meta": " | ".join(
            f"{META_KEYS[k][0] if k in META_KEYS else k}: {v}" for k, v in draft.extra.items()
        ),
    }
    if draft.type in DEFAULT_SCORING and f.get("scoring") not in (DEFAULT_SCORING[draft.type], "weighted"):
        row["scoring"] = f["scoring"]
    if draft.type in ("single", "multiple", "matching") and not f.get("shuffle", True):
        row["shuffle"] = "否"
    cells: list[str] = []
    if draft.type in ("single", "multiple"):
        cells = [inline_cell(o["text"]) for o in f["options"]]
        row["answer"] = ",".join(LETTERS[i] for i, o in enumerate(f["options"]) if o["correct"])
        if any("weight" in o for o in f["options"]):
            row["answer"] = ", ".join(
                f"{LETTERS[i]}:" + f"{o['weight']:.5f}".rstrip("0").rstrip(".") + "%"
                for i, o in enumerate(f["options"])
                if o["weight"]
            )
    elif draft.type == "truefalse":
        row["answer"] = "对" if f["answer"] else "错"
    elif draft.type == "blank":
        blanks, gaps = _BLANK.findall(draft.stem), _BLANK.sub("____", draft.stem)
        # Gaps `____` with the answers in 答案 — unless reading them back would not give the same text
        # (the text has gap-like marks of its own, `_` beside a blank…): then keep the `{{…}}`.
        found = iter(blanks)
        if (
            GAP.sub(lambda _m: "{{" + next(found, "") + "}}", gaps) == draft.stem
            and next(found, None) is None
        ):
            row["stem"], row["answer"] = gaps, "；".join(blanks)
    elif draft.type == "numeric":
        tolerance = (
            f"±{f['tolerance']}{'%' if f.get('relative') else ''}" if f["tolerance"] not in ("0", "") else ""
        )
        row["answer"], row["unit"] = f"{f['answer']}{tolerance}", f.get("unit", "")
    elif draft.type == "ordering":
        cells, row["answer"] = [inline_cell(i) for i in f["items"]], LETTERS[: len(f["items"])]
    elif draft.type == "matching":
        cells = [f"{inline_cell(left)}=>{inline_cell(right)}" for left, right in f["pairs"]] + [
            f"干扰项=>{inline_cell(r)}" for r in f.get("distractors", [])
        ]
    elif draft.type == "open":
        row["answer"], row["rubric"] = block_cell(f.get("reference", "")), f.get("rubric_id") or ""
    if len(cells) > len(LETTERS):
        issues.warning(
            draft.source,
            f"题目 {draft.id} 有 {len(cells)} 个选项/项，模板只有选项A到选项H，未导出",
            f"question {draft.id} has {len(cells)} options or items; the template holds eight (A–H): "
            "left out",
        )
        return None
    return {**row, **dict(zip(LETTERS, cells, strict=False))}


def _book(rows: list[dict]) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "题库"
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append([_cell(row.get(c.key, "")) for c in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # `=>追加担保` is text, not a formula
    for cell in sheet[1]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, Alignment(vertical="center")
    sheet.freeze_panes = "C2"
    types = DataValidation(type="list", formula1='"' + ",".join(TYPE_ZH.values()) + '"', allow_blank=True)
    sheet.add_data_validation(types)
    types.add(f"A2:A{max(len(rows) + 1, 1000)}")
    _instructions(book.create_sheet("填写说明"))
    return book


def _cell(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _instructions(sheet) -> None:
    sheet.append(["列", "填写说明"])
    for column in COLUMNS:
        if column.note:
            sheet.append([column.header, column.note])
    sheet.append([])
    for line in (
        "每行一道题；空行会被跳过。第一行是表头，列的顺序可以调整，可选列可以删去。",
        "导入：drill convert xlsx 文件.xlsx -o content/quizzes/名称.md（或在浏览器中上传）。",
        "有任何一行出错时不会转换任何内容；错误会指出行号和列名。",
        "匹配题：每个选项写成 左=>右，干扰项写成 干扰项=>右；答案列留空。",
        "以 = 开头的文字（如选项 =(B3-B2)/B3）：先输入英文单引号 '，写成 '=(B3-B2)/B3，"
        "Excel 才会把它当作文字；公式单元格会被拒绝并指出单元格位置。",
        "单元格可用 Markdown，但每行开头按原样理解：选项「#5 条」「- 10%」「1. 先做」就是这些文字。",
        "Moodle 式权重：答案写 A:50%, B:50%, D:-100%（未写的选项为 0%），按权重计分。",
        "排序题：选项可按任意顺序填写，答案写正确顺序的字母，如 BDAEC。",
        "详细格式见 docs/content-format.zh.md 的“从 Moodle GIFT 和 Excel 导入”一节。",
    ):
        sheet.append(["", line])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 100
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
