"""The attempt engine: one person's paper, from the first saved answer to its close.

Drills, exams and competitions start attempts on papers of their own making; from then on every kind
runs here. Files:

- `models.py`: `Attempt` and `AttemptItem` (the paper drawn, pinned to question versions, with the answers).
- `states.py`: the state machine (open → submitted | expired; an exam paper's one way back).
- `timing.py`: deadline arithmetic, pure: where a deadline and its grace are enforced.
- `engine.py`: saving an answer (the hot path) and `close`, the one way an attempt closes and is scored.
- `kinds.py`: the kinds of attempt and each kind's follow-up when it closes, registered by the app factory.
- `shapes.py`: what a saved answer must look like for its question's type, pure.
- `results.py`: summing scored items into totals and per-competency shares, pure.
- `pages.py`: what an attempt's pages show, built from the attempt and its question versions.
- `api.py`: the JSON API the answering page saves through and reads its clock from.
"""
