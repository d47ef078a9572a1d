"""An irreversible step asks first (static/common/confirm.js): publishing a competition's final board opens
a dialog; cancelling sends nothing, confirming publishes. On a phone the dialog fits the screen."""

import pytest
from sqlalchemy import select

from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.competitions.models import Competition
from drill.extensions import db
from tests.browser.test_accounts_browser import sign_in

pytestmark = pytest.mark.browser


def finished_competition(app) -> int:
    with app.app_context():
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        competition = Competition(title="确认发布演练", state="finished", created_by_id=trainer.id)
        db.session.add(competition)
        db.session.commit()
        return competition.id


def published(app, competition_id: int) -> bool:
    with app.app_context():
        return db.session.get(Competition, competition_id).published_at is not None


@pytest.mark.parametrize("device", ["page", "phone"])
def test_publishing_the_final_board_asks_first_and_cancelling_sends_nothing(
    live_server, app, request, device
):
    page = request.getfixturevalue(device)
    competition_id = finished_competition(app)
    sign_in(page, live_server, "trainer1", DEMO_PASSWORD)
    manage = f"{live_server}/competitions/{competition_id}/manage"
    page.goto(manage)

    page.click("#publish")
    dialog = page.locator("dialog.drill-confirm")
    dialog.wait_for()
    assert "确定发布最终榜单吗" in dialog.inner_text() and "不可撤销" in dialog.inner_text()
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert page.evaluate("() => document.activeElement.dataset.role") == "cancel"  # the safe choice first
    page.click("dialog.drill-confirm [data-role=cancel]")
    assert not dialog.is_visible() and page.url == manage and not published(app, competition_id)

    page.click("#publish")
    page.keyboard.press("Escape")  # Esc is a cancel too
    assert not dialog.is_visible() and not published(app, competition_id)

    page.click("#publish")
    assert page.inner_text("dialog.drill-confirm [data-role=ok]") == "发布"
    page.click("dialog.drill-confirm [data-role=ok]")
    page.wait_for_selector("text=最终榜单已发布，所有人都能看到。")
    assert published(app, competition_id) and page.locator("#publish").count() == 0
