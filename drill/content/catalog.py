"""The taxonomy as the web pages need it: loaded once per file change, labelled in the user's language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import get_locale

from drill.content.rules.problems import Problems
from drill.content.taxonomy import Taxonomy, Term, load_taxonomy


@lru_cache(maxsize=4)
def _load(path: str, _mtime: float) -> Taxonomy:
    return load_taxonomy(Path(path), Problems(path))


def taxonomy() -> Taxonomy:
    path = Path(current_app.config["CONTENT_DIR"]) / "taxonomy.yaml"
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return Taxonomy()
    return _load(str(path), mtime)


def label(term: Term) -> str:
    locale = get_locale()
    return term.zh if locale is None or locale.language == "zh" else term.en


def theme_label(key: str | None) -> str:
    term = taxonomy().themes.get(key) if key else None
    return label(term) if term else (key or "")


def competency_label(key: str | None) -> str:
    term = taxonomy().competencies.get(key) if key else None
    return label(term) if term else (key or "")


def theme_choices() -> list[tuple[str, str]]:
    return [(t.key, label(t)) for t in taxonomy().themes.terms]


def competency_choices() -> list[tuple[str, str]]:
    return [(t.key, label(t)) for t in taxonomy().competencies.terms]
