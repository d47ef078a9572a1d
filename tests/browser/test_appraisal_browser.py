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


@pytest.fixture
def rating_server(app, live_server):
    """The demo organisation with an open tobacco month to rate (four items on 1–5)."""
    from drill.appraisal import services
    from tests.appraisal.world import scheme_file

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.employee_no == "admin"))
        period = services.create_period(scheme_file("tobacco-manager"), "monthly", 2024, 5, admin)
        db.session.commit()
        period_id = period.id
    return live_server, period_id


def saved_ratings(app, period_id):
    from drill.appraisal.models import Rating

    with app.app_context():
        found = db.session.execute(
            select(User.employee_no, Rating)
            .join(User, User.id == Rating.user_id)
            .where(Rating.period_id == period_id)
        ).all()
        return {(no, r.item_key): (r.value, r.comment) for no, r in found}


def test_an_admin_enters_a_months_ratings_through_the_grid_with_the_keyboard(app, rating_server, page):
    base, period_id = rating_server
    sign_in(page, base, "admin", DEMO_PASSWORD)
    page.goto(f"{base}/appraisal/periods/{period_id}/ratings")
    page.click("#open-grid")
    marks = page.locator("input.grid-mark")
    rows = page.locator("#grid tbody tr").count()
    assert rows >= 2 and marks.count() == rows * 4
    first = marks.nth(0)
    first.click()
    page.keyboard.type("4x")  # letters are not taken
    assert first.input_value() == "4"
    page.keyboard.press("Enter")  # down to the same item of the next manager
    assert page.evaluate("document.activeElement.name") == marks.nth(4).get_attribute("name")
    for index in range(1, marks.count()):
        marks.nth(index).fill("3")
    marks.nth(1).fill("5")  # a top mark without a comment
    page.click("#grid-save")
    problems = page.locator("#grid-problems")
    problems.wait_for()
    assert "执行能力" in problems.inner_text() and page.locator(".grid-error").count() == 1
    assert saved_ratings(app, period_id) == {}
    assert marks.nth(1).input_value() == "5"  # what was typed stays
    page.locator("input.grid-comment").nth(1).fill("本月走访 120 户，超额完成")
    page.click("#grid-save")
    page.wait_for_selector(".alert-success")
    saved = saved_ratings(app, period_id)
    assert len(saved) == rows * 4
    first_no = page.locator("#grid tbody tr").first.get_attribute("data-employee")
    assert saved[(first_no, "action")] == (5.0, "本月走访 120 户，超额完成")
    assert saved[(first_no, "thinking")] == (4.0, "")


def test_an_admin_downloads_the_grid_fills_it_in_and_uploads_it(app, rating_server, page, tmp_path):
    from openpyxl import load_workbook

    base, period_id = rating_server
    sign_in(page, base, "admin", DEMO_PASSWORD)
    page.goto(f"{base}/appraisal/periods/{period_id}/grid")
    with page.expect_download() as download:
        page.click("#grid-download")
    path = tmp_path / "grid.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["工号", "姓名", "思维能力", "思维能力评语"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row[2::2]:
            cell.value = 4
    sheet.cell(2, 3).value = 1  # the bottom band: needs a comment
    book.save(path)
    page.set_input_files("#sheet", str(path))
    page.click("#grid-upload [type=submit]")
    page.locator("#grid-problems").wait_for()
    assert "第 2 行" in page.locator("#grid-problems").inner_text()
    assert saved_ratings(app, period_id) == {}
    sheet.cell(2, 4).value = "连续两周未录入拜访记录"
    book.save(path)
    page.set_input_files("#sheet", str(path))
    page.click("#grid-upload [type=submit]")
    page.wait_for_selector(".alert-success")
    saved = saved_ratings(app, period_id)
    assert len(saved) == (sheet.max_row - 1) * 4
    assert saved[(sheet.cell(2, 1).value, "thinking")] == (1.0, "连续两周未录入拜访记录")
    assert page.locator("input.grid-mark").first.input_value() == "1"


def test_the_rating_grid_page_fits_a_phone(app, rating_server, touch_phone):
    base, period_id = rating_server
    sign_in(touch_phone, base, "admin", DEMO_PASSWORD)
    touch_phone.goto(f"{base}/appraisal/periods/{period_id}/grid")
    width = touch_phone.evaluate("window.innerWidth")
    assert (
        touch_phone.evaluate("document.documentElement.scrollWidth") <= width
    )  # the grid scrolls in its box


def test_a_record_fits_a_phone_with_its_trail_stacked(app, rating_server, touch_phone):
    from drill.appraisal import entry, evidence, services
    from drill.appraisal.models import Period, Record
    from tests.appraisal.test_sheets_app import VALUES
    from tests.appraisal.world import labels_of, rate_all, run_period, sheet_csv

    base, period_id = rating_server
    with app.app_context():
        period = db.session.get(Period, period_id)
        admin = db.session.scalar(select(User).where(User.employee_no == "admin"))
        labels = labels_of("tobacco-manager")
        people = list(evidence.managers_for(services.scheme_of(period)))
        rows = {u.employee_no: {labels[k]: v for k, v in VALUES.items()} for u in people}
        now = datetime(2024, 6, 3, 2, tzinfo=UTC)
        entry.import_indicators(period, "may.csv", sheet_csv(list(labels.values()), rows), admin, now)
        for user in people:
            rate_all(
                period, user, {"thinking": 4, "action": 3, "management_ability": 4, "attitude": 3}, admin
            )
        run_period(admin, period, now)
        record_id = db.session.scalar(select(Record.id).where(Record.period_id == period_id).limit(1))
    sign_in(touch_phone, base, "admin", DEMO_PASSWORD)
    touch_phone.goto(f"{base}/appraisal/records/{record_id}")
    trail = touch_phone.locator("#trail")
    trail.wait_for()
    width = touch_phone.evaluate("window.innerWidth")
    assert touch_phone.evaluate("document.documentElement.scrollWidth") <= width
    assert (
        touch_phone.evaluate("document.querySelector('#trail td').getBoundingClientRect().width")
        > width * 0.8
    )
    assert "指标表第" in trail.inner_text() and "完成率" in trail.inner_text()
    touch_phone.goto(f"{base}/appraisal/periods/{period_id}")
    touch_phone.locator("#records").wait_for()
    # the score table stacks its rows: it needs no sideways scroll
    assert touch_phone.evaluate("document.querySelector('#records').scrollWidth") <= width
