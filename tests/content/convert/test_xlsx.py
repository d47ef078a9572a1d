"""XLSX in and out: one row per type, broken rows reported by row and column, the template, the export."""

# ruff: noqa: E501  (the worksheet rows below are kept one per line, as they stand in a sheet)

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from drill.content.convert import PackInfo, pack_to_xlsx, template_workbook, xlsx_to_pack
from drill.content.rules.check import check_paths
from drill.content.rules.packs import parse_pack
from tests.content.conftest import PACKS, TAXONOMY_PATH
from tests.content.convert.conftest import TAXONOMY, questions

HEADER = ["题号/ID", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "难度", "分值",
          "知识点/能力项", "主题", "级别", "单位"]  # fmt: skip
ROWS = [
    ["c-1", "单选题", "首先核实什么？", "爱好", "真实性", "亲属", None, "B", "真实性是核心。", 2, 2, "风险预判", "案例分析", "初级"],
    ["c-2", "多选题", "调查内容有：", "流水", "星座", "征信", None, "A,C", "星座无关。", "较难", 4, "风险预判、贷前", "案例分析", "初级"],
    ["c-3", "判断题", "放款后无需跟踪。", None, None, None, None, "错", "贷后管理很重要。", None, 1, None, "案例分析", "中级"],
    ["c-4", "填空题", "三查是贷前调查、____和（ ）。", None, None, None, None, "贷时审查|贷中审查；贷后检查", "三查制度。"],
    ["c-5", "数值题", "环比增长率是多少？", None, None, None, None, "17.1±0.05", "(480−410)÷410。", None, 2, "数据应用", None, None, "%"],
    ["c-6", "排序题", "排列贷款流程：", "审批", "受理", "放款", "调查", "BDAC", "先调查后审批。"],
    ["c-7", "匹配题", "风险与措施连线：", "价值下跌=>追加担保", "经营恶化->提前收回", "干扰项=>提高利率", None, None, "提高利率是干扰项。"],
    [5, "问答题", "说明调查要点。", None, None, None, None, "核实真实性、还款来源、担保和用途。"],
]  # fmt: skip


def workbook(rows: list[list], header: list[str] = HEADER, title_rows: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["某考试系统题库导出"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def converted():
    result = xlsx_to_pack(workbook(ROWS, title_rows=1), PackInfo(id="bank", title="题库"), TAXONOMY)
    assert result.ok, result.errors
    return result


def test_one_row_per_type_converts_to_a_pack_that_passes_drill_check(converted, tmp_path):
    qs = questions(converted.markdown)
    assert [q.type for q in qs.values()] == [
        "single", "multiple", "truefalse", "blank", "numeric", "ordering", "matching", "open",
    ]  # fmt: skip
    path = tmp_path / "quizzes" / "bank.md"
    path.parent.mkdir()
    path.write_text(converted.markdown, encoding="utf-8")
    assert check_paths([path], taxonomy_path=TAXONOMY_PATH).ok


def test_each_column_maps_to_its_field(converted):
    qs = questions(converted.markdown)
    single, multiple = qs["c-1"], qs["c-2"]
    assert [o["correct"] for o in single.spec["options"]] == [False, True, False]
    assert (single.points, single.difficulty, single.competencies) == (2, 2, ["risk-foresight"])
    assert [o["correct"] for o in multiple.spec["options"]] == [True, False, True]
    assert multiple.difficulty == 4 and multiple.tags == ["贷前"]  # 较难; a name that is no competency → tag
    assert qs["c-3"].spec["answer"] is False and qs["c-3"].level == "intermediate"
    assert qs["c-4"].spec["stem"] == "三查是贷前调查、{{贷时审查|贷中审查}}和{{贷后检查}}。"
    numeric = qs["c-5"].spec
    assert (Decimal(numeric["answer"]), Decimal(numeric["tolerance"]), numeric["unit"]) == (
        Decimal("17.1"),
        Decimal("0.05"),
        "%",
    )
    assert [i["text"] for i in qs["c-6"].spec["items"]] == ["受理", "调查", "审批", "放款"]
    rights = {r["id"]: r["text"] for r in qs["c-7"].spec["rights"]}
    assert [(p["text"], rights[p["right"]]) for p in qs["c-7"].spec["pairs"]] == [
        ("价值下跌", "追加担保"),
        ("经营恶化", "提前收回"),
    ]
    assert "提高利率" in rights.values()
    assert qs["bank-005"].spec["reference"] == "核实真实性、还款来源、担保和用途。"  # 题号 5 → bank-005


def test_theme_and_level_come_from_the_rows(converted):
    assert "theme: case-analysis" in converted.markdown and "level: junior" in converted.markdown


BROKEN = [
    (["x-1", "单选题", "题？", "甲", "乙", "丙", None, "A,C", "因为。"], "答案", "单选题只能有一个答案，写了 A,C"),
    (["x-2", "单选题", "题？", "甲", "乙", None, None, "E", "因为。"], "答案", "E 没有对应的选项"),
    (["x-3", "单选题", "题？", "甲", None, "丙", None, "A", "因为。"], "选项B", "选项B 为空"),
    (["x-4", "多选题", "题？", "甲", "乙", None, None, "甲乙", "因为。"], "答案", "应为选项字母"),
    (["x-5", "判断题", "题？", None, None, None, None, "也许", "因为。"], "答案", "应为 对 或 错"),
    (["x-6", "填空题", "____和____", None, None, None, None, "甲", "因为。"], "答案", "答案给了 1 组"),
    (["x-7", "数值题", "题？", None, None, None, None, "十二", "因为。"], "答案", "不是数"),
    (["x-8", "排序题", "题？", "甲", "乙", "丙", None, "AB", "因为。"], "答案", "各写一次"),
    (["x-9", "匹配题", "题？", "甲=>一", "乙", None, None, None, "因为。"], "选项B", "应写成 左=>右"),
    (["x-10", "匹配题", "题？", "甲=>一", "乙=>二", None, None, "A", "因为。"], "答案", "答案列请留空"),
    (["x-11", "问答题", "题？", "甲", None, None, None, "参考", "因为。"], "选项A", "不用选项"),
    (["x-12", "简单题", "题？", None, None, None, None, "x"], "题型", "无法识别"),
    (["x-13", "判断题", None, None, None, None, None, "对"], "题干", "题干为空"),
    (["x-14", "判断题", "题？", None, None, None, None, "对", "因为。", 9], "难度", "1（最易）到 5"),
    (["x-15", "判断题", "题？", None, None, None, None, "对", "因为。", 3, 0], "分值", "不是 0 到 1000"),
    (["x-16", "判断题", "题？", None, None, None, None, "对", "因为。", 3, 1, "x", "案例分析", "特级"], "级别", "初级、中级 或 高级"),
    (["X Y", "判断题", "题？", None, None, None, None, "对", "因为。"], "题号/ID", "只能用小写字母"),
    (["x-1", "判断题", "题？", None, None, None, None, "对", "因为。"], "题号/ID", "与第 2 行重复"),
    (["x-19", "判断题", "题？", None, None, None, None, "对", "因为。", 3, 1, None, "营销策划"], "主题", "一个文件只能有一个主题"),
    (["x-20", "判断题", "题？", None, None, None, None, "对", "因为。", "=1+2"], "难度", "单元格 J21 是公式"),
]  # fmt: skip


def test_broken_rows_are_reported_by_row_and_column_and_nothing_is_converted():
    good = ["ok-1", "判断题", "题？", None, None, None, None, "对", "因为。", 3, 1, None, "案例分析", "初级"]
    result = xlsx_to_pack(
        workbook([row for row, _c, _m in BROKEN] + [good]), PackInfo(id="bad", title="坏"), TAXONOMY
    )
    assert result.markdown is None and not result.ok
    found = {(e.line, e.column): e.located() for e in result.errors}
    for number, (_row, column, message) in enumerate(BROKEN, start=2):
        assert (number, column) in found, (number, column, message, found)
        assert message in found[(number, column)]
        assert found[(number, column)].startswith(f"第 {number} 行 {column} 列：")
    assert len(result.errors) == len(BROKEN)


def test_a_wrong_file_is_reported_not_raised():
    assert "cannot read" in xlsx_to_pack(b"not a workbook", PackInfo(), TAXONOMY).errors[0].message
    headless = xlsx_to_pack(workbook([["a", "b"]], header=["甲", "乙"]), PackInfo(), TAXONOMY)
    assert any("no header row" in e.message for e in headless.errors)


def test_unknown_columns_and_columns_that_do_not_apply_are_warnings():
    rows = [
        [
            "z-1",
            "判断题",
            "题？",
            None,
            None,
            None,
            None,
            "对",
            "因为。",
            3,
            1,
            None,
            "案例分析",
            "初级",
            "万元",
            "备注",
        ]
    ]
    result = xlsx_to_pack(workbook(rows, header=[*HEADER, "备注列"]), PackInfo(id="w", title="w"), TAXONOMY)
    assert result.ok
    assert {(w.line, w.column) for w in result.warnings} >= {(1, "备注列"), (2, "单位")}


def test_the_template_has_an_example_row_per_type_and_instructions():
    book = load_workbook(BytesIO(template_workbook()))
    assert book.sheetnames == ["题库", "填写说明"]
    sheet = book["题库"]
    header = [c.value for c in sheet[1]]
    assert header[:14] == ["题型", "题干", *(f"选项{x}" for x in "ABCDEFGH"), "答案", "解析", "难度", "分值"]
    assert {"知识点/能力项", "主题", "级别", "题号/ID", "单位"} <= set(header)
    assert all(c.font.bold for c in sheet[1])
    types = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert types == ["单选题", "多选题", "判断题", "填空题", "数值题", "排序题", "匹配题", "问答题"]
    assert sheet.column_dimensions["B"].width == 50 and sheet["B2"].alignment.wrap_text
    assert "匹配题" in " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row)


def test_the_template_converts_to_a_pack_that_passes_drill_check_strict(tmp_path):
    result = xlsx_to_pack(template_workbook(), PackInfo(id="template", title="模板"), TAXONOMY, "模板.xlsx")
    assert result.ok and not result.warnings, result.issues
    path = tmp_path / "quizzes" / "template.md"
    path.parent.mkdir()
    path.write_text(result.markdown, encoding="utf-8")
    report = check_paths([path], strict=True, taxonomy_path=TAXONOMY_PATH)
    assert report.ok, report.errors


def test_the_export_is_formatted_and_keeps_arrows_as_text():
    text = (PACKS / "quizzes/golden-quiz/index.md").read_text(encoding="utf-8")
    pack = parse_pack(text, "golden.md", "quiz", TAXONOMY)
    export = pack_to_xlsx(pack, TAXONOMY)
    assert export.ok and export.questions == 8
    assert {w.line for w in export.warnings} == {58}  # the linked image and data file are not included
    sheet = load_workbook(BytesIO(export.data))["题库"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "C2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    matching = next(r for r in rows if r[0] == "匹配题")
    assert matching[2:6] == (
        "抵押物价值下跌=>追加担保",
        "客户经营恶化=>提前收回贷款",
        "资金被挪用=>加强用途监控",
        "干扰项=>提高利率",
    )
    assert next(r for r in rows if r[0] == "多选题")[10] == "A,B,D"


def test_a_question_with_more_than_eight_options_is_left_out_and_reported(tax):
    options = "\n".join(f"- [{'x' if i == 0 else ' '}] 选项{i}" for i in range(9))
    text = f"---\nid: many\ntitle: t\ntheme: case-analysis\nlevel: junior\n---\n\n## m-1\n类型: 单选\n\n题？\n\n{options}\n\n解析: 因为。\n"
    export = pack_to_xlsx(parse_pack(text, "many.md", "quiz", tax), tax)
    assert (
        export.questions == 0 and "9 options" in export.warnings[0].message and export.warnings[0].line == 8
    )


def test_a_text_cell_starting_with_equals_reads_back_as_text_while_a_formula_is_refused_with_its_cell():
    text = (
        "---\nid: eq\ntitle: 等号\ntheme: case-analysis\nlevel: junior\n---\n\n## e-1\n类型: 单选\n\n"
        "环比增长率的公式是：\n\n- [x] =(B3-B2)/B2\n- [ ] =B3/B2\n\n解析: 增量除以基数。\n"
    )
    export = pack_to_xlsx(parse_pack(text, "eq.md", "quiz", TAXONOMY), TAXONOMY)
    sheet = load_workbook(BytesIO(export.data))["题库"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("选项A") + 1)
    assert (cell.value, cell.data_type) == ("=(B3-B2)/B2", "s")  # written as text, as Excel shows it
    back = xlsx_to_pack(export.data, PackInfo(), TAXONOMY)
    assert back.ok, back.errors
    assert [o["text"] for o in questions(back.markdown)["e-1"].spec["options"]] == ["=(B3-B2)/B2", "=B3/B2"]
    # the same cell typed as a real formula is refused, with its address
    book = load_workbook(BytesIO(export.data))
    book["题库"].cell(row=2, column=header.index("选项A") + 1).value = "=(B3-B2)/B2"  # a formula now
    buffer = BytesIO()
    book.save(buffer)
    refused = xlsx_to_pack(buffer.getvalue(), PackInfo(), TAXONOMY)
    assert not refused.ok and "the cell C2 holds a formula `=(B3-B2)/B2`" in refused.errors[0].message


def test_the_template_says_how_to_type_a_leading_equals_sign_and_weights():
    notes = " ".join(
        str(c.value)
        for row in load_workbook(BytesIO(template_workbook()))["填写说明"].iter_rows()
        for c in row
    )
    assert "'=(B3-B2)/B3" in notes and "A:50%, B:50%, D:-100%" in notes


def test_the_pack_sheet_carries_the_front_matter_and_introduction():
    text = (PACKS / "quizzes/golden-quiz/index.md").read_text(encoding="utf-8")
    pack = parse_pack(text, "golden.md", "quiz", TAXONOMY)
    book = load_workbook(BytesIO(pack_to_xlsx(pack, TAXONOMY).data))
    assert book.sheetnames == ["题库", "题库信息", "填写说明"]
    values = {row[0]: row[1] for row in book["题库信息"].iter_rows(min_row=2, values_only=True)}
    assert values["id"] == pack.meta["id"] and values["title"] == pack.meta["title"]
    assert values["intro"] == pack.sections["intro"].strip()
    back = xlsx_to_pack(pack_to_xlsx(pack, TAXONOMY).data, PackInfo(), TAXONOMY)
    assert back.ok, back.errors
    again = parse_pack(back.markdown, "back.md", "quiz", TAXONOMY)
    assert again.meta == pack.meta and again.sections["intro"] == pack.sections["intro"]


def test_weights_in_the_answer_column_keep_moodles_partial_credit():
    rows = [
        ["w-1", "单选题", "来自？", "耶路撒冷", "伯利恒", "拿撒勒", None, "C:100%, B:25%", "因为。"],
        ["w-2", "多选题", "谁？", "没有人", "格兰特", "妻子", None, "A:-50%, B:50%, C:50%", "因为。"],
        ["w-3", "多选题", "谁？", "甲", "乙", None, None, "A:50%, B:30%", "因为。"],
    ]
    result = xlsx_to_pack(
        workbook(rows[:2]), PackInfo(id="w", title="权重", theme="案例分析", level="初级"), TAXONOMY
    )
    assert result.ok, result.errors
    qs = questions(result.markdown)
    assert [o.get("weight") for o in qs["w-1"].spec["options"]] == [0, 25, 100]
    assert qs["w-2"].spec["scoring"] == "weighted"
    assert [o["weight"] for o in qs["w-2"].spec["options"]] == [-50, 50, 50]
    bad = xlsx_to_pack(
        workbook(rows[2:]), PackInfo(id="w", title="权重", theme="案例分析", level="初级"), TAXONOMY
    )
    assert not bad.ok and bad.errors[0].column == "答案" and "add up to 100%" in bad.errors[0].message
