"""A manager on a phone: start a drill, answer half, reload, finish, read the results and the notebook."""

import re

import pytest
from playwright.sync_api import expect

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
    # The status is written by the page's script once it has looked at what is saved: wait for it.
    expect(phone.locator("#save-status")).to_have_text(re.compile("所有答案已保存$"))
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


def test_an_assigned_drill_with_a_fixed_paper_gives_two_managers_the_same_points(
    app, drill_server, browser, page, phone
):
    """A trainer assigns a drill (a fixed paper is the default); two managers each start it from their
    to-do and submit: their totals are out of the same points, and the report shows both and a chart."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from drill.accounts.models import Branch

    with app.app_context():
        head = db.session.scalars(select(Branch).where(Branch.code == "QH")).one().id
    local = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0, tzinfo=None)
    sign_in(page, drill_server, "trainer1", DEMO_PASSWORD)
    page.goto(f"{drill_server}/drills/assignments/new")
    assert page.locator("#fixed_paper").is_checked()
    page.fill("#title", "本周同卷练兵")
    page.select_option("#pack", label="练兵测试题库")
    page.fill("#count", "5")
    page.fill("#opens_at", (local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#closes_at", (local + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#branches", value=str(head))
    page.click("#submit")
    page.wait_for_selector("#paper-kind")
    assert "所有人作答同样的 5 道题" in page.locator("#paper-kind").inner_text()

    totals = []
    second = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, locale="zh-CN")
    try:
        for manager, screen in (("m001", phone), ("m002", second.new_page())):
            screen.set_default_timeout(10_000)
            sign_in(screen, drill_server, manager, DEMO_PASSWORD)
            screen.goto(f"{drill_server}/")
            item = screen.locator(".todo-item[data-kind=assignment]", has_text="本周同卷练兵")
            item.get_by_role("button", name="开始").click()
            screen.wait_for_selector("#countdown")
            screen.once("dialog", lambda dialog: dialog.accept())  # nothing answered: submit anyway
            screen.click("#submit-form button[type=submit]")
            screen.wait_for_selector("#score")
            totals.append(screen.locator("#score small").inner_text())
    finally:
        second.close()
    assert totals[0] == totals[1] and totals[0].startswith("/ ")

    page.goto(page.url)
    assert page.locator("#people tr[data-status=done]").count() == 2
    assert page.locator("svg.bar-chart").count() == 1
