"""Appraisal: schemes as content, indicator sheets, the roll-up of evidence into graded records with
their trail, quotas, and level rules. Everything here is pure (no Flask, no database, no clock):

- scheme.py, items.py, bands.py — the scheme file's schema and checks (`kind: appraisal-scheme`);
- levels.py — the level-rules file (`kind: level-rules`) and `propose`;
- indicators.py — an indicator sheet's cells → validated values and a checksum;
- records.py — evidence in, records out; points.py and rollup.py — the computation;
- files.py — the hook `drill check` uses for `content/appraisal/`; yamldoc.py — YAML with lines.
"""
