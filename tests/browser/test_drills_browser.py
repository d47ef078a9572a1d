"""A manager on a phone: start a drill, answer half, reload, finish, read the results and the notebook."""

import pytest

from drill.accounts.demo import DEMO_PASSWORD
from drill.content.services import import_paths
from drill.extensions import db
from drill.paths import project_dir
from tests.browser.test_accounts_browser import sign_in
from tests.drills.conftest import PACKS

pytestmark = pytest.mark.browser


@pytest.fixture
def drill_server(app, live_server):
    with app.app_context():
        result = import_paths([PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml")
        assert result.ok
        db.session.commit()
    return live_server


def seconds_shown(page) -> int:
    minutes, seconds = page.locator("#countdown").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_a_phone_drill_survives_a_reload_and_ends_in_results_and_the_notebook(drill_server, phone):
    sign_in(phone, drill_server, "m001", DEMO_PASSWORD)
    phone.goto(f"{drill_server}/drills/")
    phone.select_option("#pack", "drill-sample")
    phone.fill("#count", "8")
    phone.fill("#minutes", "10")
    phone.click("#submit")
    phone.wait_for_selector("#countdown")

    # One question per screen: only the current one is visible.
    visible = [s for s in phone.locator("section.question").all() if s.is_visible()]
    assert len(visible) == 1

    answered = {}
    for _ in range(4):  # answer half the paper, whatever each question is
        section = phone.locator("section.question.current")
        position = section.get_attribute("data-position")
        kind = section.locator(".answer").get_attribute("data-type")
        if kind in ("single", "multiple", "truefalse"):
            section.locator("input").first.check()
        elif kind in ("blank", "numeric"):
            section.locator("input").first.fill("12")
        elif kind == "open":
            section.locator("textarea").fill("我的答案")
            section.locator("textarea").blur()
        elif kind == "ordering":
            section.locator(".confirm-order").click()
        elif kind == "matching":
            section.locator("select").first.select_option(index=1)
        phone.wait_for_function(
            "p => document.querySelector(`#q${p} .item-status`).textContent.includes('已保存')", arg=position
        )
        answered[position] = kind
        section.locator(".next").click()

    before = seconds_shown(phone)
    phone.wait_for_timeout(2200)
    phone.reload()
    phone.wait_for_selector("#countdown")
    after = seconds_shown(phone)
    assert 0 < after < before  # the server's clock went on during the reload
    assert phone.locator("#save-status").inner_text().endswith("所有答案已保存")
    for position, kind in answered.items():
        section = phone.locator(f"#q{position}")
        if kind in ("single", "multiple", "truefalse"):
            assert section.locator("input:checked").count() >= 1
        elif kind in ("blank", "numeric"):
            assert section.locator("input").first.input_value() == "12"
        elif kind == "open":
            assert section.locator("textarea").input_value() == "我的答案"

    phone.once("dialog", lambda dialog: dialog.accept())  # "some questions are not answered"
    phone.click("#submit-form button[type=submit]")
    phone.wait_for_selector("#score")
    assert phone.locator(".explanation").count() >= 7  # every question explains itself
    assert "解析秘文" in phone.content()

    phone.goto(f"{drill_server}/drills/notebook")
    assert phone.locator(".stem").count() >= 3  # the unanswered and wrong ones wait for review
