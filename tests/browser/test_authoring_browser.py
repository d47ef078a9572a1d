"""A trainer uploads a pack with an error, finds it at its line, fixes it in the editor, previews it, reads
the diff and publishes; a manager drills the new pack at once."""

import pytest

from drill.accounts.demo import DEMO_PASSWORD
from tests.authoring.conftest import BAD_LINE, BROKEN, PACK
from tests.browser.test_accounts_browser import sign_in

pytestmark = pytest.mark.browser


def test_a_trainer_fixes_checks_previews_and_publishes_a_pack_that_a_manager_drills(
    live_server, page, browser, tmp_path
):
    sign_in(page, live_server, "trainer1", DEMO_PASSWORD)
    broken = tmp_path / "auth-demo.md"
    broken.write_text(BROKEN, encoding="utf-8")
    page.goto(f"{live_server}/authoring/upload")
    page.set_input_files("#file", str(broken))
    page.click("form[enctype] [type=submit]")

    # The problem is listed with its line, written out below that line in the editor, and a click selects it.
    page.wait_for_selector("#draft-check")
    jump = page.locator(f'#draft-check a.jump[data-line="{BAD_LINE}"]')
    assert "分直" in page.locator("#draft-check .problem").first.inner_text()
    noted = page.locator(".cm-content .cm-line.drill-line-error")
    noted.wait_for()
    assert "分直" in noted.get_attribute("data-notes")
    jump.click()
    assert page.evaluate("() => document.getSelection().toString()") == "类型: 判断 | 分直: 1"
    assert page.locator("#publish-link.disabled").count() == 1

    # Fix it in the editor: the text is saved as it is typed, so a reload loses nothing; then check again.
    page.locator(".cm-content").fill(PACK)
    page.wait_for_selector("#autosave-status[data-state=saved]")
    page.reload()
    assert page.input_value("#text") == PACK
    page.click("#draft-form [type=submit]")
    page.wait_for_selector("#draft-check .alert-success")
    assert page.locator("#draft-check .problem").count() == 0

    # Preview as a manager (no answers), then as a reviewer (answers and explanations).
    page.click("#preview-link")
    page.wait_for_selector("#preview[data-mode=manager]")
    assert "贷前调查首先核实什么？" in page.inner_text("#preview")
    assert "核心秘诀" not in page.content()
    page.click("#preview-modes li:nth-child(2) a")
    page.wait_for_selector("#preview[data-mode=reviewer]")
    assert "真实性是贷前调查的核心秘诀" in page.inner_text("#preview")

    # The diff first, then publish.
    page.goto(page.url.split("/preview")[0] + "/publish")
    page.wait_for_selector("#diff-summary[data-status=added]")
    assert "auth-003" in page.inner_text(".diff-added")
    page.click("#publish-button")
    page.wait_for_selector("#pack-auth-demo")
    assert "v1" in page.inner_text("#pack-auth-demo")

    # A manager can drill it straight away.
    context = browser.new_context(locale="zh-CN")
    manager = context.new_page()
    manager.set_default_timeout(10_000)
    sign_in(manager, live_server, "m001", DEMO_PASSWORD)
    manager.goto(f"{live_server}/drills/")
    manager.select_option("#pack", "auth-demo")
    manager.fill("#count", "3")
    manager.fill("#minutes", "5")
    manager.click("#submit")
    manager.wait_for_selector("#countdown")
    assert "贷前调查首先核实什么？" in manager.content()
    context.close()


def upload_pack(page, live_server, tmp_path, text=PACK):
    source = tmp_path / "auth-demo.md"
    source.write_text(text, encoding="utf-8")
    page.goto(f"{live_server}/authoring/upload")
    page.set_input_files("#file", str(source))
    page.click("form[enctype] [type=submit]")
    page.wait_for_selector(".cm-content")


def edit_meta_line(page, old: str, new: str):
    """Put the cursor after `old` on the meta line of auth-002 and type `new` in its place, key by key."""
    line = page.locator(".cm-line", has_text="类型: 判断 | 分")
    line.click()
    page.keyboard.press("End")
    for _ in range(3):  # ": 1"
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Backspace")
    assert old  # the character removed
    page.keyboard.type(new)


def test_typing_an_error_shows_it_beside_its_line_within_a_second_and_fixing_it_clears_it(
    live_server, page, tmp_path
):
    sign_in(page, live_server, "trainer1", DEMO_PASSWORD)
    upload_pack(page, live_server, tmp_path)
    page.wait_for_selector("#live-status[data-state=ok]")
    assert "通过" in page.inner_text("#live-status")

    edit_meta_line(page, "值", "直")
    # From the last key on, the status no longer says the check passes, and within a second the error is
    # beside its line, in the list under the editor, and in the status line.
    assert "通过" not in page.inner_text("#live-status")
    page.wait_for_selector("#live-status[data-state=errors]", timeout=1000)
    noted = page.locator(".cm-content .cm-line.drill-line-error")  # the note is written below its line
    assert noted.inner_text() == "类型: 判断 | 分直: 1" and "分直" in noted.get_attribute("data-notes")
    assert "通过" not in page.inner_text("#live-status")
    assert page.locator(".cm-gutter-lint .cm-lint-marker-error").count() == 1
    assert f"第 {BAD_LINE} 行" in page.inner_text("#draft-check")
    assert page.locator("#publish-link.disabled").count() == 1

    edit_meta_line(page, "直", "值")
    page.wait_for_selector("#live-status[data-state=ok]", timeout=1000)
    assert page.locator(".cm-content .cm-line[data-notes]").count() == 0
    assert page.locator("#publish-link.disabled").count() == 0
    # Nothing of this was saved by the check; autosave keeps the text as typed.
    page.wait_for_selector("#autosave-status[data-state=saved]")
    page.reload()
    assert page.input_value("#text") == PACK


def test_the_editor_wraps_long_lines_and_keeps_its_save_button_in_view_on_a_phone(
    live_server, touch_phone, tmp_path
):
    page = touch_phone
    sign_in(page, live_server, "trainer1", DEMO_PASSWORD)
    long_line = "贷后管理要求定期走访借款人，核实经营状况、资金用途与担保物状态，" * 8
    upload_pack(page, live_server, tmp_path, PACK.replace("演示题库的简介。", long_line))
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    line = page.locator(".cm-line", has_text="贷后管理要求定期走访")
    assert line.bounding_box()["width"] <= width and line.bounding_box()["height"] > 60  # wrapped
    page.evaluate("() => window.scrollTo(0, document.querySelector('.drill-editor').offsetTop + 400)")
    bar = page.locator("#editor-bar").bounding_box()
    assert -1 <= bar["y"] <= 5  # sticky: the save button stays on screen
    assert page.locator("#draft-form [type=submit]").is_visible()
