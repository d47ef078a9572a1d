"""The board endpoint: conditional GET (304 until a score arrives), built once per process and caught up
event by event, consistent across app processes sharing the database, and the big-screen page."""

import threading

from sqlalchemy import select

from drill.competitions import boards, events
from drill.competitions.models import Participant
from drill.database import utcnow


def score(db, game, employee_no, value, reason="test"):
    participant = db.session.get(Participant, game.pid[employee_no])
    events.record(game.round, participant, value, completed_at=utcnow(), reason=reason, now=utcnow())
    db.session.commit()


def test_polling_gets_304_until_a_score_arrives(db, contest, signed_in):
    game = contest(kind="judged")
    client = signed_in(game.people[0])
    url = f"/competitions/{game.competition.id}/board.json"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    score(db, game, "m3", 88.5)
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert changed.get_json()["individual"][0] == {
        "rank": 1,
        "name": "丙选手",
        "team": "西山支行",
        "score": "88.50",
    }
    assert client.get(url, headers={"If-None-Match": changed.headers["ETag"]}).status_code == 304


def test_the_board_is_built_once_and_then_only_catches_up(db, contest, signed_in, monkeypatch):
    game = contest(kind="judged")
    client = signed_in(game.people[0])
    url = f"/competitions/{game.competition.id}/board.json"
    builds = []
    real = boards._rebuild
    monkeypatch.setattr(boards, "_rebuild", lambda *a: builds.append(1) or real(*a))
    client.get(url)
    for i, no in enumerate(["m1", "m2", "m3", "m4", "m1"]):
        score(db, game, no, 50 + i)
        client.get(url)
    assert len(builds) == 1
    assert [r["score"] for r in client.get(url).get_json()["individual"]] == [
        "54.00",
        "53.00",
        "52.00",
        "51.00",
    ]  # m1 re-scored


def test_each_app_process_catches_up_from_the_database(app, db, contest, signed_in):
    """Two processes: two caches of their own (swapped in here), one database. A score recorded by either
    reaches both boards within one poll."""
    game = contest(kind="judged")
    client = signed_in(game.people[0])
    url = f"/competitions/{game.competition.id}/board.json"
    processes = [{"lock": threading.Lock(), "by_id": {}} for _ in range(2)]

    def poll(process):
        app.extensions["competition_boards"] = process
        return client.get(url).get_json()

    assert [poll(p)["individual"][0]["score"] for p in processes] == ["0.00", "0.00"]
    score(db, game, "m4", 77)
    assert [poll(p)["individual"][0] for p in processes] == [
        {"rank": 1, "name": "丁选手", "team": "西山支行", "score": "77.00"}
    ] * 2
    score(db, game, "m1", 80)
    assert [poll(p)["individual"][0]["name"] for p in processes] == ["甲选手", "甲选手"]


def test_the_board_pages_render_and_the_big_screen_has_no_navigation(db, contest, signed_in):
    game = contest(kind="judged")
    client = signed_in(game.people[0])
    page = client.get(f"/competitions/{game.competition.id}/board").get_data(as_text=True)
    assert 'id="board"' in page and "competitions/board.js" in page and "board.json" in page
    big = client.get(f"/competitions/{game.competition.id}/board/big").get_data(as_text=True)
    assert "board-big" in big and "nav.navbar { display: none" in big
    assert db.session.scalar(select(Participant.id).where(Participant.id == game.pid["m1"]))


def board_json(client, game, **query):
    return client.get(f"/competitions/{game.competition.id}/board.json", query_string=query)


def test_the_board_json_keeps_the_competition_pages_404_rules(db, contest, make_user, signed_in):
    judge = make_user("j01", roles={"judge"}, branch="head", name="评委")
    game = contest(kind="judged", judges=[judge])
    stranger = signed_in(make_user("m9", name="路人"))
    assert board_json(stranger, game).status_code == 404
    assert stranger.get(f"/competitions/{game.competition.id}").status_code == 404  # the same rule
    scoped = signed_in(make_user("t02", roles={"trainer"}, branch="east", scope_branch="east"))
    assert board_json(scoped, game).status_code == 404  # limited to a subtree, and not its creator
    assert board_json(signed_in(judge), game).status_code == 200
    assert board_json(signed_in(game.trainer), game, public=1).get_json()["mode"] == "public"
    assert board_json(signed_in(game.trainer), game).get_json()["mode"] == "live"
    assert board_json(stranger, game).status_code == 404  # the board cached by now changes nothing
    assert stranger.get("/competitions/999/board.json").status_code == 404


def test_a_draft_competition_is_the_organisers_alone_and_opening_it_shows_at_once(db, contest, signed_in):
    from drill.competitions import setup

    game = contest(kind="judged")
    game.competition.state = "draft"
    db.session.commit()
    participant, organiser = signed_in(game.people[0]), signed_in(game.trainer)
    assert board_json(participant, game).status_code == 404
    assert board_json(organiser, game).status_code == 200
    setup.move_competition(game.competition, "open")  # no config bump: the state is read on every poll
    db.session.commit()
    assert board_json(participant, game).status_code == 200


def test_a_disqualified_participant_may_still_read_the_board(db, contest, signed_in):
    game = contest(kind="judged")
    score(db, game, "m1", 90)
    reader = signed_in(game.people[0])
    assert board_json(reader, game).get_json()["me"]["score"] == "90.00"
    organiser = signed_in(game.trainer)
    out = organiser.post(
        f"/competitions/{game.competition.id}/participants/{game.pid['m1']}/disqualify",
        data={"dq-reason": "代考"},
    )
    assert out.status_code == 302
    after = board_json(reader, game)
    assert after.status_code == 200 and "me" not in after.get_json()
    assert "甲选手" not in [r["name"] for r in after.get_json()["individual"]]


def test_someone_added_after_the_board_was_built_can_read_it_at_once(db, contest, make_user, signed_in):
    from drill.competitions import setup

    game = contest(kind="judged")
    board_json(signed_in(game.people[0]), game)  # built
    late = make_user("m5", name="戊选手", branch="west1")
    latecomer = signed_in(late)
    assert board_json(latecomer, game).status_code == 404
    setup.add_participants(game.competition, [late])
    db.session.commit()
    assert board_json(latecomer, game).get_json()["me"]["name"] == "戊选手"


def test_a_board_poll_costs_one_query_and_none_within_the_shared_interval(
    app, db, contest, make_user, signed_in
):
    from sqlalchemy import event

    judge = make_user("j01", roles={"judge"}, branch="head", name="评委")
    game = contest(kind="judged", judges=[judge])
    clients = {
        "participant": signed_in(game.people[0]),
        "judge": signed_in(judge),
        "organiser": signed_in(game.trainer),
    }
    for client in clients.values():
        board_json(client, game)  # the first poll builds the board
    url, round_id = f"/competitions/{game.competition.id}/board.json", game.round.id
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for who, client in clients.items():
            score(db, game, "m2", 60 + len(statements))  # a new event to catch up with, every time
            statements.clear()
            assert client.get(url).status_code == 200
            assert len(statements) == 1, (who, statements)  # the board's one query, the session checked in it
            statements.clear()  # the same viewer again within BOARD_CATCH_UP_SECONDS: no query at all
            assert client.get(url, query_string={"round": round_id, "limit": 5}).status_code == 200
            assert statements == [], (who, statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_polls_share_one_catch_up_per_interval_and_another_nodes_score_shows_after_it(
    app, db, contest, signed_in, monkeypatch
):
    app.config["BOARD_CATCH_UP_SECONDS"] = 2.0
    clock = [1000.0]
    monkeypatch.setattr(boards, "_clock", lambda: clock[0])
    game = contest(kind="judged")
    client = signed_in(game.people[0])
    url = f"/competitions/{game.competition.id}/board.json"
    first = client.get(url)
    assert first.get_json()["individual"][0]["score"] == "0.00"
    mine = events.written[0]
    score(db, game, "m4", 77)  # recorded by another node: this process wrote nothing
    events.written[0] = mine
    clock[0] += 1.5
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304  # within the interval: the board as it was, without asking the database
    clock[0] += 1.0
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["individual"][0]["score"] == "77.00"
    score(db, game, "m1", 80)  # recorded here: shows at once, interval or not
    assert client.get(url).get_json()["individual"][0]["name"] == "甲选手"
    game.competition.state = "draft"  # and so does any change to the competition made here
    db.session.commit()
    assert client.get(url).status_code == 404


def test_an_organiser_who_records_a_score_sees_it_at_once_while_other_readers_keep_sharing(
    app, db, contest, signed_in, monkeypatch
):
    app.config["BOARD_CATCH_UP_SECONDS"] = 2.0
    clock = [1000.0]
    monkeypatch.setattr(boards, "_clock", lambda: clock[0])
    game = contest(kind="judged")
    reader, organiser = signed_in(game.people[0]), signed_in(game.trainer)
    url = f"/competitions/{game.competition.id}/board.json"
    seen = reader.get(url)
    assert organiser.get(url).get_json()["individual"][0]["score"] == "0.00"
    form = {"fix-round": game.round.id, "fix-score": "91", "fix-reason": "评委现场打分"}
    corrected = organiser.post(
        f"/competitions/{game.competition.id}/participants/{game.pid['m3']}/correct", data=form
    )
    assert corrected.status_code == 302
    clock[0] += 0.5  # another reader's poll within the interval still shares the last catch-up
    assert reader.get(url, headers={"If-None-Match": seen.headers["ETag"]}).status_code == 304
    assert organiser.get(url).get_json()["individual"][0] == {
        "rank": 1, "name": "丙选手", "team": "西山支行", "score": "91.00"
    }  # fmt: skip
    clock[0] += 0.5  # the organiser's poll refreshed the process's board: every reader gets it from there
    assert reader.get(url, headers={"If-None-Match": seen.headers["ETag"]}).status_code == 200


def test_a_poll_with_an_ended_session_is_sent_to_sign_in(app, db, contest, signed_in):
    """The poll does not load the user: its one query checks the login session, and a session ended
    (signed out elsewhere, by an admin, timed out) stops the polls within the shared interval."""
    from drill.accounts.session import end_all

    app.config["BOARD_CATCH_UP_SECONDS"] = 0  # every poll asks the database
    game = contest(kind="judged")
    person = game.people[0]
    client = signed_in(person)
    url = f"/competitions/{game.competition.id}/board.json"
    assert client.get(url).status_code == 200
    end_all(db.session.merge(person))
    db.session.commit()
    refused = client.get(url)
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert client.get(f"/competitions/{game.competition.id + 99}/board.json").status_code == 302
