"""The manager's file: the competency radar against the branch and the organisation, the gaps and the
drills that close them (started at once, or assigned by a trainer in one click), rewards and penalties;
and a period's report with its exports."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from drill.appraisal import entry, period_records, services
from drill.appraisal.models import AuditLog
from drill.appraisal.rules import gaps
from drill.attempts.models import Attempt
from drill.drills.models import Assignment
from drill.extensions import db
from tests.appraisal.test_bank_app import B001, OTHER_RATINGS
from tests.appraisal.world import (
    drill,
    import_shipped_quizzes,
    labels_of,
    rate_all,
    scheme_file,
    sheet_csv,
    versions,
)

WEAK = "ethics"


@pytest.fixture
def world(db, make_user):
    import_shipped_quizzes()
    people = {
        "admin": make_user("A01", roles={"admin"}, branch="head", name="管理员甲"),
        "trainer": make_user("TE", roles={"trainer"}, branch="east", scope_branch="east", name="东城培训师"),
        "m1": make_user("M001", branch="east1", name="周经理", locale="en"),
        "m2": make_user("M002", branch="east1", name="吴经理"),
        "m3": make_user("M003", branch="west1", name="郑经理"),
    }
    recent = datetime.now(UTC).date() - timedelta(days=10)
    bank = [v for v in versions() if v.competencies]
    for name, weak_share in (("m1", 0.0), ("m2", 1.0), ("m3", 0.5)):
        items = [(v.id, v.points, v.points * (weak_share if WEAK in v.competencies else 1.0)) for v in bank]
        drill(people[name], recent, sum(e for *_, e in items), sum(p for _, p, _ in items), items=items)
    drill(
        people["m1"], recent - timedelta(days=200), 0, 10, items=[(bank[0].id, bank[0].points, 0)]
    )  # too old
    db.session.commit()
    return people


def test_the_file_shows_the_radar_the_gap_and_a_drill_to_start_at_once(client, login, world):
    m1 = world["m1"]
    login(m1)
    page = client.get("/appraisal/me", follow_redirects=True).get_data(as_text=True)
    assert 'class="w-100 radar-chart"' in page and page.count("<polygon") >= 4 + 3  # rings + three series
    assert "Ethics and confidentiality" in page  # the gap, by its label (in English for this manager)
    gap_part = page.split('id="gaps"', 1)[1]
    assert "not practised" not in gap_part.split("</section>", 1)[0] and "(-" in gap_part
    assert 'class="btn btn-sm btn-primary start-recommended"' in page and "assign-recommended" not in page
    slug = gap_part.split('data-pack="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/drills/",
        data={"pack": slug, "competency": WEAK, "theme": "", "level": "", "count": 5, "minutes": 15},
    )
    assert response.status_code == 302 and "/drills/attempts/" in response.headers["Location"]
    attempt = db.session.scalars(select(Attempt).order_by(Attempt.id.desc())).first()
    assert attempt.user_id == m1.id and attempt.criteria["competency"] == WEAK and attempt.state == "open"


def test_a_trainer_assigns_the_recommended_drill_in_one_click(app, client, login, world):
    m1, m3, trainer = world["m1"], world["m3"], world["trainer"]
    login(trainer)
    page = client.get(f"/appraisal/people/{m1.id}").get_data(as_text=True)
    assert "assign-recommended" in page and "start-recommended" not in page
    pack_id = page.split('name="pack_id" value="', 1)[1].split('"', 1)[0]
    response = client.post(f"/appraisal/people/{m1.id}/assign", data={"pack_id": pack_id, "competency": WEAK})
    assert response.status_code == 302
    assignment = db.session.scalars(select(Assignment)).one()
    assert assignment.competency == WEAK and [t.user_id for t in assignment.targets] == [m1.id]
    assert assignment.created_by_id == trainer.id and assignment.closes_at > datetime.now(UTC) + timedelta(
        days=13
    )
    assert (
        client.post(
            f"/appraisal/people/{m3.id}/assign", data={"pack_id": pack_id, "competency": WEAK}
        ).status_code
        == 403
    )
    manager = app.test_client()
    login(m1, target=manager)
    page = manager.get(f"/appraisal/people/{m1.id}").get_data(as_text=True)
    assert assignment.title in page and "start-assigned" in page
    response = manager.post(f"/drills/assignments/{assignment.id}/start")
    assert response.status_code == 302
    attempt = db.session.scalars(select(Attempt).where(Attempt.assignment_id == assignment.id)).one()
    assert attempt.kind == "assigned" and attempt.user_id == m1.id


def test_gaps_are_the_competencies_furthest_below_the_organisation():
    found = gaps.gaps({"a": 50, "b": 90}, {}, {"a": 70, "b": 80, "c": 60, "d": 40})
    # c and d never practised: 0 − 60 = −60 and 0 − 40 = −40; a: 50 − 70 = −20; b is above
    assert [(g.competency, g.difference) for g in found] == [("c", -60), ("d", -40), ("a", -20)]
    assert [g.competency for g in gaps.gaps({"a": 50}, {}, {"a": 70, "c": 60, "d": 40}, limit=1)] == ["c"]
    offers = {"c": [gaps.Offer("c", 1, "p1", "甲", 3), gaps.Offer("c", 2, "p2", "乙", 8)]}
    assert [o.slug for o in gaps.offers(found, offers)] == ["p2", "p1"]


def test_what_the_gaps_section_can_say():
    assert gaps.status({}, {}, []) == gaps.NO_DATA  # nobody drilled: nothing to measure against
    found = gaps.gaps({}, {}, {"a": 70})
    assert gaps.status({}, {"a": 70}, found) == gaps.NOT_PRACTISED
    assert gaps.status({"a": 80}, {"a": 70}, []) == gaps.NONE_BELOW
    assert gaps.status({"a": 60}, {"a": 70}, gaps.gaps({"a": 60}, {}, {"a": 70})) == gaps.BELOW


def test_a_manager_without_drills_is_not_told_there_is_no_gap(client, login, make_user, world):
    newcomer = make_user("M009", branch="east1", name="新经理")
    login(newcomer)
    page = client.get(f"/appraisal/people/{newcomer.id}").get_data(as_text=True)
    assert 'data-status="not-practised"' in page and "近 90 天没有练兵记录" in page
    assert "keep it up" not in page and "继续保持" not in page
    assert "start-recommended" in page  # the widest gaps come with drills to start


def test_before_anyone_drills_the_file_says_there_is_no_data_yet(client, login, make_user):
    first = make_user("M010", branch="east1", name="首位经理")
    login(first)
    page = client.get(f"/appraisal/people/{first.id}").get_data(as_text=True)
    assert 'data-status="no-data"' in page and "暂无可比较的差距" in page and "开始练兵" in page


def test_rewards_and_penalties_are_entered_by_an_admin_and_audited(app, client, login, world):
    m1 = world["m1"]
    trainer, admin = app.test_client(), app.test_client()
    login(world["trainer"], target=trainer)
    login(world["admin"], target=admin)
    data = {"kind": "reward", "title": "季度服务之星", "awarded_on": "2025-04-01", "note": "客户表扬信三封"}
    assert trainer.post(f"/appraisal/people/{m1.id}/rewards", data=data).status_code == 403
    assert admin.post(f"/appraisal/people/{m1.id}/rewards", data=data).status_code == 302
    login(m1)
    page = client.get(f"/appraisal/people/{m1.id}").get_data(as_text=True)
    assert "季度服务之星" in page and "客户表扬信三封" in page
    entry_ = db.session.scalars(select(AuditLog).where(AuditLog.entity == "reward")).one()
    assert entry_.subject_id == m1.id and entry_.new["title"] == "季度服务之星"


def test_the_report_and_its_exports(client, login, world):
    admin = world["admin"]
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    labels = labels_of("bank-manager")
    numbers = ("M001", "M002", "M003")
    rows = {n: {labels[k]: v for k, v in B001.items()} for n in numbers}
    entry.import_indicators(
        period, "q1.csv", sheet_csv(list(labels.values()), rows), admin, datetime.now(UTC)
    )
    for name in ("m1", "m2", "m3"):
        rate_all(period, world[name], {**OTHER_RATINGS, "thinking": {"m1": 5, "m2": 4, "m3": 3}[name]}, admin)
    assert period_records.compute_period(period, admin, datetime.now(UTC)).ok
    db.session.commit()
    login(admin)
    page = client.get(f"/appraisal/periods/{period.id}/report").get_data(as_text=True)
    assert 'id="branches"' in page and "东城支行" in page and "西山支行" in page and "<rect" in page
    assert page.index("周经理") < page.index("吴经理") < page.index("郑经理")  # by total
    book = load_workbook(io.BytesIO(client.get(f"/appraisal/periods/{period.id}/export.xlsx").data))
    assert book.sheetnames == ["东城支行", "西山支行"]
    east = book["东城支行"]
    assert east["A2"].font.bold and east.freeze_panes == "A3"
    assert [east.cell(r, 3).value for r in (3, 4)] == ["M001", "M002"] and east.max_row == 4
    assert book["西山支行"].cell(3, 3).value == "M003"
    text = client.get(f"/appraisal/periods/{period.id}/export.csv").data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert len(lines) == 4 and [line[2] for line in lines[1:]] == ["M001", "M002", "M003"]
    assert float(lines[1][5]) > float(lines[2][5]) > float(lines[3][5])


def test_the_reports_branch_and_unit_sums_are_those_of_the_records(world):
    """The comparison and the quota table are summed in SQL: they equal the records summed one by one."""
    from collections import Counter
    from decimal import ROUND_HALF_UP, Decimal

    from drill.appraisal import reports
    from drill.appraisal.models import Record

    admin = world["admin"]
    period = services.create_period(scheme_file("bank-manager"), "quarterly", 2025, 1, admin)
    labels = labels_of("bank-manager")
    rows = {n: {labels[k]: v for k, v in B001.items()} for n in ("M001", "M002", "M003")}
    entry.import_indicators(
        period, "q1.csv", sheet_csv(list(labels.values()), rows), admin, datetime.now(UTC)
    )
    for name, thinking in (("m1", 5), ("m2", 2), ("m3", 4)):
        rate_all(period, world[name], {**OTHER_RATINGS, "thinking": thinking}, admin)
    assert period_records.compute_period(period, admin, datetime.now(UTC)).ok
    db.session.commit()
    records = db.session.scalars(select(Record).where(Record.period_id == period.id)).all()
    by_group = {}
    for record in records:
        group = reports.group_id(record.user.branch.path, record.user.branch_id)
        by_group.setdefault(group, []).append(record)
    cells = reports.lines(period, None)
    assert reports.counted(cells) == len(records) == 3
    compared = {line.branch.id: line for line in reports.branches(cells)}
    assert compared.keys() == by_group.keys()
    for group, members in by_group.items():
        totals = [r.total for r in members]
        mean = (Decimal(sum(round(t * 100) for t in totals)) / (100 * len(totals))).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        line = compared[group]
        assert (line.count, line.mean, line.best, line.worst) == (
            len(totals),
            float(mean),
            max(totals),
            min(totals),
        )
        assert line.bands == Counter(r.band for r in members)
    scheme = services.scheme_of(period)
    shares, overall = reports.distribution(scheme, cells)
    units = Counter(r.unit or r.user.branch.code for r in records)
    assert {s.unit: s.members for s in shares} == dict(units)
    assert overall == Counter(r.band for r in records)
