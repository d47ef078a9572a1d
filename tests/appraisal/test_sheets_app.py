"""Indicator sheets through the page: a malformed sheet is refused with every problem by row and column
and the database left as it was; the same numbers again change nothing; a published period takes none."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from drill.appraisal import services
from drill.appraisal.models import AuditLog, IndicatorImport, Period
from drill.appraisal.rules import states
from drill.extensions import db
from tests.appraisal.world import labels_of, scheme_file, sheet_csv

VALUES = {
    "sales_volume": 120, "sales_volume_target": 100, "sales_value": 54, "sales_value_target": 60,
    "key_brand_volume": 36, "key_brand_target": 30, "new_product_coverage": 80, "visit_coverage": 100,
    "display_rate": 90, "info_rate": 80, "satisfaction": 90, "complaints": 0,
}  # fmt: skip


@pytest.fixture
def march(db, make_user):
    admin = make_user("A01", roles={"admin"}, branch="head", locale="en")
    make_user("T001", category="tobacco")
    make_user("T002", category="tobacco", branch="west1")
    make_user("B001")  # a bank manager: not in a tobacco sheet
    period = services.create_period(scheme_file("tobacco-manager"), "monthly", 2025, 3, admin)
    db.session.commit()
    return admin, period


def upload(client, period, data: bytes, name: str):
    return client.post(
        f"/appraisal/periods/{period.id}/import",
        data={"sheet": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def counts():
    return (
        db.session.scalar(select(func.count(IndicatorImport.id))),
        db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "import")),
    )


def test_a_malformed_sheet_is_refused_with_every_problem_and_nothing_changes(client, login, march):
    admin, period = march
    login(admin)
    labels = labels_of("tobacco-manager")
    header = ["工号", *labels.values()]
    good = [str(VALUES[k]) for k in labels]
    lines = [
        header,
        ["T001", *good],
        ["T009", *good],  # row 3: no such manager
        ["B001", *good],  # row 4: a bank manager in a tobacco sheet
        ["T001", *good],  # row 5: T001 again
        ["T002", "很多", *good[1:-1], "-1"],  # row 6: words for 卷烟销量, a negative 有效投诉次数
        ["T002", *good[:-2], "", good[-1]],  # row 7: an empty 零售客户满意度 (T002 repeats row 6 too)
    ]
    text = "\n".join(",".join(cells) for cells in lines).encode("utf-8")
    response = upload(client, period, text, "march.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    found = [(p.row, p.column) for p in _problems(page)]
    assert ("3", "工号") in found and ("4", "工号") in found and ("5", "工号") in found
    assert ("6", "卷烟销量") in found and ("6", "有效投诉次数") in found and ("7", "零售客户满意度") in found
    assert counts() == (0, 0)
    # A missing column is named; still nothing imported
    short = sheet_csv(list(labels.values())[:-1], {"T001": {labels[k]: v for k, v in VALUES.items()}})
    response = upload(client, period, short, "short.csv")
    assert response.status_code == 422 and "有效投诉次数" in response.get_data(as_text=True)
    assert counts() == (0, 0)


class _Problem:
    def __init__(self, row, column):
        self.row, self.column = row, column


def _problems(page: str) -> list[_Problem]:
    import re

    body = page.split('id="problems"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>", body)
    return [_Problem(r, c) for r, c in cells]


def test_the_same_numbers_again_change_nothing_even_as_xlsx_in_another_order(client, login, march):
    admin, period = march
    login(admin)
    labels = labels_of("tobacco-manager")
    rows = {
        "T001": {labels[k]: v for k, v in VALUES.items()},
        "T002": {labels[k]: v for k, v in VALUES.items()},
    }
    assert upload(client, period, sheet_csv(list(labels.values()), rows), "march.csv").status_code == 302
    assert counts() == (1, 1)
    again = client.post(
        f"/appraisal/periods/{period.id}/import",
        data={"sheet": (io.BytesIO(sheet_csv(list(labels.values()), rows)), "march.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "nothing changed" in again.get_data(as_text=True)
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", *reversed(list(labels.keys()))])  # keys instead of labels, columns reversed
    for number in ("T002", "T001"):
        sheet.append([number, *(float(VALUES[k]) for k in reversed(list(labels)))])
    data = io.BytesIO()
    book.save(data)
    assert upload(client, period, data.getvalue(), "march.xlsx").status_code == 302
    assert counts() == (1, 1)
    # Different numbers are a new sheet, audited with the old checksum
    changed = {**rows, "T002": {**rows["T002"], labels["complaints"]: 2}}
    assert (
        upload(client, period, sheet_csv(list(labels.values()), changed), "march-v2.csv").status_code == 302
    )
    assert counts() == (2, 2)
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "import").order_by(AuditLog.id.desc())
    ).first()
    assert entry.old["filename"] == "march.csv" and entry.new["filename"] == "march-v2.csv"


def test_a_published_period_takes_no_sheet(client, login, march):
    admin, period = march
    period.state = states.PUBLISHED
    db.session.commit()
    login(admin)
    labels = labels_of("tobacco-manager")
    rows = {
        "T001": {labels[k]: v for k, v in VALUES.items()},
        "T002": {labels[k]: v for k, v in VALUES.items()},
    }
    response = upload(client, period, sheet_csv(list(labels.values()), rows), "late.csv")
    assert response.status_code == 302 and counts() == (0, 0)
    assert db.session.get(Period, period.id).state == "published"
