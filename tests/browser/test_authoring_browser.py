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

    # The problem is listed with its line, marked in the gutter, and a click selects that line.
    page.wait_for_selector("#draft-check")
    jump = page.locator(f'#draft-check a.jump[data-line="{BAD_LINE}"]')
    assert "分直" in page.locator("#draft-check .problem").first.inner_text()
    assert page.locator(f"#draft-gutter span.bad:text-is('{BAD_LINE}')").count() == 1
    assert "分直" in page.locator(f"#L{BAD_LINE}").inner_text()
    jump.click()
    selected = page.evaluate("() => { const t = document.getElementById('text');"
                             " return t.value.slice(t.selectionStart, t.selectionEnd); }")  # fmt: skip
    assert selected == "类型: 判断 | 分直: 1"
    assert page.locator("#publish-link.disabled").count() == 1

    # Fix it in the editor: the text is saved as it is typed, so a reload loses nothing; then check again.
    page.fill("#text", PACK)
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
