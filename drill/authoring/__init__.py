"""Pack authoring in the browser: upload, edit, check, preview and publish content packs.

- `rules/` — what an uploaded pack or zip may be;
- `views/` — the pack library, uploads and new packs; one draft's editor, files, preview and publish;
- `models.py` — drafts and their files; `services.py` — writing them; `library.py` — the pack library;
- `publish.py` — checking, planning and publishing a draft with `drill check`'s and `drill import`'s code;
- `workspace.py`, `checking.py`, `live.py`, `preview.py` — a draft checked and shown as the editor needs it;
- `convert.py` — the GIFT and XLSX converters in the browser; `skeletons.py`, `formatdoc.py`, `forms.py`.
"""
