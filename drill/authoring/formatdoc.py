"""The content-format document (docs/content-format.md), rendered once per change for the editor's side."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import markdown
import nh3

from drill.content.render import ATTRIBUTES, TAGS
from drill.paths import project_dir

HEADINGS = ("h1", "h2", "h3", "h4")


def doc_path() -> Path:
    return project_dir("docs") / "content-format.md"


@lru_cache(maxsize=2)
def _render(path: str, _mtime: float) -> str:
    source = Path(path).read_text(encoding="utf-8")
    raw = markdown.markdown(source, extensions=["tables", "fenced_code", "sane_lists", "toc"])
    attributes = {**ATTRIBUTES, **{h: {"id"} for h in HEADINGS}}
    # The document ships with drill, but it is sanitised like a pack all the same.
    return nh3.clean(raw, tags=TAGS, attributes=attributes, link_rel="noopener noreferrer")


def format_html() -> str | None:
    """The document as safe HTML, or None where it is not installed."""
    path = doc_path()
    try:
        return _render(str(path), path.stat().st_mtime)
    except OSError:
        return None
