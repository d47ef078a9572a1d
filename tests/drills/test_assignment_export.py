"""An assignment's report downloads as XLSX: one row per person, times in Beijing time."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from drill.attempts.models import Attempt
from drill.drills.models import Assignment
from tests.drills.test_assignments import assign


def test_the_export_opens_in_a_spreadsheet_with_one_row_per_person(
    app, client, make_user, login, org, sample_pack, db
):
    login(make_user("t001", roles={"trainer"}, branch="head"))
    assign(client, org, fixed_paper="y", branches=[org["head"].id])
    assignment = db.session.scalars(select(Assignment)).one()
    done = make_user("m100", branch="east1", name="张三")
    make_user("m101", branch="east1", name="=1+1")  # a name a spreadsheet would run as a formula
    make_user("m200", branch="west1", name="李四")
    manager = app.test_client()
    login(done, target=manager)
    url = manager.post(f"/drills/assignments/{assignment.id}/start").headers["Location"]
    manager.post(url + "/submit")
    attempt = db.session.scalars(select(Attempt)).one()

    response = client.get(f"/drills/assignments/{assignment.id}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    response.close()
    assert rows[0] == ["工号", "姓名", "机构", "状态", "得分", "满分", "提交时间"]
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {"m100", "m101", "m200"}
    submitted = (attempt.closed_at + timedelta(hours=8)).replace(tzinfo=None, second=0, microsecond=0)
    _number, name, branch, state, score, points, at = by_number["m100"]
    assert (name, branch, state, score, points) == ("张三", "东城一网点", "已完成", 0, attempt.max_score)
    assert at.replace(second=0, microsecond=0) == submitted  # Beijing time, not UTC
    assert by_number["m101"][1:] == ["'=1+1", "东城一网点", "未开始", None, None, None]
    assert by_number["m200"][2:4] == ["西山一网点", "未开始"]
