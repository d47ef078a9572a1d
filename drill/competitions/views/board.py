"""The leaderboard page, its big-screen mode and the JSON they poll (conditional GET, see `boards`).

The public board is for everyone signed in who takes part, judges or organises; from the freeze it stands
still for them while organisers see the live one on their own board page (never on the big screen, which
the hall sees); once published, everyone sees the final board.
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, url_for
from flask_login import login_required

from drill.accounts import session as login_sessions
from drill.auth.security import json_reply
from drill.competitions import boards
from drill.competitions.access import is_organiser, may_see, visible_competition
from drill.competitions.rules.states import ORGANISER_ROLES, organises
from drill.database import utcnow

POLL_SECONDS = 3


def _view(competition_id: int, big: bool):
    competition, _participant = visible_competition(competition_id)
    # The big screen is what the hall sees, whoever drives the projector: it always shows the public board
    # (frozen from the freeze on). An organiser sees live scores only on their own board page.
    organiser = not big and is_organiser(competition) and request.args.get("public") is None
    return render_template(
        "competitions/board.html",
        competition=competition,
        organiser=organiser,
        big=big,
        rounds=competition.rounds,
        data_url=url_for(
            "competitions.board_data",
            competition_id=competition.id,
            limit=20 if big else 100,
            **({"public": 1} if not organiser and is_organiser(competition) else {}),
        ),
        poll_ms=POLL_SECONDS * 1000,
    )


@login_required
def board(competition_id: int):
    return _view(competition_id, big=False)


@login_required
def big_board(competition_id: int):
    return _view(competition_id, big=True)


@json_reply
@login_sessions.claim_required
def board_data(claim: login_sessions.SignedIn, competition_id: int):
    """At most one query (`boards.current`: it checks the login session too), with `visible_competition`'s
    rule. Polled every few seconds by every screen in the hall: the user is not loaded (#22)."""
    found = boards.current(competition_id, claim, roles=ORGANISER_ROLES)
    if found is None:
        if not login_sessions.is_open(claim):
            return current_app.login_manager.unauthorized()
        abort(404)
    viewer, settings = found.viewer, found.settings
    if not viewer.signed_in:
        return current_app.login_manager.unauthorized()
    organiser = organises(viewer, settings.created_by_id, viewer.has_role)
    participant = viewer.participant_id is not None
    if not may_see(settings.state, organiser=organiser, participant=participant, judge=viewer.judge):
        abort(404)
    view = boards.read(
        found,
        organiser=organiser and request.args.get("public") is None,
        now=utcnow(),
        round_id=request.args.get("round", type=int),
        limit=request.args.get("limit", 100, type=int),
        me=viewer.participant_id,
        if_none_match=request.if_none_match,
    )
    headers = {"ETag": f'"{view.etag}"', "Cache-Control": "private, no-cache"}
    if view.body is None:
        return Response(status=304, headers=headers)
    return Response(view.body, mimetype="application/json", headers=headers)
