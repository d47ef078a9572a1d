"""The rating grid: a period's marks for every manager typed on one page and saved in one POST (with its
CSRF token), or filled in as the downloaded XLSX and uploaded back; one wrong cell names its manager and
item and nothing is saved; a comment is asked for only where the scheme says (the top and bottom band)."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from drill.appraisal import services
from drill.appraisal.models import AuditLog, Rating
from drill.extensions import db
from tests.appraisal.world import scheme_file
from tests.conftest import PASSWORD, csrf_token

ITEMS = ("thinking", "action", "management_ability", "attitude")
LABELS = {
    "thinking": "思维能力",
    "action": "执行能力",
    "management_ability": "管理能力",
    "attitude": "工作态度",
}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def march(db, make_user):
    admin = make_user("A01", roles={"admin"}, branch="head")
    one = make_user("T001", category="tobacco")
    two = make_user("T002", category="tobacco", branch="west1")
    period = services.create_period(scheme_file("tobacco-manager"), "monthly", 2025, 3, admin)
    db.session.commit()
    return admin, period, one, two


def sign_in(client, user):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"employee_no": user.employee_no, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def ratings() -> dict[tuple[int, str], tuple[float, str]]:
    return {(r.user_id, r.item_key): (r.value, r.comment) for r in db.session.scalars(select(Rating))}


def grid_post(client, period, cells: dict):
    page = client.get(f"/appraisal/periods/{period.id}/grid")
    assert page.status_code == 200
    return client.post(
        f"/appraisal/periods/{period.id}/grid",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), **cells},
    )


def full(users, mark="4", comment=""):
    cells = {}
    for user in users:
        for key in ITEMS:
            cells[f"m_{user.id}_{key}"], cells[f"c_{user.id}_{key}"] = mark, comment
    return cells


def test_a_whole_grid_is_saved_in_one_post_and_a_middle_mark_needs_no_comment(client, march):
    admin, period, one, two = march
    sign_in(client, admin)
    cells = full([one, two])
    cells[f"m_{one.id}_thinking"], cells[f"c_{one.id}_thinking"] = "5", "主动梳理 30 户需求"
    response = grid_post(client, period, cells)
    assert response.status_code == 302
    saved = ratings()
    assert len(saved) == 8
    assert saved[(one.id, "thinking")] == (5.0, "主动梳理 30 户需求") and saved[(two.id, "attitude")] == (
        4.0,
        "",
    )
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "rating")) == 8
    page = client.get(f"/appraisal/periods/{period.id}/grid").get_data(as_text=True)
    assert "已保存 8 项评分" in page
    assert 'value="主动梳理 30 户需求"' in page


def test_one_bad_cell_is_named_by_manager_and_item_and_nothing_is_saved(client, march):
    admin, period, one, two = march
    sign_in(client, admin)
    cells = full([one, two])
    cells[f"m_{two.id}_action"] = "7"  # out of the 1–5 scale
    cells[f"m_{one.id}_attitude"] = "1"  # the bottom band, without a comment
    response = grid_post(client, period, cells)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ratings() == {}
    assert (
        f"{two.name} ({two.employee_no}) · 执行能力" in page
        and f"{one.name} ({one.employee_no}) · 工作态度" in page
    )
    assert page.count("grid-error") == 2
    assert 'value="7"' in page  # what was typed stays in the grid


def test_the_grid_goes_out_as_xlsx_and_comes_back_with_the_same_checks(client, march):
    admin, period, one, two = march
    sign_in(client, admin)
    assert grid_post(client, period, full([one], "3")).status_code == 302
    response = client.get(f"/appraisal/periods/{period.id}/grid.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["工号", "姓名", "思维能力", "思维能力评语"]
    assert book.sheetnames[1] == "说明"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["T001"][2].value == 3
    for cell in rows["T002"][2::2]:
        cell.value = 2  # the bottom band: each needs a comment
    for cell in rows["T002"][3::2]:
        cell.value = "拜访记录不全"
    rows["T002"][9].value = None  # 工作态度评语 left out

    def upload(book):
        out = io.BytesIO()
        book.save(out)
        page = client.get(f"/appraisal/periods/{period.id}/grid").get_data(as_text=True)
        return client.post(
            f"/appraisal/periods/{period.id}/grid/upload",
            data={"csrf_token": csrf_token(page), "sheet": (io.BytesIO(out.getvalue()), "ratings.xlsx")},
            content_type="multipart/form-data",
        )

    refused = upload(book)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "第 3 行" in text or "row 3" in text
    assert "工作态度" in text and len(ratings()) == 4
    rows["T002"][9].value = "-三次未录入"  # a comment that looks like a formula comes back as typed
    assert upload(book).status_code == 302
    saved = ratings()
    assert len(saved) == 8 and saved[(two.id, "attitude")] == (2.0, "-三次未录入")
    assert saved[(one.id, "thinking")] == (3.0, "")


def test_a_sheet_row_of_a_manager_out_of_scope_is_refused(client, march, make_user):
    _admin, period, one, two = march
    trainer = make_user("TR1", roles={"trainer"}, branch="west1", scope_branch="west1")
    sign_in(client, trainer)
    page = client.get(f"/appraisal/periods/{period.id}/grid").get_data(as_text=True)
    assert two.employee_no in page and one.employee_no not in page
    header = "工号,思维能力,思维能力评语,执行能力,执行能力评语,管理能力,管理能力评语,工作态度,工作态度评语"
    csv = header + "\nT001,4,,4,,4,,4,\n"
    response = client.post(
        f"/appraisal/periods/{period.id}/grid/upload",
        data={"csrf_token": csrf_token(page), "sheet": (io.BytesIO(csv.encode()), "r.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and ratings() == {}


def test_the_indicator_template_opens_with_the_importers_headers_and_imports_as_it_is(client, march):
    admin, period, *_ = march
    sign_in(client, admin)
    response = client.get(f"/appraisal/periods/{period.id}/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    header = [c.value for c in book.worksheets[0][1]]
    scheme = services.scheme_of(period)
    assert header == ["工号", "姓名", *(c.label for c in scheme.columns)]
    assert book.worksheets[0].max_row == 2 and "说明" in book.sheetnames
    page = client.get(f"/appraisal/periods/{period.id}/import").get_data(as_text=True)
    assert f"/appraisal/periods/{period.id}/import/template.xlsx" in page
    imported = client.post(
        f"/appraisal/periods/{period.id}/import",
        data={"csrf_token": csrf_token(page), "sheet": (io.BytesIO(response.data), "template.xlsx")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
