"""A manager opens their file (档案), sees the competency radar and a drill recommended for their gap, and
starts it at once."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.extensions import db
from tests.appraisal.world import drill, import_shipped_quizzes, versions
from tests.browser.test_accounts_browser import sign_in

pytestmark = pytest.mark.browser
WEAK = "ethics"


@pytest.fixture
def file_server(app, live_server):
    """The demo organisation with the shipped question banks and a fortnight of drills: m001 keeps
    missing the ethics questions the others get right."""
    with app.app_context():
        import_shipped_quizzes()
        recent = datetime.now(UTC).date() - timedelta(days=14)
        used = [v for v in versions() if v.competencies]
        for number in range(1, 9):
            user = db.session.scalar(select(User).where(User.employee_no == f"m{number:03d}"))
            share = 0.2 if number == 1 else 0.9
            items = [(v.id, v.points, v.points * (share if WEAK in v.competencies else 0.8)) for v in used]
            drill(user, recent, sum(e for *_, e in items), sum(p for _, p, _ in items), items=items)
        db.session.commit()
    return live_server


def test_a_manager_opens_the_file_sees_the_radar_and_starts_the_recommended_drill(file_server, page):
    sign_in(page, file_server, "m001", DEMO_PASSWORD)
    page.goto(f"{file_server}/appraisal/me")
    radar = page.locator("svg.radar-chart")
    radar.wait_for()
    assert radar.locator("polygon").count() >= 4 + 3  # the rings, then me, my branch, the organisation
    gap = page.locator("#gaps li.gap").first
    assert "职业道德与保密" in gap.inner_text()
    recommended = gap.locator("li.recommended").first
    assert recommended.locator("button.start-recommended").is_visible()
    recommended.locator("button.start-recommended").click()
    page.wait_for_selector("#countdown")
    assert "/drills/attempts/" in page.url
