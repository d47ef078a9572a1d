"""The first `make run`: a migrated empty database, the shipped content, `drill demo --if-empty` — and then
every role finds real history on its first screens. Seeding again with --if-empty changes nothing."""

import re
from html import unescape

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from drill import create_app
from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.attempts.models import Attempt
from drill.competitions.models import Competition
from drill.drills.models import Assignment
from drill.exams.models import Certificate, Exam
from drill.extensions import db as _db
from drill.paths import project_dir
from tests.conftest import IsolatedClient


@pytest.fixture
def demo_app(app_config):
    """An app on a database built as `make run` builds it: migrations, the shipped content, the demo."""
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade(directory=str(project_dir("migrations")))
    runner = app.test_cli_runner()
    imported = runner.invoke(args=["import", "content"])
    assert imported.exit_code == 0, imported.output
    seeded = runner.invoke(args=["demo", "--if-empty"])
    assert seeded.exit_code == 0, seeded.output
    assert "drill-demo" in seeded.output and "m001" in seeded.output
    assert "skipped" not in seeded.output, seeded.output  # every step of the demo ran
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def signed_in(app, employee_no):
    client = app.test_client()
    response = client.post("/login", data={"employee_no": employee_no, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{employee_no} cannot sign in"
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def counts():
    tables = _db.metadata.sorted_tables
    return {t.name: _db.session.scalar(select(func.count()).select_from(t)) for t in tables}


@pytest.mark.empty_database  # built by the migrations, as `make run` builds it
def test_the_demo_gives_every_role_a_lived_in_first_screen(demo_app):
    manager, trainer, admin = (signed_in(demo_app, no) for no in ("m001", "trainer1", "admin"))

    # The manager's home: an assigned drill they were reminded of, and peer reviews to give.
    home = page(manager, "/")
    assert "本月服务规范与消费者权益保护测验" in home and "催办" in home and "互评" in home
    # Their history: a quarter of practice; mistakes in the notebook.
    history = page(manager, "/drills/history")
    assert history.count("练习：") >= 10
    notebook = page(manager, "/drills/notebook")
    assert "错题" in notebook and "暂无" not in notebook

    with demo_app.app_context():
        assignment = _db.session.scalar(select(Assignment))
        exam = _db.session.scalar(select(Exam))
        competition = _db.session.scalar(select(Competition))
        certificate = _db.session.scalar(
            select(Certificate).join(Certificate.user).where(User.employee_no == "m001")
        )
        days = {
            a.started_at.date()
            for a in _db.session.scalars(select(Attempt).where(Attempt.kind == "practice"))
        }
    assert len(days) > 60  # spread over the quarter, not one afternoon

    # The assignment's report: some done, some started, some not started yet.
    report = page(trainer, f"/drills/assignments/{assignment.id}")
    statuses = re.findall(r'data-status="(\w+)"', report)
    assert {"done", "in_progress", "not_started"} <= set(statuses), statuses

    # The exam: released, with item analysis and certificates a holder can open.
    overview = page(trainer, f"/exams/{exam.id}/overview")
    assert "客户经理中级技能等级考评" in overview
    analysis = page(trainer, f"/exams/{exam.id}/analysis")
    assert "区分度" in analysis
    assert certificate is not None, "m001, the README's manager, passed and holds a certificate"
    assert "未通过" not in page(manager, f"/exams/{exam.id}/result")
    assert certificate.number in page(manager, f"/exams/certificates/{certificate.number}")

    # The competition: the hall's board is frozen, with scores on it.
    board_page = page(manager, f"/competitions/{competition.id}/board")
    board = manager.get(unescape(re.search(r'data-url="([^"]+)"', board_page).group(1))).get_json()
    assert board["mode"] == "frozen"
    assert board["individual"] and all(row["score"] for row in board["individual"])

    # Appraisal: last quarter computed (and published), this quarter open, a level change to decide.
    periods = page(admin, "/appraisal/")
    assert len(set(re.findall(r"\d{4}-Q\d", periods))) == 2 and "已发布" in periods
    levels = page(admin, "/appraisal/levels")
    assert "待审批" in levels and len(re.findall(r'action="/appraisal/levels/\d+/decide"', levels)) == 2

    # Seeding again, as every later `make run` does, changes nothing.
    with demo_app.app_context():
        before = counts()
    again = demo_app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "demo not seeded" in again.output
    with demo_app.app_context():
        assert counts() == before
