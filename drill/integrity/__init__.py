"""Exam and competition integrity (防作弊): page-leave events, one device at a time, similar answers.

- `rules/` — which controls hold and what each event means; near-copies and identical wrong patterns;
- `views/` — the paper page's event endpoint, the papers, timelines and flags for organisers;
- `models.py`, `services.py` — settings, watches, events and flags; `labels.py`, `forms.py`;
- `cli.py` — `drill similar`, the flags the app would raise, for audits and appeals.
"""
