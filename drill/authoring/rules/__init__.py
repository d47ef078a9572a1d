"""What an upload may be: `uploads.py` (a pack file or folder) and `zips.py` (a zip of one).

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
