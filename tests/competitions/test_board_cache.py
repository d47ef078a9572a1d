"""Each app process keeps at most BOARD_CACHE_SIZE competitions' boards in memory, dropping the least
recently read; a dropped board is built again from the database when it is read, with every score."""

from drill.competitions import boards
from tests.competitions.test_board_app import score


def cached(app) -> list[int]:
    return list(app.extensions["competition_boards"]["by_id"])


def test_the_least_recently_read_board_is_dropped_and_rebuilt_when_read_again(app, db, contest, signed_in):
    app.config["BOARD_CACHE_SIZE"] = 2
    game = contest(kind="judged")
    first = game.competition.id
    second, third = first + 1000, first + 2000  # other competitions' ids: each read takes a place
    score(db, game, "m1", 70)
    client = signed_in(game.people[0])
    assert client.get(f"/competitions/{first}/board.json").status_code == 200
    boards.snapshot(second, live=True)
    boards.snapshot(first, live=True)  # read again: now the most recent
    boards.snapshot(third, live=True)
    assert cached(app) == [first, third]  # the second, least recently read, was dropped
    boards.snapshot(second, live=True)
    assert cached(app) == [third, second]
    board = client.get(f"/competitions/{first}/board.json").get_json()
    assert board["individual"][0]["score"] == "70.00"  # rebuilt from the database, nothing lost
