"""The XLSX every list exports (drill.export.write_xlsx), read back as Excel and WPS read it."""

from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from drill.export import write_xlsx


def read_back(title: str, headers: list[str], rows: list[list]):
    with write_xlsx(title, headers, rows) as book:
        return load_workbook(book).active


def test_an_export_reads_back_as_typed_cells_under_a_bold_frozen_header():
    sheet = read_back(
        "[第1批]: 东城/西山?",
        ["工号", "姓名", "得分", "提交时间", "有效期"],
        [
            ["M001", '=HYPERLINK("http://x")', 87.5, datetime(2026, 12, 1, 9, 30), date(2028, 12, 7)],
            ["M002", "-1+2", Decimal("60.25"), None, None],
            ["M003", "张三", 0, None, None],
        ],
    )
    assert sheet.title == "_第1批__ 东城_西山_"
    assert [c.value for c in sheet[1]] == ["工号", "姓名", "得分", "提交时间", "有效期"]
    assert all(c.font.bold for c in sheet[1]) and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    # Text a spreadsheet would run is a quoted text cell, never a formula.
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")' and sheet["B2"].data_type == "s"
    assert sheet["B3"].value == "'-1+2"
    assert sheet["C2"].value == 87.5 and sheet["C3"].value == 60.25 and sheet["C4"].value == 0
    assert sheet["D2"].value == datetime(2026, 12, 1, 9, 30)
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["E2"].value == datetime(2028, 12, 7) and sheet["E2"].number_format == "yyyy-mm-dd"
    assert sheet["D3"].value is None and sheet.max_row == 4


def test_a_title_that_is_only_forbidden_characters_or_quotes_still_names_a_sheet():
    assert read_back("'", ["a"], []).title == "-"
    assert read_back("'年度'", ["a"], []).title == "年度"
    assert len(read_back("很长" * 40, ["a"], []).title) == 31
    assert read_back("𠮷" * 20, ["a"], []).title == "𠮷" * 15  # two UTF-16 units each: 30 of 31


def test_a_number_that_is_not_one_exports_as_an_empty_cell_not_a_failed_download():
    sheet = read_back("t", ["a", "b", "c"], [[float("nan"), float("inf"), 1.5]])
    assert sheet["A2"].value is None and sheet["B2"].value is None and sheet["C2"].value == 1.5
