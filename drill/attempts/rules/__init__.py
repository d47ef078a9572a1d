"""The attempt engine's rules.

- `timing.py` — deadline arithmetic: where a deadline and its grace are decided;
- `states.py` — the state machine (open → submitted | expired; an exam paper's one way back);
- `kinds.py` — the kinds of attempt and the registry of what follows each one's close;
- `shapes.py` — what a saved answer must look like for its question's type;
- `results.py` — scored items summed into totals and per-competency shares.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
