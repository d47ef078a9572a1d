"""Appraisal: schemes as content, indicator sheets, the roll-up of evidence into graded records with
their trail, quotas, level rules — and the periods, records and manager's files built on them.

- `rules/` — the scheme file, indicator sheets, the roll-up, bands, periods' states and calendar, level
  rules, competency gaps (see its map);
- `views/` — periods, evidence entry, the rating grid, a record, the manager's file, level changes, reports;
- `models.py` — the tables; `services.py` — scheme versions, periods, the audit log;
- `evidence.py` — a period's evidence gathered from every area; `period_records.py` — computing a period
  and storing its records; `entry.py` — sheets, ratings, occurrences;
- `level_changes.py` — proposals from the level rules, decisions, applying them on their day (where a level
  changes); `level_review.py` — proposals by hand and the four-eyes rule;
- `profile.py` — the manager's file; `reports.py` and `export.py` — a period's report and exports;
- `access.py` — who may see and do what; `explain.py` — a trail as readable lines; `labels.py`, `forms.py`;
- `files.py` and `yamldoc.py` — the scheme and level-rule files for `drill check` (pure).
"""
