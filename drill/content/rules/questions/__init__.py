"""Question types: parse a question's Markdown into a spec, show it without answers, score a response.

Importing this package registers every built-in type; `REGISTRY` maps a type name to its handler.
"""

from __future__ import annotations

import random

from drill.content.rules.questions import arrange, choice, open_answer, text  # noqa: F401  (registers the types)
from drill.content.rules.questions.base import Markdown, ParsedQuestion, QuestionType, Score
from drill.content.rules.questions.registry import REGISTRY, register, resolve_type

__all__ = [
    "REGISTRY",
    "ParsedQuestion",
    "QuestionType",
    "Score",
    "public",
    "register",
    "render_spec",
    "resolve_type",
    "score",
]


def render_spec(spec: dict, md: Markdown) -> dict:
    """The spec with HTML beside every Markdown field (stem, explanation, options...)."""
    qtype = REGISTRY[spec["type"]]
    rendered = qtype.render(spec, md)
    rendered["stem_html"] = md(qtype.display_stem(spec))
    rendered["explanation_html"] = md(spec.get("explanation", ""))
    return rendered


def public(spec: dict, seed: int | str | None = None) -> dict:
    """What a manager sees before submitting: stem and shuffled choices, never an answer or explanation.

    The same seed gives the same order, so an attempt shows the same paper after a reload.
    """
    qtype = REGISTRY[spec["type"]]
    rng = random.Random(str(seed))
    return {
        "type": spec["type"],
        "points": spec["points"],
        "stem_html": spec.get("stem_html", ""),
        **qtype.public(spec, rng),
    }


def score(spec: dict, response: object) -> Score:
    """Points earned by `response` (None for open answers, which people grade) and the detail to show.

    A malformed response (wrong shape, unknown option ids) earns 0; scoring never raises on it.
    """
    qtype = REGISTRY[spec["type"]]
    try:
        return qtype.score(spec, response)
    except (TypeError, ValueError, KeyError, AttributeError):
        return Score(0.0, {"correct": False, "error": "the response could not be read"})
