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
