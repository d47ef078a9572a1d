"""Drawing a practice paper. Pure: the candidates and the random seed come in, the paper goes out.

The drawn paper (which question versions, in which order, with which option seed) is stored with the
attempt, so a reload or another device shows exactly the same paper.
"""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    version_id: int
    question_key: str


@dataclass(frozen=True)
class PaperItem:
    position: int
    version_id: int
    option_seed: str


def draw(candidates: list[Candidate], count: int, seed: int, first: list[Candidate] = ()) -> list[PaperItem]:
    """`count` questions at random, never the same question twice; `first` ones (e.g. due mistakes) lead.

    Options are shuffled per item from a seed derived from the attempt's seed, so nothing about the
    order can be guessed from another attempt.
    """
    rng = random.Random(seed)
    chosen: list[Candidate] = []
    seen: set[str] = set()
    for candidate in first:
        if len(chosen) < count and candidate.question_key not in seen:
            chosen.append(candidate)
            seen.add(candidate.question_key)
    rest = [c for c in candidates if c.question_key not in seen]
    chosen += rng.sample(rest, min(count - len(chosen), len(rest)))  # sample's order is random too
    return [
        PaperItem(position, c.version_id, f"{seed}:{position}:{rng.getrandbits(32)}")
        for position, c in enumerate(chosen, start=1)
    ]
