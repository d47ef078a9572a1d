"""The drills rules.

- `paper.py` — drawing a practice paper from the candidates and a seed;
- `notebook.py` — the wrong-answer notebook (错题本) as Leitner boxes;
- `progress.py` — an assignment's progress, person by person.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
