"""Content packs: Markdown question banks, cases and rubrics → checked, versioned, safely rendered.

The rules (reader, schema, question types, cases, rubrics, rendering, check) import neither Flask nor the
database; `models`, `services`, `views` and `cli` are the parts that do. See docs/content-format.md.
"""
