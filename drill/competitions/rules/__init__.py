"""The competition rules.

- `states.py` — a competition's and a round's state machines; `editing.py` — what may still change in a round;
- `allocation.py` — who peer-reviews which entry; `calibration.py` — a reviewer's accuracy on the examples;
- `peer_model.py` — the peer score: each reviewer's bias and reliability fitted on the round (where a peer
  score is computed); `aggregation.py` — the trimmed, calibration-weighted mean it is compared with, the
  disagreement and the reviewing grades;
- `judging.py` — judges' round scores (trimmed mean, 本单位回避) and when judges see each other's sheets;
- `speed.py` — the written round's speed bonus; `advancement.py` — who goes on to the final;
- `standings.py` — individual and team leaderboards, kept one score at a time, frozen for the public;
- `corrections.py` — what a score correction sent as JSON must hold.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
