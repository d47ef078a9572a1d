"""A round's scores kept between requests (#14): an organiser paging through a province's round reads and
scores it once, and every change to what the scores come from, made on any node, shows on the next page of
every other node."""

import re

import pytest
from sqlalchemy import func, select

from drill import create_app
from drill.accounts.models import User
from drill.attempts.models import Attempt
from drill.competitions import setup
from drill.competitions.models import Participant, ReviewAllocation, Round, RoundChange, RoundJudge
from drill.database import utcnow
from drill.extensions import db as _db
from tests.competitions.conftest import posted_fields
from tests.competitions.test_mixed_case_app import criteria, judge, mixed  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD, IsolatedClient
from tests.querycount import counted


@pytest.fixture
def other_node(app_config):
    """A second app process on the same database, with rounds kept of its own."""
    node = create_app(app_config)
    node.test_client_class = IsolatedClient
    yield node
    with node.app_context():
        _db.session.remove()
        _db.engine.dispose()


def sign_in(node, user) -> IsolatedClient:
    client = node.test_client()
    answer = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def row_of(page: str, name: str) -> str:
    return next(r for r in page.split("<tr>") if name in r)


def test_what_one_node_changes_shows_on_the_next_page_the_other_node_keeps(db, mixed, other_node):  # noqa: F811
    game = mixed.game
    organiser = sign_in(other_node, game.trainer)
    overview = f"{mixed.base}/manage"
    first = row_of(organiser.get(overview).get_data(as_text=True), "甲选手")
    assert "等待评委" in first or "awaiting a judge" in first

    # The judges score 甲 on the first node: the second node's next page has the mixed score.
    judge(mixed, 0, "m1", 86.5)
    judge(mixed, 1, "m1", 91)
    scored = row_of(organiser.get(overview).get_data(as_text=True), "甲选手")
    assert "等待评委" not in scored and "awaiting a judge" not in scored
    detail = organiser.get(f"{mixed.base}/entries/{mixed.entries['m1']}").get_data(as_text=True)
    assert "(86.5 + 91) / 2 = 88.75" in detail

    # 甲 is renamed: the name is read afresh, the scores are still kept.
    db.session.execute(select(User).where(User.employee_no == "m1")).scalar_one().name = "甲选手新"
    db.session.commit()
    with counted(db) as statements:
        renamed = organiser.get(overview).get_data(as_text=True)
    assert "甲选手新" in renamed
    assert not any("peer_reviews" in s for s in statements)  # nothing re-read but the names

    # The organiser re-weights the round on the first node: the second node shows the new mix.
    edit = f"/competitions/{game.competition.id}/rounds/{game.round.id}/edit"
    data = posted_fields(mixed.organiser.get(edit).get_data(as_text=True))
    data.update(peer_weight="0.5", judge_weight="0.5")
    assert mixed.organiser.post(edit, data=data).status_code == 302
    detail = organiser.get(f"{mixed.base}/entries/{mixed.entries['m1']}").get_data(as_text=True)
    assert "(0.5 × " in detail and "0.5 × 88.75) / (0.5 + 0.5)" in detail

    # 乙 is disqualified on the first node: the second node's overview marks them.
    pid = game.pid["m2"]
    url = f"/competitions/{game.competition.id}/participants/{pid}/disqualify"
    assert mixed.organiser.post(url, data={"dq-reason": "代答"}).status_code == 302
    marked = row_of(organiser.get(overview).get_data(as_text=True), "乙选手")
    assert "取消资格" in marked or "disqualified" in marked


def test_an_unchanged_round_is_not_read_again(db, mixed):  # noqa: F811
    overview = f"{mixed.base}/manage"
    with counted(db) as first:
        assert mixed.organiser.get(overview).status_code == 200
    with counted(db) as second:
        assert mixed.organiser.get(overview).status_code == 200
    assert any("peer_reviews" in s for s in first)
    assert not any("peer_reviews" in s or "review_allocations" in s for s in second)
    judge(mixed, 0, "m1", 86.5)  # a judge's sheet: read again
    with counted(db) as third:
        assert mixed.organiser.get(overview).status_code == 200
    assert any("peer_reviews" in s for s in third)


def changes(round_id: int) -> int:
    return _db.session.scalar(select(func.count()).where(RoundChange.round_id == round_id))


def test_every_change_a_round_is_scored_from_is_noted_for_that_round_only(db, contest, make_user):
    game = contest(k=2)
    other = setup.add_round(game.competition, kind="case", title="第二轮", weight=1.0, state="draft")
    elsewhere = setup.create("另一场比赛", game.trainer, state="open")
    setup.add_round(elsewhere, kind="case", title="案例", weight=1.0, state="open")
    db.session.commit()
    rid, oid, eid = game.round.id, other.id, elsewhere.rounds[0].id

    def noted(change) -> tuple[int, int, int]:
        before = (changes(rid), changes(oid), changes(eid))
        change()
        db.session.commit()
        after = (changes(rid), changes(oid), changes(eid))
        return tuple(a - b for a, b in zip(after, before, strict=True))

    round_ = db.session.get(Round, rid)
    assert noted(lambda: setattr(round_, "judge_budget", 20.0)) == (1, 0, 0)
    judge_user = make_user("j1", roles={"judge"}, branch="head")
    assert noted(lambda: round_.judges.append(RoundJudge(user_id=judge_user.id))) == (1, 0, 0)
    attempt = Attempt(
        user_id=game.people[0].id, kind="competition", competition_round_id=rid, title="案例", seed=1,
        started_at=utcnow(), deadline=utcnow(),
    )  # fmt: skip
    assert noted(lambda: db.session.add(attempt)) == (1, 0, 0)
    assert noted(lambda: setattr(attempt, "state", "submitted")) == (1, 0, 0)
    reviewer = db.session.get(Participant, game.pid["m2"])
    allocation = ReviewAllocation(round_id=rid, entry_id=attempt.id, reviewer_id=reviewer.id)
    assert noted(lambda: db.session.add(allocation)) == (1, 0, 0)
    assert noted(lambda: setattr(allocation, "state", "flagged")) == (1, 0, 0)
    # A participant's change may move every round of the competition, and no other's.
    assert noted(lambda: setattr(reviewer, "disqualified_at", utcnow())) == (1, 1, 0)
    # Nothing a round is scored from: nothing noted.
    manager = db.session.get(User, game.people[0].id)
    assert noted(lambda: setattr(manager, "name", "改名")) == (0, 0, 0)
    assert noted(lambda: setattr(round_, "title", round_.title)) == (0, 0, 0)  # set, but the same


def test_participants_read_their_score_and_their_bias_from_the_round_as_kept(db, mixed):  # noqa: F811
    """5,000 participants opening their round page after it closes must not each read and fit the round."""
    judge(mixed, 0, "m1", 86.5)
    judge(mixed, 1, "m1", 91)
    organiser = mixed.organiser.get(f"{mixed.base}/entries/{mixed.entries['m1']}").get_data(as_text=True)
    mine = mixed.clients["m1"]
    for url in (mixed.base, f"{mixed.base}/calibrate"):
        with counted(db) as statements:
            page = mine.get(url).get_data(as_text=True)
        assert not any("peer_reviews" in s for s in statements), url
    mix = re.search(r'class="mix">([^<]*)<', organiser).group(1)
    assert mix in mine.get(mixed.base).get_data(as_text=True)  # the score as the organiser sees it
    assert 'id="my-bias"' in page  # what the model makes of me as a reviewer
