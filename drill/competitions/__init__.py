"""Branch-wide competitions (比学赶超): rounds, peer reviews, judges, boards.

- `rules/` — state machines, allocation, calibration, the peer model (where a peer score is computed),
  judging, speed bonus, advancement, standings (see its map);
- `views/` — by who opens them: participant, board, reviewer, judge, organiser (competition and rounds);
- `models.py` — the tables; `setup.py` — participants, teams, rounds, opening, closing, qualification;
- `entries.py` — a participant's entry (an attempt of kind "competition") and a written round's score;
- `peer.py` — allocating, calibrating and reviewing a case round; `judge_sheets.py` — judges' sheets;
- `round_scores.py` — case and judged rounds' scores from reviews and sheets, recorded as score events;
- `round_data.py` — a round read once as plain rows; `round_list.py` — the organiser's entries list;
- `kept_rounds.py` — a round as read and scored, kept per process until something it comes from changes;
- `events.py` — the score log; `boards.py` — the leaderboards each process keeps, and how a poll reads them;
- `corrections.py` — an organiser's re-mark, sent as JSON by the manage page, in two statements;
- `schedule.py` — rounds that open by their schedule; `enrolment.py` — adding participants by a list;
- `content.py` — what a round is about; `peer_io.py` and `cli.py` — `drill peer-scores`; `forms.py`.
- `access.py` — the competition or round a page names, for whoever may open it (404 or 403 otherwise).
"""
