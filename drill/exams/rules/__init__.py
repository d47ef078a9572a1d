"""The exam rules.

- `eligibility.py` — who may sit an exam, and when;
- `assembly.py` — fair papers drawn to a blueprint;
- `marking.py` — rubric scores into points, single or double marking into one mark;
- `passing.py` — pass rules: a minimum on the total and on each part;
- `stats.py` — item analysis by classical test theory.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
