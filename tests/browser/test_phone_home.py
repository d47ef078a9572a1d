"""On a phone (375×812 and 320×568, touch): the to-do home page, the wrong-answer notebook and the
manager's file fit the screen, and each thing to do is one tap away."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.attempts import engine
from drill.content.models import Pack
from drill.content.services import import_paths
from drill.database import utcnow
from drill.drills import services
from drill.drills.models import Assignment, AssignmentTarget
from drill.extensions import db
from drill.paths import project_dir
from tests.appraisal.world import drill, import_shipped_quizzes, versions
from tests.browser.test_accounts_browser import sign_in
from tests.drills.conftest import PACKS

pytestmark = pytest.mark.browser


@pytest.fixture
def todo_server(app, live_server):
    """m001 has an assigned drill, a notebook of wrong answers and a fortnight of drills for the file."""
    with app.app_context():
        import_shipped_quizzes()
        result = import_paths([PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml")
        assert result.ok
        recent = datetime.now(UTC).date() - timedelta(days=14)
        used = [v for v in versions() if v.competencies]
        for number in range(1, 5):
            user = db.session.scalar(select(User).where(User.employee_no == f"m{number:03d}"))
            share = 0.0 if number == 1 else 0.9
            items = [
                (v.id, v.points, v.points * (share if "ethics" in v.competencies else 0.8)) for v in used
            ]
            drill(user, recent, sum(e for *_, e in items), sum(p for _, p, _ in items), items=items)
        manager = db.session.scalar(select(User).where(User.employee_no == "m001"))
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        pack = db.session.scalar(select(Pack).where(Pack.slug == "drill-sample"))
        now = utcnow()
        assignment = Assignment(
            title="本周必练：练兵测试",
            created_by=trainer,
            pack_id=pack.id,
            question_count=5,
            time_limit_minutes=10,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=3),
        )
        assignment.targets = [AssignmentTarget(user_id=manager.id)]
        db.session.add(assignment)
        criteria = services.Criteria(pack_slug="drill-sample", count=8, minutes=10)
        attempt = services.start(manager, criteria, now, title="练习：练兵测试题库")
        # Nothing answered: every auto-scored question goes to the notebook.
        engine.close(attempt.id, now, engine.Why.SUBMITTED, grace=5)
        db.session.commit()
    return live_server


def assert_fits(page):
    """Nothing is wider than the screen: no sideways scrolling."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than the screen at {page.url}"


def test_the_home_page_lists_what_waits_and_starts_an_assigned_drill_in_one_tap(todo_server, touch_phone):
    phone = touch_phone
    sign_in(phone, todo_server, "m001", DEMO_PASSWORD)
    phone.goto(f"{todo_server}/")
    items = phone.locator("li.todo-item")
    items.first.wait_for()
    kinds = [items.nth(i).get_attribute("data-kind") for i in range(items.count())]
    assert kinds == ["assignment", "notebook"]
    assert "本周必练：练兵测试" in items.first.inner_text()
    assert phone.locator("#todo-title .badge").inner_text() == "2"  # the drill, and the notebook's review
    assert_fits(phone)
    phone.locator("button.navbar-toggler").tap()  # the menu's counts, on a phone behind the toggler
    badge = phone.locator("#nav-todo .nav-count")
    badge.wait_for()
    assert badge.inner_text() == "2"
    assert phone.locator("#nav a[href$='/drills/notebook'] .nav-count").inner_text() == "7"  # questions due
    phone.locator("button.navbar-toggler").tap()
    phone.wait_for_timeout(400)  # the menu folds away
    start = items.first.locator("button[type=submit]")
    start.scroll_into_view_if_needed()
    start.tap()
    phone.wait_for_selector("#countdown")
    assert "/drills/attempts/" in phone.url


def test_the_notebook_teaches_on_a_phone_and_practises_a_question_again(todo_server, touch_phone):
    phone = touch_phone
    sign_in(phone, todo_server, "m001", DEMO_PASSWORD)
    phone.goto(f"{todo_server}/drills/notebook")
    cards = phone.locator("section.notebook-item")
    cards.first.wait_for()
    assert cards.count() == 7
    assert phone.locator(".explanation").count() == 7  # every question explains itself
    assert phone.locator("#mastery .mastery-row").count() >= 2
    assert_fits(phone)
    again = cards.first.locator("button.again-one")
    again.scroll_into_view_if_needed()
    again.tap()
    phone.wait_for_selector("#countdown")
    assert phone.locator("section.question").count() == 1


def test_the_file_radar_fits_the_screen_with_every_series_and_label_visible(todo_server, touch_phone):
    phone = touch_phone
    sign_in(phone, todo_server, "m001", DEMO_PASSWORD)
    phone.goto(f"{todo_server}/appraisal/me")
    radar = phone.locator("svg.radar-chart")
    radar.wait_for()
    assert_fits(phone)
    box = radar.bounding_box()
    width = phone.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    for label in radar.locator("text.radar-label").all():
        text = label.bounding_box()
        assert text["x"] >= box["x"] - 0.5 and text["x"] + text["width"] <= box["x"] + box["width"] + 0.5, (
            label.inner_text()
        )
    assert radar.locator("polygon.radar-series").count() == 3
    legend = phone.locator(".radar-legend > span")
    assert legend.count() == 3 and all(legend.nth(i).is_visible() for i in range(3))
    gap = phone.locator("#gaps li.gap").first
    assert "低于 60%" in gap.inner_text()
