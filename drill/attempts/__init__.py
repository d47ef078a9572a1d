"""The attempt engine: one person's paper, from the first saved answer to its close.

Drills, exams and competitions start attempts on papers of their own making; from then on every kind
runs here.

- `rules/` — deadline arithmetic (`timing`: where a deadline is decided), the state machine, the kinds and
  their close follow-ups, answer shapes, results;
- `views/` — the JSON API the answering page saves through and reads its clock from;
- `models.py` — `Attempt` and `AttemptItem` (the paper drawn, pinned to question versions, with the answers);
- `engine.py` — saving an answer (the hot path) and `close`, the one way an attempt closes and is scored;
- `pages.py` — what an attempt's pages show, built from the attempt and its question versions.
"""
