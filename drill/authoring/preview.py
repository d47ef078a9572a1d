"""A checked draft rendered as it will be stored: the same Markdown rendering and question specs as
`drill import` produces, then shown the manager's way (`questions.public`: no answer, no explanation) or
the reviewer's way (the whole spec). No Flask and no database here: links resolve through `resolve`."""

from __future__ import annotations

from dataclasses import dataclass, field

from drill.content.rules.check import CheckedPack
from drill.content.rules.questions import public
from drill.content.rules.render import Resolver, render_markdown
from drill.content.services import question_payloads, rendered_sections


@dataclass
class PreviewItem:
    position: int
    key: str
    type: str
    points: float
    difficulty: int
    level: str | None
    competencies: list[str]
    question: dict  # what a manager sees: `questions.public`
    spec: dict  # what a reviewer sees: answers, explanation, reference, rubric
    response: object = None  # the drill inputs macro shows a saved response; a preview has none


@dataclass
class PackPreview:
    kind: str
    meta: dict
    sections: dict  # rendered HTML: intro, background, materials, rubric, reference, examples
    items: list[PreviewItem] = field(default_factory=list)

    @property
    def total_points(self) -> float:
        return round(sum(item.points for item in self.items), 2)


def build(item: CheckedPack, resolve: Resolver) -> PackPreview:
    def md(source: str) -> str:
        return render_markdown(source, resolve)

    items = []
    for position, (key, payload) in enumerate(question_payloads(item, md), start=1):
        spec = payload["spec"]
        items.append(
            PreviewItem(
                position=position,
                key=key,
                type=payload["type"],
                points=float(payload["points"]),
                difficulty=payload["difficulty"],
                level=payload["level"],
                competencies=list(payload["competencies"] or []),
                question=public(spec, seed=key),
                spec=spec,
            )
        )
    return PackPreview(item.pack.kind, dict(item.pack.meta), rendered_sections(item, md), items)
