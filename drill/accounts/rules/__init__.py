"""Who may see whom, and names that cannot pass for someone else's.

- `scope.py` — branch subtrees: who a trainer or admin may see and manage;
- `names.py` — display names: mixed scripts and look-alikes;
- `sheet.py` — a users sheet (CSV or XLSX) read into validated rows.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
