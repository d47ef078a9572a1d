"""After the freeze the hall sees the frozen board, even when the organiser drives the projector."""

import re
from datetime import timedelta
from html import unescape

from drill.competitions import events
from drill.competitions.models import Participant
from drill.database import utcnow


def frozen_contest(db, contest):
    game = contest(kind="judged")
    game.competition.freeze_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    participant = db.session.get(Participant, game.pid["m3"])
    now = utcnow()
    events.record(game.round, participant, 88.5, completed_at=now, reason="after the freeze", now=now)
    db.session.commit()
    return game


def polled_board(client, page_url):
    """The board JSON that a page's script polls (its data-url), as the browser would fetch it."""
    html = client.get(page_url).get_data(as_text=True)
    data_url = unescape(re.search(r'data-url="([^"]+)"', html).group(1))
    return client.get(data_url).get_json()


def test_the_organisers_big_screen_shows_the_frozen_board_after_the_freeze(db, contest, signed_in):
    game = frozen_contest(db, contest)
    organiser = signed_in(game.trainer)
    base = f"/competitions/{game.competition.id}"
    for page in (f"{base}/board/big", f"{base}/board/big?public=1"):
        board = polled_board(organiser, page)
        assert board["mode"] == "frozen", page
        assert all(row["score"] != "88.50" for row in board["individual"]), page


def test_the_big_screen_link_on_the_public_view_opens_the_frozen_board(db, contest, signed_in):
    game = frozen_contest(db, contest)
    organiser = signed_in(game.trainer)
    public = organiser.get(f"/competitions/{game.competition.id}/board?public=1").get_data(as_text=True)
    link = re.search(r'href="([^"]*/board/big[^"]*)"', public).group(1)
    assert polled_board(organiser, unescape(link))["mode"] == "frozen"


def test_only_the_organisers_own_board_page_shows_live_scores_after_the_freeze(db, contest, signed_in):
    game = frozen_contest(db, contest)
    organiser = signed_in(game.trainer)
    live = polled_board(organiser, f"/competitions/{game.competition.id}/board")
    assert live["mode"] == "live" and live["individual"][0]["score"] == "88.50"
