"""A case round scored by peers and judges together (peer weight 0.6, judge weight 0.4), through the web.

Four participants (甲乙 of 东城, 丙丁 of 西山), k = 2 reviews an entry; everyone calibrates exactly on the
examples (weight 1.00). Two head-office judges, 评委一 and 评委二, are assigned to every entry. Both tasks
are open (60 + 40 points), so the round score is the rubric total that counts.

甲's entry: its two reviewers give 74 and 83 → the peer score P from the model (`peer_model`: criterion
            by criterion, the reviews with the round's average of about 70 at weight 1; since #15 no longer
            the plain mean 78.50), shown as formulas that recompute to it
            the judges give 86.5 and 91     → judges' score (86.5 + 91) / 2 = 88.75
            round score (0.6 × P + 0.4 × 88.75) / (0.6 + 0.4), to two decimals
  re-weighted 0.5 : 0.5 while reviewing:  (0.5 × P + 0.5 × 88.75) / 1.0
乙's entry: reviewers give 70 and 70; 评委一 gives 80, 评委二 nothing yet: no round score, not
            (0.6 × P + 0.4 × 0) nor the peers' score alone — it waits, flagged "awaiting a judge",
            even once the round is closed. When 评委二 gives 84: judges (80 + 84) / 2 = 82.00, and
            (0.6 × P + 0.4 × 82.00) / 1.0
Everyone else's entry gets 70 from each reviewer. With four entries the judge budget of 10% sends none
to the judges alone (0.4 rounds to 0).
"""

import re
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from drill.competitions import events
from drill.competitions.models import JudgeScore, ReviewAllocation, Round
from drill.competitions.rules.judging import two_decimals
from tests.competitions.conftest import competition_form, competition_id, posted_fields, round_form
from tests.competitions.test_peer_app import CALIBRATED, everyone_hands_in


def criteria(total: float) -> dict:
    """A rubric total as criterion scores (idea of 60, expression of 40)."""
    idea = min(60.0, round(total * 0.6, 1))
    return {"c_idea": idea, "c_expr": round(total - idea, 1), "comment": ""}


@pytest.fixture
def mixed(db, contest, signed_in, make_user):
    """The round after everyone handed in, calibrated and reviewed (甲: 74 and 83; others 70 each)."""
    judges = [make_user(f"j{i}", roles={"judge"}, branch="head", name=f"评委{'一二'[i - 1]}") for i in (1, 2)]
    game = contest(k=2, judges=judges, peer_weight=0.6, judge_weight=0.4)
    clients, entries, organiser = everyone_hands_in(game, db, signed_in)
    base = f"/competitions/{game.competition.id}/rounds/{game.round.id}"
    given = {}  # allocation id -> the total its reviewer gives
    for entry_id in entries.values():
        allocated = db.session.scalars(
            select(ReviewAllocation)
            .where(ReviewAllocation.entry_id == entry_id)
            .order_by(ReviewAllocation.id)
        ).all()
        totals = (74, 83) if entry_id == entries["m1"] else (70, 70)
        given |= {a.id: total for a, total in zip(allocated, totals, strict=True)}
    for no, client in clients.items():
        assert client.post(f"{base}/calibrate", data=CALIBRATED).status_code == 302
        mine = db.session.scalars(
            select(ReviewAllocation).where(ReviewAllocation.reviewer_id == game.pid[no])
        )
        for a in mine:
            saved = client.post(f"{base}/reviews/{a.entry_id}", data=criteria(given[a.id]))
            assert saved.status_code == 302
    return SimpleNamespace(
        game=game, base=base, entries=entries, clients=clients, organiser=organiser,
        judges=[signed_in(j) for j in judges],
    )  # fmt: skip


def peer_score(page: str) -> Decimal:
    """The peer score an explanation shows, checking that each criterion's formula and their sum
    recompute exactly to what is shown."""
    parts = []
    for formula in re.findall(r'class="formula">([^<]*)<', page):
        top, bottom, shown = re.fullmatch(r"\((.*)\) / \((.*)\) = (.*)", formula).groups()
        num = sum(Fraction(a) * Fraction(b) for a, b in (t.split(" × ") for t in top.split(" + ")))
        den = sum(Fraction(w) for w in bottom.split(" + "))
        assert two_decimals(num / den) == Decimal(shown), formula
        parts.append(Decimal(shown))
    (total,) = re.findall(r'class="total-formula">([^<]*)<', page)
    assert total == " + ".join(map(str, parts)) + f" = {sum(parts)}"
    return sum(parts)


def mix(wp: str, p: Decimal, wj: str, j: str) -> Decimal:
    return two_decimals(
        (Fraction(wp) * Fraction(p) + Fraction(wj) * Fraction(j)) / (Fraction(wp) + Fraction(wj))
    )


def judge(m, judge_no, participant_no, total):
    url = f"{m.base}/judge/{m.game.pid[participant_no]}"
    assert m.judges[judge_no].post(url, data=criteria(total)).status_code == 302


def test_the_round_score_is_the_weighted_mix_of_peers_and_judges_and_the_page_shows_both(db, mixed):
    rid, pid = mixed.game.round.id, mixed.game.pid["m1"]
    assert events.current(rid, pid) is None  # reviewed, but the judges have not scored yet
    judge(mixed, 0, "m1", 86.5)
    judge(mixed, 1, "m1", 91)
    shown = mixed.organiser.get(f"{mixed.base}/entries/{mixed.entries['m1']}").get_data(as_text=True)
    p = peer_score(shown)
    assert Decimal("74") < p < Decimal("83")  # between the two reviews, pulled toward the round's ~70
    expected = mix("0.6", p, "0.4", "88.75")
    assert events.current(rid, pid).score == float(expected)

    # How the score was reached, for the organiser and for 甲: the peers, the judges, and the mix.
    for page in (shown, mixed.clients["m1"].get(mixed.base).get_data(as_text=True)):
        assert peer_score(page) == p
        assert re.findall(r'class="judges-formula">([^<]*)<', page) == ["(86.5 + 91) / 2 = 88.75"]
        assert re.findall(r'class="mix">([^<]*)<', page) == [
            f"(0.6 × {p} + 0.4 × 88.75) / (0.6 + 0.4) = {expected}"
        ]
        assert f"{expected}" in re.search(r'class="fw-semibold round-score">([^<]*)<', page).group(1)

    # The organiser re-weights peers and judges 0.5 : 0.5 through the round's form: the round is rescored.
    edit = f"/competitions/{mixed.game.competition.id}/rounds/{rid}/edit"
    data = posted_fields(mixed.organiser.get(edit).get_data(as_text=True))
    data.update(peer_weight="0.5", judge_weight="0.5")
    assert mixed.organiser.post(edit, data=data).status_code == 302
    again = mix("0.5", p, "0.5", "88.75")
    assert events.current(rid, pid).score == float(again)
    board = mixed.organiser.get(f"/competitions/{mixed.game.competition.id}/board.json").get_json()
    assert {"name": "甲选手", "score": str(again)}.items() <= board["individual"][0].items()


def test_an_entry_missing_a_judges_score_waits_for_it_and_never_counts_it_as_0(db, mixed):
    rid, pid = mixed.game.round.id, mixed.game.pid["m2"]
    judge(mixed, 0, "m2", 80)
    assert events.current(rid, pid) is None  # neither 42 nor the peers' 70 alone
    overview = mixed.organiser.get(f"{mixed.base}/manage").get_data(as_text=True)
    row = next(r for r in overview.split("<tr>") if "乙选手" in r)
    assert "等待评委" in row or "awaiting a judge" in row  # flagged for the organiser
    mine = mixed.clients["m2"].get(mixed.base).get_data(as_text=True)
    assert 'id="awaiting-judge"' in mine and "round-score" not in mine

    assert mixed.organiser.post(f"{mixed.base}/state/closed").status_code == 302
    assert events.current(rid, pid) is None  # closing the round does not settle it without the judge
    judge(mixed, 1, "m2", 84)
    p = peer_score(mixed.organiser.get(f"{mixed.base}/entries/{mixed.entries['m2']}").get_data(as_text=True))
    assert events.current(rid, pid).score == float(mix("0.6", p, "0.4", "82.00"))


def test_a_judge_scores_a_case_entry_only_once_it_is_handed_in(db, contest, signed_in, make_user):
    judge_user = make_user("j1", roles={"judge"}, branch="head", name="评委一")
    game = contest(k=2, judges=[judge_user], peer_weight=0.6, judge_weight=0.4)
    author = signed_in(game.people[0])
    author.post(f"/competitions/{game.competition.id}/rounds/{game.round.id}/start")  # writing, not handed in
    url = f"/competitions/{game.competition.id}/rounds/{game.round.id}/judge/{game.pid['m1']}"
    judging = signed_in(judge_user)
    page = judging.post(url, data=criteria(80))
    assert page.status_code == 200 and 'id="judge-form"' not in page.get_data(as_text=True)
    assert db.session.scalar(select(JudgeScore.id)) is None
    queue = judging.get(f"/competitions/{game.competition.id}/judging").get_data(as_text=True)
    assert f"/judge/{game.pid['m1']}" not in queue


def test_a_case_round_weighing_judges_needs_judges(db, org, make_user, signed_in, case_pack):
    organiser = signed_in(make_user("t01", roles={"trainer"}, branch="head"))
    cid = competition_id(organiser.post("/competitions/new", data=competition_form()))
    form = round_form("case", "案例", 1, case_pack=case_pack.id, peer_weight="0.6", judge_weight="0.4")
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 200  # refused
    assert db.session.scalar(select(Round.id)) is None
    judge_user = make_user("j1", roles={"judge"}, branch="head")
    form["judges"] = [judge_user.id]
    assert organiser.post(f"/competitions/{cid}/rounds/new", data=form).status_code == 302
