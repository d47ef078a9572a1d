"""A participant calibrates, then scores peers' case answers; a leaderboard open on another screen updates
by itself (no reload) when the score that review completes arrives."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from drill.accounts.demo import DEMO_PASSWORD
from drill.accounts.models import User
from drill.attempts import engine
from drill.competitions import content, entries, peer, round_scores, setup
from drill.competitions.models import Competition, Round
from drill.content.models import Pack
from drill.content.services import import_paths
from drill.database import utcnow
from drill.extensions import db
from drill.paths import project_dir
from tests.browser.test_accounts_browser import sign_in
from tests.competitions.conftest import PACKS

pytestmark = pytest.mark.browser
EXPERT = {"example-1": {"idea": 50, "expr": 30}, "example-2": {"idea": 20, "expr": 20}}


@pytest.fixture
def reviewing(app, live_server):
    """A case round of m001–m004 in its reviewing stage, every review done except m001's."""
    with app.app_context():
        assert import_paths([PACKS], taxonomy_path=project_dir("content") / "taxonomy.yaml").ok
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        numbers = ["m001", "m002", "m003", "m004"]
        people = list(db.session.scalars(select(User).where(User.employee_no.in_(numbers))))
        competition = setup.create("岗位练兵擂台赛", trainer, reviews_per_entry=2, state="open")
        setup.add_participants(competition, people)
        case_pack = db.session.scalar(select(Pack).where(Pack.slug == "case-contest"))
        round_ = setup.add_round(
            competition, kind="case", title="案例分析", weight=1.0, state="open", case_pack_id=case_pack.id
        )
        now = utcnow()
        for n, participant in enumerate(setup.participants(competition), start=1):
            attempt = entries.start(round_, participant, now)
            for item in attempt.items:
                item.response = f"第{n}份答卷的分析"
            engine.close(attempt.id, now, engine.Why.SUBMITTED)
        setup.move_round(round_, "reviewing", now)
        peer.allocate(round_)
        case = content.of_round(round_)
        me = next(p for p in setup.participants(competition) if p.user.employee_no == "m001")
        authors = peer.authors(round_)
        for participant in setup.participants(competition):
            if participant.id == me.id:
                continue
            peer.calibrate(round_, participant, case, EXPERT, now)
            for allocation in peer.allocations(round_, reviewer=participant):
                peer.review(round_, participant, allocation.entry_id, case, {"idea": 48, "expr": 32}, "", now)
                entry = allocation.entry_id
                round_scores.settle_entry(round_, peer.entry(entry), authors[entry], now)
        waiting = [authors[a.entry_id].user.name for a in peer.allocations(round_, reviewer=me)]
        db.session.commit()
        return SimpleNamespace(base=live_server, competition=competition.id, round=round_.id, waiting=waiting)


def test_a_participant_calibrates_scores_peers_and_the_board_updates_live(reviewing, page, browser):
    base = reviewing.base
    hall = browser.new_page()  # the leaderboard on another screen, signed in as another participant
    sign_in(hall, base, "m002", DEMO_PASSWORD)
    hall.goto(f"{base}/competitions/{reviewing.competition}/board")
    hall.wait_for_function("() => document.getElementById('board').dataset.loaded >= '1'")
    hall.evaluate("window.stillTheSamePage = true")
    first = reviewing.waiting[0]
    row = f"#individual tr:has(td.name:text-is('{first}')) td.score"
    assert hall.locator(row).inner_text() == "0.00"

    sign_in(page, base, "m001", DEMO_PASSWORD)
    page.goto(f"{base}/competitions/{reviewing.competition}/rounds/{reviewing.round}")
    page.click("#calibrate-link")
    for field, value in {"x0_c_idea": "45", "x0_c_expr": "30", "x1_c_idea": "20", "x1_c_expr": "15"}.items():
        page.fill(f"#{field}", value)
    page.click("#submit-calibration")
    # Off by 5 + 5 = 10 of 200 marks: accuracy 95 %
    assert "95%" in page.locator("#calibration-result").inner_text()
    assert page.locator("#deviations tbody tr").count() == 4
    page.click("#to-reviews")
    page.locator(".review-link").first.click()
    assert "的分析" in page.locator("#answer").inner_text()
    assert first not in page.content()  # the entry is anonymous
    page.fill("#c_idea", "48")
    page.fill("#c_expr", "32")
    page.click("#submit-review")
    # The review settles the entry's score (the peer model refits the round): wait for the page it lands on.
    expect(page.locator(".alert-success")).to_have_count(1)

    # The reviewed entry now has its two reviews, both 80: the peer model (#15) corrects m001's a little
    # for the harshness their calibration showed, so the score is about 80. The board on the other screen
    # shows it within a poll or two, without reloading.
    hall.wait_for_function(
        """name => Array.from(document.querySelectorAll('#individual tbody tr')).some(tr =>
            tr.querySelector('.name').textContent === name
            && tr.querySelector('.score').textContent !== '0.00')""",
        arg=first,
        timeout=15_000,
    )
    assert 79 <= float(hall.locator(row).inner_text()) <= 82
    assert hall.evaluate("window.stillTheSamePage") is True
    hall.close()


@pytest.fixture
def heat_and_final(app, live_server):
    """初赛 scored for m001–m004 (90, 80, 70, 60); 决赛 for its top 2, not yet confirmed."""
    from drill.competitions import events

    with app.app_context():
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        numbers = ["m001", "m002", "m003", "m004"]
        people = {
            u.employee_no: u for u in db.session.scalars(select(User).where(User.employee_no.in_(numbers)))
        }
        competition = setup.create("岗位练兵擂台赛", trainer, state="open")
        setup.add_participants(competition, list(people.values()))
        heat = setup.add_round(competition, kind="judged", title="初赛", weight=1.0, state="closed")
        final = setup.add_round(
            competition, kind="judged", title="决赛", weight=1.0, qualify_from_id=heat.id, qualify_top_n=2
        )
        for participant in setup.participants(competition):
            score = 90 - 10 * numbers.index(participant.user.employee_no)
            events.record(heat, participant, score, completed_at=utcnow(), reason="初赛", now=utcnow())
        db.session.commit()
        return SimpleNamespace(
            base=live_server, competition=competition.id, final=final.id,
            finalists=[people["m001"].name, people["m002"].name],
        )  # fmt: skip


def test_a_finals_board_waits_for_the_finalists_then_shows_them_alone(heat_and_final, app, page):
    game = heat_and_final
    sign_in(page, game.base, "m004", DEMO_PASSWORD)  # no finalist: may watch the final
    page.goto(f"{game.base}/competitions/{game.competition}/board")
    page.wait_for_function("() => document.getElementById('board').dataset.loaded >= '1'")
    page.click(f"#round-picker [data-round='{game.final}']")
    page.wait_for_function("() => document.getElementById('board').dataset.loaded >= '2'")
    assert "初赛" in page.locator("#board-final").inner_text()
    assert page.locator("#board-tables").is_hidden()  # nobody is listed before the confirmation

    with app.app_context():
        final = db.session.get(Round, game.final)
        setup.confirm_qualifiers(final)
        db.session.commit()
    page.wait_for_function(
        """names => JSON.stringify(Array.from(document.querySelectorAll('#individual tbody .name'))
            .map(td => td.textContent).sort()) === JSON.stringify(names)""",
        arg=sorted(game.finalists),
        timeout=15_000,
    )  # within a poll or two, without reloading
    assert "2" in page.locator("#board-final").inner_text() and page.locator("#teams-final").is_visible()


def test_an_organiser_corrects_a_score_on_a_phone_without_leaving_the_list(heat_and_final, app, phone):
    """The correction form answers in place (correct.js): a correction is recorded once per tap, the page
    stays where it was, a refusal says why, and the board shows the new score."""
    from drill.competitions import events

    game, page = heat_and_final, phone
    sign_in(page, game.base, "trainer1", DEMO_PASSWORD)
    page.goto(f"{game.base}/competitions/{game.competition}/manage")
    page.evaluate("window.stillTheSamePage = true")

    def correction_form(name):
        row = page.locator("#participants ~ div table tbody tr", has_text=name)
        actions = row.locator("xpath=following-sibling::tr[1]")  # the forms' own row, the table's width
        actions.locator("summary").tap()
        form = actions.locator("form[data-json]")
        return form, form.locator("[name=fix-score]"), form.locator("[name=fix-reason]")

    form, score, reason = correction_form(game.finalists[1])
    name_cell = (
        page.locator("#participants ~ div table tbody tr", has_text=game.finalists[1]).locator("td").nth(1)
    )
    assert name_cell.bounding_box()["height"] < 40  # the name on one line, not a character a line
    score.fill("95.5")
    form.locator("button[type=submit]").tap()  # the reason is required: the phone asks for it first
    assert reason.evaluate("field => field.matches(':invalid')") is True
    reason.fill("现场复核加分")
    score.fill("105")  # so is a score from 0 to 100
    form.locator("button[type=submit]").tap()
    assert score.evaluate("field => field.matches(':invalid')") is True

    score.fill("95.5")
    form.locator("button[type=submit]").dblclick()  # a double tap records one correction
    status = form.locator("[data-role=status]")
    expect(status).to_have_text("更正已记录。")
    expect(reason).to_have_value("")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with app.app_context():
        made = events.log(db.session.get(Competition, game.competition))
        assert [(e.score, e.reason) for e in made if e.reason == "现场复核加分"] == [(95.5, "现场复核加分")]

    # The network fails on the way: the page cannot know whether it arrived, and says so.
    page.route("**/corrections", lambda route: route.abort())
    score.fill("96")
    reason.fill("再次复核")
    form.locator("button[type=submit]").tap()
    expect(status).to_have_text("网络中断：无法确认更正是否已记录。请先查看审计日志，再决定是否重试。")
    expect(reason).to_have_value("再次复核")  # kept, to send again once checked
    page.unroute("**/corrections")

    # Another organiser disqualifies the leader meanwhile: this page, not reloaded, is told so.
    with app.app_context():
        trainer = db.session.scalar(select(User).where(User.employee_no == "trainer1"))
        leader = next(
            p for p in setup.participants(db.session.get(Competition, game.competition))
            if p.user.name == game.finalists[0]
        )  # fmt: skip
        events.disqualify(leader, "代考", trainer, utcnow())
        db.session.commit()
    form, score, reason = correction_form(game.finalists[0])
    score.fill("99")
    reason.fill("复核")
    form.locator("button[type=submit]").tap()
    expect(form.locator("[data-role=status]")).to_have_text("该选手已被取消资格：其成绩保持撤销。")
    assert "text-danger" in form.locator("[data-role=status]").get_attribute("class")

    page.goto(f"{game.base}/competitions/{game.competition}/board")
    expect(page.locator("#individual tbody tr").first.locator(".name")).to_have_text(game.finalists[1])
