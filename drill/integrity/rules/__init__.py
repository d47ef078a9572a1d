"""The integrity rules.

- `controls.py` — page-leaves and one device at a time: which controls hold and what each event means;
- `similarity.py` — near-copies among free-text answers and identical wrong-answer patterns.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
