"""Content packs: Markdown question banks, cases and rubrics → checked, versioned, safely rendered.

- `rules/` — the format: the reader, the front-matter schema, question types (`questions/`), cases,
  rubrics, Markdown rendering, problems and quality warnings, `drill check` (see docs/content-format.md);
- `convert/` — GIFT, Moodle XML and XLSX in and out of the pack format, pure (`drill convert`, `export`);
- `views/` — serving pack assets; `cli.py` — `drill check` and `drill import`;
- `models.py` — packs, questions and their versions; `services.py` — importing packs (check first, one
  transaction); `bulk.py` — a changed pack written in bulk; `digest.py` — skipping unchanged packs;
- `discover.py`, `assets.py` — which files are packs and the files they link to;
- `taxonomy.py`, `standards.py`, `catalog.py` — themes, competencies and assessment points, as files and as
  the pages need them; `in_use.py` — the question versions in use.
"""
