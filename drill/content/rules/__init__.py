"""The content format: a pack file's text → checked, plain data, and Markdown → safe HTML.

- `reader.py` — front matter and body lines with their line numbers; `blocks.py` — Markdown structure;
- `schema.py` — the front-matter keys with their Chinese spellings; `packs.py` — a pack's text → a ParsedPack;
- `questions/` — the question types: parsing, the answer they expect and scoring (the type registry);
- `cases.py` and `rubric.py` — case studies and scoring rubrics;
- `render.py` — Markdown → HTML under a strict allowlist;
- `problems.py` — problems with file, line and what to write instead; `quality.py` — a reviewer's warnings;
- `check.py` — `drill check`: every pack parsed, and what spans files.

Pure: plain data in, plain data out; `now` is a parameter. Nothing here imports Flask, SQLAlchemy or the
database (an import-linter contract in pyproject.toml holds every `rules/` package to it).
"""
