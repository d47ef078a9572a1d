"""A new admin's first minutes, and a new user on a phone, in a real Chromium."""

import pytest

from drill.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, base, employee_no, password):
    page.goto(f"{base}/login")
    page.fill("#employee_no", employee_no)
    page.fill("#password", password)
    page.click("#submit")


def test_admin_creates_a_user_who_signs_in_on_a_phone_and_switches_language(live_server, page, phone):
    sign_in(page, live_server, "admin", DEMO_PASSWORD)
    page.get_by_role("button", name="管理").click()
    page.locator("#nav").get_by_role("link", name="用户", exact=True).click()
    page.get_by_role("link", name="新建用户").click()
    page.fill("#employee_no", "m777")
    page.fill("#name", "林晓")
    page.select_option("#branch_id", label="\u3000\u3000西山支行柳林网点 (QH-XS-01)")
    page.check("input[name=roles][value=manager]")
    page.select_option("#category", "personal")
    page.select_option("#level", "junior")
    page.fill("#password", "first-pass-1")
    page.click("#submit")
    assert page.locator(".alert-success").inner_text().startswith("已创建用户 林晓")

    sign_in(phone, live_server, "m777", "first-pass-1")
    assert "欢迎，林晓" in phone.locator("h1").inner_text()
    # Nothing sticks out sideways on a 375-px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.click(".navbar-toggler")
    phone.get_by_role("button", name="English").click()
    assert "Welcome, 林晓" in phone.locator("h1").inner_text()
    phone.reload()
    assert "Welcome" in phone.locator("h1").inner_text()  # the choice is kept for the user


def test_a_manager_sees_the_forbidden_page_in_chinese(live_server, page):
    sign_in(page, live_server, "m001", DEMO_PASSWORD)
    response = page.goto(f"{live_server}/users/new")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "无权访问"
