"""Leaderboards: weighted overall, team rules, ties, one-event updates equal to a rebuild, the freeze."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.competitions.rules.standings import (
    OVERALL,
    Boards,
    Round,
    Row,
    ScoreEvent,
    Standings,
    TeamRule,
    build,
    percent,
    ranked,
)

T0 = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)
ROUNDS = [Round("written", 30), Round("case", 40), Round("judged", 30)]
TEAMS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def event(pid, round_id, score, done=0, recorded=None):
    return ScoreEvent(pid, round_id, score, at(done), at(done if recorded is None else recorded))


SCORES = {  # written, case, judged; a3 has no case score
    "a1": (90, 80, 85),
    "a2": (70, 90, 80),
    "a3": (60, None, 70),
    "b1": (95, 75, 85),
    "b2": (80, 85, 86),
}
EVENTS = [
    event(pid, r.id, s, done=10 * i + j)
    for j, (pid, scores) in enumerate(SCORES.items())
    for i, (r, s) in enumerate(zip(ROUNDS, scores, strict=True))
    if s is not None
]


def board(rows):
    return [(row.rank, row.id, str(row.score)) for row in rows]


def test_the_overall_score_is_the_weighted_mean_of_the_round_scores():
    standings = build(TEAMS, ROUNDS, TeamRule(), EVENTS)
    # a1: (30×90 + 40×80 + 30×85) / 100 = 84.5; a3: (30×60 + 40×0 + 30×70) / 100 = 39
    assert board(standings.individual()) == [
        (1, "a1", "84.50"),
        (2, "b1", "84.00"),
        (3, "b2", "83.80"),
        (4, "a2", "81.00"),
        (5, "a3", "39.00"),
    ]
    assert board(standings.individual("written")) == [
        (1, "b1", "95.00"),
        (2, "a1", "90.00"),
        (3, "b2", "80.00"),
        (4, "a2", "70.00"),
        (5, "a3", "60.00"),
    ]
    assert board(standings.individual("case"))[-1] == (5, "a3", "0.00")
    assert percent(120, 150) == 80  # a 150-point paper is scored on 100 like the rest


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (TeamRule("mean"), [(1, "B", "83.90"), (2, "A", "68.17")]),  # A: (84.5 + 81 + 39) / 3
        (TeamRule("top", 2), [(1, "B", "83.90"), (2, "A", "82.75")]),  # A: (84.5 + 81) / 2
        (TeamRule("sum"), [(1, "A", "204.50"), (2, "B", "167.80")]),
        (TeamRule("top", 3), [(1, "A", "68.17"), (2, "B", "55.93")]),  # B has 2 members: (84 + 83.8) / 3
    ],
)
def test_the_team_score_follows_the_competitions_rule(rule, expected):
    assert board(build(TEAMS, ROUNDS, rule, EVENTS).teams()) == expected


def test_a_bad_team_rule_is_refused():
    for bad in (("top", None), ("mean", 3), ("best", None), ("top", 0)):
        with pytest.raises(ValueError):
            TeamRule(*bad)


def test_equal_scores_go_to_the_earlier_finisher_and_share_a_rank_only_when_finished_together():
    rows = ranked(
        [("p3", 80, at(5)), ("p1", 80, at(9)), ("p2", 80, at(5)), ("p4", 85, at(20)), ("p5", 0, None)]
    )
    assert [(r.rank, r.id) for r in rows] == [(1, "p4"), (2, "p2"), (2, "p3"), (4, "p1"), (5, "p5")]
    assert rows[-1] == Row(5, "p5", Decimal("0.00"), None)


def test_scores_are_compared_as_shown():
    # 80.004 and 80.001 both show as 80.00: the earlier finisher is ahead, not the invisible 0.003
    rows = ranked([("late", 80.004, at(9)), ("early", 80.001, at(1))])
    assert [(r.rank, r.id, str(r.score)) for r in rows] == [(1, "early", "80.00"), (2, "late", "80.00")]


def test_one_new_score_moves_only_what_it_touches_and_ranks_can_be_looked_up():
    standings = build(TEAMS, ROUNDS, TeamRule(), EVENTS)
    assert standings.apply(event("a3", "case", 100, done=40))  # a3: 39 + 40 = 79
    assert board(standings.individual())[3:] == [(4, "a2", "81.00"), (5, "a3", "79.00")]
    assert standings.row_of("a3") == Row(5, "a3", Decimal("79.00"), at(40))
    assert standings.row_of("A", team=True).score == Decimal("81.50")  # (84.5 + 81 + 79) / 3
    assert standings.individual(limit=2) == standings.individual()[:2]


def test_an_older_event_does_not_overwrite_a_newer_one_and_none_withdraws_a_score():
    standings = build(TEAMS, ROUNDS, TeamRule(), EVENTS)
    assert not standings.apply(event("a1", "written", 10, done=0, recorded=-5))
    assert standings.row_of("a1", "written").score == Decimal("90.00")
    assert standings.apply(event("a1", "written", None, done=0, recorded=60))  # disqualified from it
    assert standings.row_of("a1", "written") == Row(5, "a1", Decimal("0.00"), None)


def test_unknown_participants_and_rounds_are_refused():
    standings = build(TEAMS, ROUNDS, TeamRule(), [])
    with pytest.raises(ValueError, match="unknown"):
        standings.apply(event("zz", "written", 50))
    with pytest.raises(ValueError, match="unknown"):
        build(TEAMS, ROUNDS, TeamRule(), [event("a1", "final", 50)])
    with pytest.raises(ValueError, match="positive weights"):
        Standings(TEAMS, [Round("x", 0)], TeamRule())


def every_board(standings):
    keys = [r.id for r in standings.rounds] + [OVERALL]
    return {k: (standings.individual(k), standings.teams(k)) for k in keys}


@st.composite
def competitions(draw):
    n_rounds = draw(st.integers(1, 3))
    rounds = [Round(f"r{i}", draw(st.sampled_from([0.2, 0.3, 1, 30, 40]))) for i in range(n_rounds)]
    teams = {f"p{i:02}": f"t{draw(st.integers(0, 3))}" for i in range(draw(st.integers(1, 10)))}
    rule = draw(st.sampled_from([TeamRule("mean"), TeamRule("sum"), TeamRule("top", 1), TeamRule("top", 3)]))
    scores = st.one_of(st.none(), st.sampled_from([0, 50, 80, 80.004, 100]), st.floats(0, 100))
    events = draw(
        st.lists(
            st.builds(
                event,
                st.sampled_from(sorted(teams)),
                st.sampled_from([r.id for r in rounds]),
                scores,
                st.integers(0, 5),
                st.integers(0, 5),
            ),
            max_size=30,
        )
    )
    return teams, rounds, rule, events


@settings(deadline=None)
@given(competitions(), st.data())
def test_applying_events_one_by_one_equals_recomputing_from_scratch(competition, data):
    teams, rounds, rule, events = competition
    split = data.draw(st.integers(0, len(events)))
    standings = build(teams, rounds, rule, events[:split])
    for e in events[split:]:
        standings.apply(e)
    rebuilt = build(teams, rounds, rule, events)
    assert every_board(standings) == every_board(rebuilt)
    for key, (people, groups) in every_board(standings).items():
        assert [standings.row_of(r.id, key).rank for r in people] == [r.rank for r in people]
        assert [standings.row_of(r.id, key, team=True).rank for r in groups] == [r.rank for r in groups]


@settings(deadline=None)
@given(competitions(), st.integers(0, 5))
def test_the_public_board_holds_only_what_was_recorded_before_the_freeze(competition, freeze):
    teams, rounds, rule, events = competition
    boards = Boards(teams, rounds, rule, freeze_at=at(freeze), events=events[: len(events) // 2])
    for e in events[len(events) // 2 :]:
        boards.apply(e)
    frozen = build(teams, rounds, rule, [e for e in events if e.recorded_at < at(freeze)])
    assert every_board(boards.public) == every_board(frozen)
    assert every_board(boards.live) == every_board(build(teams, rounds, rule, events))
    assert boards.for_viewer(organiser=False, published=False) is boards.public
    assert boards.for_viewer(organiser=True, published=False) is boards.live
    assert boards.for_viewer(organiser=False, published=True) is boards.live


def test_after_the_freeze_the_public_board_stands_still_while_the_organisers_move():
    boards = Boards(TEAMS, ROUNDS, TeamRule(), freeze_at=at(100), events=EVENTS)
    boards.apply(event("a3", "case", 100, done=101))  # a3: 39 -> 79
    boards.apply(event("b1", "written", 0, done=5, recorded=120))  # a re-mark after the freeze
    public = boards.for_viewer(organiser=False, published=False)
    assert public.row_of("a3").score == Decimal("39.00") and public.row_of("b1").score == Decimal("84.00")
    live = boards.for_viewer(organiser=True, published=False)
    assert live.row_of("a3").score == Decimal("79.00") and live.row_of("b1").score == Decimal("55.50")
    unfrozen = Boards(TEAMS, ROUNDS, TeamRule(), events=EVENTS)
    assert unfrozen.public is unfrozen.live


def test_a_provincial_board_kept_up_score_by_score_equals_its_rebuild():
    # How fast one score is taken is measured by `python -m bench.standings_apply`, not asserted here.
    rng = random.Random(1)
    teams = {f"p{i:04}": f"t{i % 100:02}" for i in range(5000)}
    events = [event(p, r.id, rng.uniform(40, 100), done=rng.randint(0, 90)) for p in teams for r in ROUNDS]
    standings = build(teams, ROUNDS, TeamRule("top", 10), events)
    more = [
        event(f"p{rng.randrange(5000):04}", "case", rng.uniform(40, 100), done=95, recorded=100 + i)
        for i in range(300)
    ]
    for e in more:
        standings.apply(e)
    rebuilt = build(teams, ROUNDS, TeamRule("top", 10), events + more)
    assert standings.individual(limit=50) == rebuilt.individual(limit=50)
    assert standings.teams() == rebuilt.teams()


# A final (round "judged") for a1, a2 and b1 only; b2 also has a judged score (an organiser's slip).
FINALISTS = ("a1", "a2", "b1")


@pytest.mark.parametrize(
    ("rule", "teams"),
    [
        (TeamRule("mean"), [(1, "B", "85.00"), (2, "A", "82.50")]),  # A: (85 + 80) / 2; B: b1 alone
        (TeamRule("top", 2), [(1, "A", "82.50"), (2, "B", "42.50")]),  # B is short of a second finalist
        (TeamRule("sum"), [(1, "A", "165.00"), (2, "B", "85.00")]),
    ],
)
def test_a_finals_board_ranks_the_finalists_alone_and_teams_by_their_finalists(rule, teams):
    boards = Boards(TEAMS, ROUNDS, rule, events=EVENTS, finals={"judged": FINALISTS})
    final = boards.finals["judged"].live
    # b2's 86 is the best judged score, but b2 is no finalist: b1 and a1 (85, a1 finished first) lead
    assert board(final.individual("judged")) == [(1, "a1", "85.00"), (2, "b1", "85.00"), (3, "a2", "80.00")]
    assert board(final.teams("judged")) == teams
    assert board(boards.live.individual("judged"))[0] == (1, "b2", "86.00")  # the round's own board: all
    assert boards.live.individual() == build(TEAMS, ROUNDS, rule, EVENTS).individual()  # overall unchanged


def test_a_finals_board_keeps_up_and_freezes_like_the_rest():
    before = [e for e in EVENTS if e.round_id != "judged"]
    boards = Boards(TEAMS, ROUNDS, TeamRule(), freeze_at=at(100), events=before, finals={"judged": FINALISTS})
    for e in [e for e in EVENTS if e.round_id == "judged"]:
        boards.apply(e)
    boards.apply(event("a2", "judged", 99, done=101))  # after the freeze
    live, public = boards.finals["judged"].live, boards.finals["judged"].public
    assert board(live.individual("judged")) == [(1, "a2", "99.00"), (2, "a1", "85.00"), (3, "b1", "85.00")]
    assert board(public.individual("judged"))[0] == (1, "a1", "85.00")
    assert live.row_of("a2", "judged").rank == 1 and "b2" not in boards.finals["judged"].participants
    with pytest.raises(ValueError, match="one of the rounds"):
        Boards(TEAMS, ROUNDS, TeamRule(), finals={"semi": FINALISTS})


@settings(deadline=None)
@given(competitions(), st.data())
def test_a_finals_board_kept_up_equals_standings_built_over_the_finalists(competition, data):
    teams, rounds, rule, events = competition
    final = rounds[-1].id
    finalists = data.draw(st.sets(st.sampled_from(sorted(teams))))
    split = data.draw(st.integers(0, len(events)))
    boards = Boards(teams, rounds, rule, events=events[:split], finals={final: finalists})
    for e in events[split:]:
        boards.apply(e)
    among = {p: teams[p] for p in finalists}
    mine = [e for e in events if e.round_id == final and e.participant_id in among]
    assert every_board(boards.finals[final].live) == every_board(build(among, [rounds[-1]], rule, mine))
