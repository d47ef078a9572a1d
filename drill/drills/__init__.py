"""Timed practice drills: papers, server-held deadlines, autosave, results, the wrong-answer notebook.

- `rules/` — drawing a paper, the notebook's Leitner boxes, an assignment's progress;
- `views/` — a manager's drills, the notebook, a trainer's assignments;
- `models.py` — assignments and the notebook; `services.py` — starting a drill and filing a closed one's
  answers in the notebook; `assigned.py` — assignments as a manager meets them;
- `history.py` — a manager's record of drills; `report.py` — the assignment report's bulk reader; `forms.py`.
"""
