"""Appraisal: schemes as content, indicator sheets, the roll-up of evidence into graded records with
their trail, quotas, level rules — and the periods, records and manager's files built on them.

The rules are pure (no Flask, no database, no clock):
- scheme.py, items.py, bands.py — the scheme file's schema and checks (`kind: appraisal-scheme`);
- levels.py — the level-rules file (`kind: level-rules`) and `propose`;
- indicators.py — an indicator sheet's cells → validated values and a checksum;
- records.py — evidence in, records out; points.py and rollup.py — the computation;
- states.py — a period's state machine; spans.py — the calendar of periods; gaps.py — competency gaps;
- files.py — the hook `drill check` uses for `content/appraisal/`; yamldoc.py — YAML with lines.

Around them (database and web): models.py (tables), services.py (scheme versions, periods, audit),
evidence.py (gathering a period's evidence), computing.py, entry.py (sheets, ratings, entries),
leveling.py (level changes), profile.py (the manager's file), reports.py and export.py; the pages are
views.py, entry_views.py, record_views.py, file_views.py, level_views.py and report_views.py, with
explain.py turning a stored trail into the lines of "why is my score 82.4?".
"""
