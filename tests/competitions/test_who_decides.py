"""Who may decide a disputed entry of a peer-only case round: its organisers and its panel, nobody else."""

from drill.competitions import judge_sheets, setup


def test_only_the_rounds_organisers_and_panel_decide_a_disputed_peer_entry(db, contest, make_user):
    game = contest()  # a peer-only case round organised by 组织者周 (t01, head office)
    assert judge_sheets.decides_alone(game.round)
    entrant = next(p for p in setup.participants(game.competition) if p.user_id == game.people[0].id)
    outsider_trainer = make_user("t02", roles={"trainer"}, branch="west", scope_branch="west")
    stray_judge = make_user("j09", roles={"judge"}, branch="west1")
    admin = make_user("a01", roles={"admin"}, branch="head")

    assert judge_sheets.may_score(game.round, entrant, game.trainer)
    assert judge_sheets.may_score(game.round, entrant, admin)
    assert not judge_sheets.may_score(game.round, entrant, outsider_trainer)
    assert not judge_sheets.may_score(game.round, entrant, stray_judge)
    assert not judge_sheets.may_score(game.round, entrant, game.people[0])
