"""In the browser: a trainer sets an exam of one question per assessment point of 中级 营销服务问答 for
banks, and the overview says how many points the theory part covers."""

from datetime import timedelta

import pytest

from drill.accounts.demo import DEMO_PASSWORD
from drill.content.services import import_paths
from drill.database import utcnow
from drill.extensions import db
from tests.browser.test_accounts_browser import sign_in
from tests.exams.test_blueprint_points_app import CONTENT, PACKS, standard_points

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),  # the development server's, see tests/browser
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_a_trainer_covers_every_point_of_a_standard_in_the_browser(app, live_server, page):
    with app.app_context():
        assert import_paths([CONTENT / "quizzes" / f"{name}.md" for name in PACKS]).ok
        db.session.commit()
    points = standard_points()
    sign_in(page, live_server, "trainer1", DEMO_PASSWORD)
    page.goto(f"{live_server}/exams/new")
    local = utcnow() + timedelta(hours=8)  # the organisation's time zone
    page.fill("#title", "中级营销服务考点全覆盖")
    page.fill("#opens_at", (local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#closes_at", (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    row = page.locator("#cells-row-1")
    assert row.get_by_label("第 1 行：部分").input_value() == "理论"  # a label, not the stored key
    row.get_by_label("第 1 行：抽题方式").select_option(label="每个考点一题")
    row.get_by_label("第 1 行：每题分值").fill("2")
    row.get_by_label("第 1 行：主题").select_option(label="营销服务问答")
    row.get_by_label("第 1 行：级别").select_option(label="中级")
    row.get_by_label("第 1 行：对象").select_option(label="银行")
    page.click("#submit")
    coverage = page.locator("#coverage")
    coverage.wait_for()
    assert f"理论：覆盖 {len(points)} 个考点" in coverage.inner_text()
    assert "银行" in page.locator("table").first.inner_text()
