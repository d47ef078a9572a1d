"""What the attempt pages show, built from an attempt and its question versions (no Flask here)."""

from __future__ import annotations

from dataclasses import dataclass

from drill.attempts.engine import item_points
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules.results import ScoredItem, Share, by_competency
from drill.attempts.rules.shapes import well_formed
from drill.content.models import QuestionVersion
from drill.content.rules.questions import public


@dataclass
class TakeItem:
    """An item as the manager sees it while the attempt is open: the question without any answer."""

    position: int
    type: str
    points: float
    question: dict  # `questions.public`: stem_html, options / blanks / items / lefts+rights / unit / criteria
    response: object
    seq: int = 0  # the version of the saved response (the page counts on from it)


@dataclass
class ResultItem:
    position: int
    type: str
    points: float
    earned: float | None
    correct: bool | None
    response: object
    spec: dict  # the whole spec: answers, explanation, reference
    detail: dict
    self_assessment: dict | None
    item_id: int
    options: list[dict] | None = None  # choices in the order the attempt showed them, each with its letter

    @property
    def verdict(self) -> str:
        """`open` (compared with the reference by the manager), `right`, `partial` or `wrong`."""
        if self.earned is None:
            return "open"
        if self.correct:
            return "right"
        return "partial" if self.earned > 0 else "wrong"


IN_ORDER = "in-order"  # an option seed that keeps choice options in the order the pack gives them


def presented(spec: dict, option_seed: str) -> dict:
    """The spec as shown: an exam may keep choice options in pack order (orderings always shuffle)."""
    if option_seed.startswith(IN_ORDER) and "options" in spec:
        return {**spec, "shuffle": False}
    return spec


def take_items(attempt: Attempt, versions: dict[int, QuestionVersion]) -> list[TakeItem]:
    items = []
    for item in attempt.items:
        version = versions[item.question_version_id]
        items.append(
            TakeItem(
                position=item.position,
                type=version.type,
                points=item_points(item, version),
                question=public(presented(version.spec, item.option_seed), item.option_seed),
                response=well_formed(version.type, item.response),
                seq=item.saved_seq or 0,
            )
        )
    return items


def result_items(attempt: Attempt, versions: dict[int, QuestionVersion]) -> list[ResultItem]:
    return [_result(item, versions[item.question_version_id]) for item in attempt.items]


def _result(item: AttemptItem, version: QuestionVersion) -> ResultItem:
    return ResultItem(
        position=item.position,
        type=version.type,
        points=item_points(item, version),
        earned=item.earned,
        correct=item.correct,
        response=well_formed(version.type, item.response),
        spec=version.spec,
        detail=item.detail or {},
        self_assessment=item.self_assessment,
        item_id=item.id,
        options=shown_options(version.spec, item.option_seed),
    )


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def shown_options(spec: dict, option_seed: str) -> list[dict] | None:
    """A choice question's options (with `correct`) in the order the attempt showed them, lettered A, B...

    The same seed draws the same order as the paper did, so the results read like the paper.
    """
    if "options" not in spec:
        return None
    by_id = {o["id"]: o for o in spec["options"]}
    shown = public(presented(spec, option_seed), option_seed)["options"]
    return [{**by_id[o["id"]], "letter": LETTERS[n % 26]} for n, o in enumerate(shown)]


def competency_breakdown(attempt: Attempt, versions: dict[int, QuestionVersion]) -> dict[str, Share]:
    return by_competency(
        [
            ScoredItem(
                item_points(i, versions[i.question_version_id]),
                i.earned,
                tuple(versions[i.question_version_id].competencies or ()),
            )
            for i in attempt.items
        ]
    )
