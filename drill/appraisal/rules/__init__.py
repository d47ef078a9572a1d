"""The appraisal rules: schemes, evidence, the roll-up, grades, periods and levels.

- `scheme.py`, `items.py`, `bands.py` — the scheme file (`kind: appraisal-scheme`), its items, grade bands
  and the quota on the top band;
- `indicators.py` — an indicator sheet's cells → validated values; `grid.py` — the rating grid;
- `records.py` — evidence in, records out (plain data); `points.py` and `rollup.py` — the computation;
- `states.py` — a period's state machine; `spans.py` — the calendar of periods;
- `levels.py` — the level rules (`kind: level-rules`) and the proposals they make: where a level changes;
- `gaps.py` — a manager's competency gaps and the packs that close them.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
