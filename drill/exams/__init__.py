"""Skill-level exams: blueprints, fair papers, grading, release, certificates, item analysis.

- `rules/` — eligibility, paper assembly, marking, pass rules, item statistics;
- `views/` — by who opens them: candidate, organiser, marker, item analysis;
- `models.py` — exams, adjustments, marks and certificates; `services.py` — papers, starting, results;
- `control.py` — closing a running exam, more time for one candidate; `grading.py` — the marking queue;
- `release.py` — releasing results and issuing certificates; `roster.py` — the candidates at province size;
- `analysis.py` — item analysis for trainers; `coverage.py` — blueprints that cover a standard; `forms.py`.
- `access.py` — the exam an organiser's page names, for whoever may manage it (403 otherwise).
"""
