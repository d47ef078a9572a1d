"""The competitions pages, by who opens them: `participant.py` — the list, a competition, entering a round,
one's own results; `board.py` — the leaderboard, its big screen and the JSON they poll; `reviewer.py` — a
peer reviewer's calibration and reviews; `judge.py` — a judge's sheets; `organiser.py` — setting up and
running a competition; `organiser_rounds.py` — its rounds, allocations, finalists and score details.
`vocabulary.py` gives every competitions template the words for kinds and states.

Every URL of the blueprint is in the table below (rule, view, methods); who may call each is in
`drill/access_policy.py`.
"""

from flask import Blueprint

from drill.competitions.views import (
    board,
    judge,
    organiser,
    organiser_rounds,
    participant,
    reviewer,
    vocabulary,
)
from drill.routes import GET, GET_POST, POST, add_routes

bp = Blueprint("competitions", __name__, url_prefix="/competitions")

add_routes(
    bp,
    # participant.py
    ("/", participant.index, GET),
    ("/<int:competition_id>", participant.show, GET),
    ("/<int:competition_id>/rounds/<int:round_id>/start", participant.start, POST),
    ("/attempts/<int:attempt_id>", participant.attempt, GET),
    ("/<int:competition_id>/rounds/<int:round_id>", participant.my_round, GET),
    # board.py
    ("/<int:competition_id>/board", board.board, GET),
    ("/<int:competition_id>/board/big", board.big_board, GET),
    ("/<int:competition_id>/board.json", board.board_data, GET),
    # judge.py
    ("/<int:competition_id>/judging", judge.judging, GET),
    ("/<int:competition_id>/rounds/<int:round_id>/judge/<int:participant_id>", judge.judge, GET_POST),
    # organiser.py
    ("/new", organiser.new, GET_POST),
    ("/<int:competition_id>/edit", organiser.edit, GET_POST),
    ("/<int:competition_id>/manage", organiser.manage, GET),
    ("/<int:competition_id>/participants", organiser.add_participants, POST),
    ("/<int:competition_id>/state/<target>", organiser.move, POST),
    ("/<int:competition_id>/participants/<int:participant_id>/disqualify", organiser.disqualify, POST),
    ("/<int:competition_id>/participants/<int:participant_id>/correct", organiser.correct, POST),
    (
        "/<int:competition_id>/participants/<int:participant_id>/corrections",
        organiser.record_correction,
        POST,
    ),
    ("/<int:competition_id>/publish", organiser.publish, POST),
    ("/<int:competition_id>/audit", organiser.audit, GET),
    # organiser_rounds.py
    ("/<int:competition_id>/rounds/new", organiser_rounds.new_round, GET_POST),
    ("/<int:competition_id>/rounds/<int:round_id>/edit", organiser_rounds.edit_round, GET_POST),
    ("/<int:competition_id>/rounds/<int:round_id>/state/<target>", organiser_rounds.move_round, POST),
    ("/<int:competition_id>/rounds/<int:round_id>/manage", organiser_rounds.round_overview, GET),
    ("/<int:competition_id>/rounds/<int:round_id>/export.xlsx", organiser_rounds.round_export, GET),
    ("/<int:competition_id>/rounds/<int:round_id>/reallocate", organiser_rounds.reallocate, POST),
    ("/<int:competition_id>/rounds/<int:round_id>/recompute", organiser_rounds.recompute, POST),
    ("/<int:competition_id>/rounds/<int:round_id>/qualify", organiser_rounds.qualify, POST),
    (
        "/<int:competition_id>/rounds/<int:round_id>/entries/<int:entry_id>",
        organiser_rounds.entry_detail,
        GET,
    ),
    # reviewer.py
    ("/<int:competition_id>/rounds/<int:round_id>/calibrate", reviewer.calibrate, GET_POST),
    ("/<int:competition_id>/rounds/<int:round_id>/reviews/<int:entry_id>", reviewer.review, GET_POST),
)
# every competitions template: the words for kinds and states, and the round windows
bp.context_processor(vocabulary.vocabulary)
