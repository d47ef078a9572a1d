"""Indicator sheets: every problem by row and column, nothing accepted if anything is wrong, and an
identical re-import recognised by its checksum."""

from drill.appraisal.rules.indicators import parse_indicators
from tests.appraisal.helpers import MINI, parse

SCHEME = parse(MINI)[0].scheme
STAFF = {"1001", "1002", "1003"}


def problems_of(table, staff=STAFF):
    sheet = parse_indicators(table, SCHEME, staff)
    return [(p.row, p.column, str(p.message)) for p in sheet.problems], sheet


def test_a_good_sheet_gives_numbers_by_employee_and_column():
    table = [
        ["工号", "姓名", "销量", "sales_target"],
        ["1001", "王芳", "1,300", "1000"],
        ["１００２", "李强", "９５０.５", "1000"],
        ["", "", "", ""],
    ]
    problems, sheet = problems_of(table)
    assert problems == [] and sheet.ok
    assert sheet.values == {
        "1001": {"sales": 1300.0, "sales_target": 1000.0},
        "1002": {"sales": 950.5, "sales_target": 1000.0},
    }
    assert sheet.rows == {"1001": 2, "1002": 3}
    assert len(sheet.checksum) == 64


def test_the_same_numbers_in_another_order_or_spelling_have_the_same_checksum():
    first = parse_indicators(
        [["工号", "销量", "销量目标"], ["1001", "1300", "1000"], ["1002", "950.5", "1000"]], SCHEME, STAFF
    )
    again = parse_indicators(
        [["销量目标", "employee_no", "sales"], ["1000.00", "1002", "950.50"], ["1e3", "1001", "1,300"]],
        SCHEME,
        STAFF,
    )
    changed = parse_indicators(
        [["工号", "销量", "销量目标"], ["1001", "1301", "1000"], ["1002", "950.5", "1000"]], SCHEME, STAFF
    )
    assert first.checksum == again.checksum != changed.checksum


def test_every_bad_cell_is_reported_and_nothing_is_accepted():
    table = [
        ["工号", "销量", "销量目标"],
        ["1001", "1300", "1000"],
        ["9999", "12", "10"],
        ["1002", "一千", "0"],
        ["1003", "", "95%"],
        ["1001", "5", "-3"],
        ["", "1", "1"],
    ]
    problems, sheet = problems_of(table)
    assert problems == [
        (3, "工号", "no customer manager with employee number “9999”"),
        (4, "销量", "“一千” is not a number; write digits only, e.g. 1234.5"),
        (4, "销量目标", "0 is below the lowest allowed, 0.01"),
        (5, "销量", "the value is empty; write a number (0 if there was none)"),
        (5, "销量目标", "“95%” is not a number; write digits only, e.g. 1234.5"),
        (6, "工号", "employee number 1001 repeats row 2"),
        (6, "销量目标", "-3 is below the lowest allowed, 0.01"),
        (7, "工号", "the employee number is empty"),
    ]
    assert sheet.values == {} and sheet.rows == {} and sheet.checksum is None


def test_header_problems_missing_unknown_and_repeated_columns():
    problems, sheet = problems_of([["工号", "销量", "sales", "存款"], ["1001", "1", "1", "1"]])
    assert problems == [
        (1, "sales", "column “sales” appears twice"),
        (1, "存款", "unknown column “存款”"),
        (1, "销量目标", "missing column “销量目标”"),
    ]
    assert not sheet.ok and sheet.values == {}


def test_an_empty_sheet_and_a_header_without_rows():
    assert problems_of([])[0] == [(1, "", "the sheet is empty")]
    assert problems_of([["工号", "销量", "销量目标"]])[0] == [(2, "", "the sheet has a header but no rows")]


def test_the_maximum_of_a_column_is_enforced():
    scheme = parse(
        MINI.replace("{key: sales, label: 销量, min: 0}", "{key: sales, label: 销量, min: 0, max: 100}")
    )[0].scheme
    sheet = parse_indicators([["工号", "销量", "销量目标"], ["1001", "120", "1"]], scheme, STAFF)
    assert [(p.row, p.column, str(p.message)) for p in sheet.problems] == [
        (2, "销量", "120 is above the highest allowed, 100")
    ]
