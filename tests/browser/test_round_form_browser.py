"""The round form shows only the settings of the chosen kind: no peers, judges or case for a written round,
no paper for a case round; switching the kind in the browser switches the settings shown."""

import pytest
from sqlalchemy import select

from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.competitions import setup
from drill.extensions import db
from tests.browser.test_accounts_browser import sign_in

pytestmark = pytest.mark.browser


def test_the_round_form_shows_the_settings_of_the_chosen_kind(app, live_server, page):
    with app.app_context():
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        competition_id = setup.create("岗位练兵擂台赛", trainer).id
        db.session.commit()
    sign_in(page, live_server, "trainer1", DEMO_PASSWORD)
    page.goto(f"{live_server}/competitions/{competition_id}/rounds/new")
    written, scoring = page.locator("#written-settings"), page.locator("#scoring-settings")

    page.select_option("#kind", "written")
    assert written.is_visible() and not scoring.is_visible()
    assert not page.locator("#peer_weight").is_visible() and not page.locator("#judges").is_visible()

    page.select_option("#kind", "case")
    assert not written.is_visible() and scoring.is_visible()
    assert page.locator("#peer_weight").is_visible() and page.locator("#judges").is_visible()
    assert not page.locator("#rubric_pack").is_visible()  # a case round is scored on its case's rubric

    page.select_option("#kind", "judged")
    assert page.locator("#rubric_pack").is_visible() and page.locator("#judges").is_visible()
    assert not page.locator("#peer_weight").is_visible()
    assert not page.locator("#review_closes_at").is_visible()
    assert not page.locator("#time_limit_minutes").is_visible()  # judges score a live presentation
