"""Exam papers drawn to a blueprint. Pure: the bank, the blueprint and a seed come in, the paper goes out.

A blueprint is a list of cells ("4 single-choice questions on deposits, difficulty 2–3, 2 points each, in
the theory part"). A row may instead ask for one question per assessment point (考点) of a theme, level and
audience: `expand` turns it into one single-question cell per point before the draw. Filling it is a
matching problem — cells with capacities on one side, questions on the other, each question in at most
one cell — solved exactly with augmenting paths. So the bank either fills every cell, or the trainer
learns which cells are short and by how much; a paper is never drawn short.
"""

import itertools
import random
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class BankItem:
    """One drawable question (its current version)."""

    version_id: int
    key: str  # the stable question id: a question is used at most once per paper
    type: str
    theme: str | None
    competencies: tuple[str, ...]
    difficulty: int  # 1..5
    level: str | None  # junior | intermediate | senior
    audience: str | None = None  # the pack's: bank | tobacco | both (None: both)
    standards: tuple[str, ...] = ()  # the assessment points (考点) the question names


@dataclass(frozen=True)
class Point:
    """An assessment point as a blueprint needs it (the standards file has the rest)."""

    id: str
    theme: str
    level: str
    audience: str  # bank | tobacco | both


@dataclass(frozen=True)
class Cell:
    """One row of a blueprint: `count` questions like this, `points` each, in `part`.

    Unset filters match anything; `difficulty` is an inclusive range; `competency` matches a question
    that lists it among its competencies; `audience` matches a question of a pack for that audience or for
    both; `point` matches a question that names that assessment point.

    `per_point`: the row asks for one question per assessment point of its theme, level and audience
    (`count` is then ignored); `expand` makes it one cell per point, each with `point` set and `row` the
    index of the row it came from.
    """

    part: str
    count: int
    points: float
    theme: str | None = None
    competency: str | None = None
    type: str | None = None
    difficulty: tuple[int, int] | None = None
    level: str | None = None
    audience: str | None = None
    point: str | None = None
    per_point: bool = False
    row: int = -1

    def __post_init__(self):
        if self.count < 0 or self.points < 0:
            raise ValueError(
                f"a blueprint row needs a count and points of 0 or more, not {self.count}, {self.points}"
            )
        if self.difficulty is not None and self.difficulty[0] > self.difficulty[1]:
            raise ValueError(f"the difficulty range {self.difficulty[0]}–{self.difficulty[1]} is empty")

    def matches(self, item: BankItem) -> bool:
        return (
            (self.theme is None or item.theme == self.theme)
            and (self.competency is None or self.competency in item.competencies)
            and (self.type is None or item.type == self.type)
            and (
                self.difficulty is None
                or (
                    item.difficulty is not None
                    and self.difficulty[0] <= item.difficulty <= self.difficulty[1]
                )
            )
            and (self.level is None or item.level == self.level)
            and (self.audience is None or (item.audience or "both") in (self.audience, "both"))
            and (self.point is None or self.point in item.standards)
        )


@dataclass(frozen=True)
class Shortfall:
    cell: int  # index into the blueprint
    wanted: int
    available: int  # how many it can get once every other cell has taken as many as it can
    matching: int = field(default=0, compare=False)  # how many questions match it at all
    points: tuple[str, ...] = field(default=(), compare=False)  # a per-point row: the points left short


@dataclass(frozen=True)
class PaperItem:
    position: int
    version_id: int
    part: str
    points: float
    option_seed: str
    cell: int = -1  # the cell (of the cells drawn from) this question fills
    key: str = ""
    point: str = ""  # the assessment point it stands for, in a per-point row


class BlueprintShort(Exception):
    """The bank cannot fill the blueprint; `shortfalls` names every short row."""

    def __init__(self, shortfalls: list[Shortfall]):
        self.shortfalls = list(shortfalls)
        super().__init__(
            "; ".join(
                f"row {s.cell + 1} wants {s.wanted}, only {s.available} available" for s in self.shortfalls
            )
        )


class _Matching:
    """Cells with capacities against questions, each question in at most one cell.

    `candidates[c]` lists the question indices cell `c` accepts, in the order they are preferred (the
    seeded shuffle), so both the greedy fill and the augmenting paths are reproducible.
    """

    def __init__(self, candidates: list[list[int]], caps: list[int], n_items: int):
        self.candidates = candidates
        self.caps = list(caps)
        self.owner = [-1] * n_items
        self.taken: list[list[int]] = [[] for _ in caps]

    def copy(self) -> "_Matching":
        other = _Matching(self.candidates, self.caps, 0)
        other.owner, other.taken = list(self.owner), [list(t) for t in self.taken]
        return other

    def size(self) -> int:
        return sum(len(t) for t in self.taken)

    def greedy(self, order: Sequence[int]) -> None:
        for c in order:
            for i in self.candidates[c]:
                if len(self.taken[c]) >= self.caps[c]:
                    break
                if self.owner[i] == -1:
                    self.owner[i] = c
                    self.taken[c].append(i)

    def release(self, c: int) -> None:
        for i in self.taken[c]:
            self.owner[i] = -1
        self.taken[c] = []
        self.caps[c] = 0

    def augment(self) -> bool:
        """One more question into a cell below capacity, moving others along a path. False: maximal."""
        roots = [c for c, cap in enumerate(self.caps) if len(self.taken[c]) < cap]
        via: dict[int, int | None] = dict.fromkeys(roots)  # cell -> the item it was reached through
        came: dict[int, int] = {}  # item -> the cell it was reached from
        queue = deque(roots)
        while queue:
            c = queue.popleft()
            for i in self.candidates[c]:
                if i in came or self.owner[i] == c:
                    continue
                came[i] = c
                holder = self.owner[i]
                if holder == -1:
                    self._shift(i, came, via)
                    return True
                if holder not in via:
                    via[holder] = i
                    queue.append(holder)
        return False

    def _shift(self, i: int, came: dict[int, int], via: dict[int, int | None]) -> None:
        item: int | None = i
        while item is not None:
            cell, holder = came[item], self.owner[item]
            if holder != -1:
                self.taken[holder].remove(item)
            self.owner[item] = cell
            self.taken[cell].append(item)
            item = via[cell]

    def fill(self) -> None:
        while self.augment():
            pass


def _canonical(bank: Sequence[BankItem]) -> list[BankItem]:
    """The bank in an order that does not depend on how it was queried; one entry per question key."""
    items = sorted(bank, key=lambda b: (b.key, b.version_id))
    for a, b in itertools.pairwise(items):
        if a.key == b.key:
            raise ValueError(
                f"question {a.key} appears twice in the bank (versions {a.version_id}, {b.version_id})"
            )
    return items


def _matching(cells: Sequence[Cell], items: Sequence[BankItem]) -> _Matching:
    candidates = [[i for i, item in enumerate(items) if cell.matches(item)] for cell in cells]
    m = _Matching(candidates, [cell.count for cell in cells], len(items))
    # The most constrained cells (least room to spare) choose first; augmenting paths repair the rest.
    m.greedy(sorted(range(len(cells)), key=lambda c: (len(candidates[c]) - cells[c].count, c)))
    m.fill()
    return m


def _shortfalls(cells: Sequence[Cell], m: _Matching) -> list[Shortfall]:
    """A cell's `available` = the maximum paper size minus the maximum without that cell: what it can
    still get once all the other cells have taken as many questions as they can. Every short cell is
    listed, and the list is empty exactly when the whole blueprint can be filled.

    Two cells wanting 2 each of the same 3 questions are both short, with 1 available each. A cell that
    overlaps every other one and wants more than the bank holds leaves nothing to the others, so they are
    all listed with 0 available; `matching` (the questions that fit the cell at all) then shows which
    cell is really too big.
    """
    most = m.size()
    if most == sum(cell.count for cell in cells):
        return []
    found = []
    for c, cell in enumerate(cells):
        if cell.count == 0:
            continue
        without = m.copy()
        without.release(c)
        without.fill()
        available = most - without.size()
        if available < cell.count:
            found.append(Shortfall(c, cell.count, available, matching=len(m.candidates[c])))
    return found


def shortfalls(cells: list[Cell], bank: list[BankItem]) -> list[Shortfall]:
    """Every blueprint row the bank cannot fill (see `_shortfalls`); empty iff `assemble` succeeds."""
    return _shortfalls(cells, _matching(cells, _canonical(bank)))


def assemble(
    cells: list[Cell], bank: list[BankItem], seed: int, shuffle_questions: bool = True
) -> list[PaperItem]:
    """A paper filling every cell with `count` matching questions, no question twice; BlueprintShort if
    the bank cannot. The same seed, bank and cells give the same paper, whatever the bank's order.

    The draw: the bank is shuffled by the seeded RNG, the most constrained cells take the first free
    questions they accept, and augmenting paths (which also follow the shuffled order) fill what is left.
    Questions are then shuffled across the paper, or kept cell by cell in blueprint order; each position
    gets an option seed derived from the paper's seed and the position.
    """
    rng = random.Random(seed)
    items = _canonical(bank)
    rng.shuffle(items)
    m = _matching(cells, items)
    if m.size() < sum(cell.count for cell in cells):
        raise BlueprintShort(_shortfalls(cells, m))
    chosen = [(c, items[i]) for c in range(len(cells)) for i in m.taken[c]]
    if shuffle_questions:
        rng.shuffle(chosen)
    return [
        PaperItem(
            position=position,
            version_id=item.version_id,
            part=cells[c].part,
            points=cells[c].points,
            option_seed=f"{seed}:{position}:{rng.getrandbits(32)}",
            cell=c,
            key=item.key,
            point=cells[c].point or "",
        )
        for position, (c, item) in enumerate(chosen, start=1)
    ]


def row_points(row: Cell, points: Iterable[Point]) -> list[Point]:
    """The points a per-point row covers, in id order: those of its theme and level, for its audience or
    for both (every audience when the row names none)."""
    return sorted(
        (
            p
            for p in points
            if p.theme == row.theme
            and p.level == row.level
            and (row.audience is None or p.audience in (row.audience, "both"))
        ),
        key=lambda p: p.id,
    )


def expand(rows: Sequence[Cell], points: Iterable[Point]) -> list[Cell]:
    """The cells a paper is drawn from: a per-point row becomes one cell per point it covers (one question
    naming that point, the row's points each, its theme, audience, competency, type and difficulty kept);
    the question's own level is not asked, as the point carries the level. Other rows stay as they are.
    Every cell keeps the index of its row in `row`."""
    points = list(points)
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        if not row.per_point:
            cells.append(replace(row, row=r))
            continue
        cells += [
            replace(row, count=1, level=None, point=p.id, per_point=False, row=r)
            for p in row_points(row, points)
        ]
    return cells


def repeated(rows: Sequence[Cell], points: Iterable[Point]) -> dict[int, list[str]]:
    """Per-point rows that ask again for points an earlier row covers: {row: [point ids]}. A paper covers
    each point once."""
    points, seen, found = list(points), set(), {}
    for r, row in enumerate(rows):
        if not row.per_point:
            continue
        ids = [p.id for p in row_points(row, points)]
        if again := [pid for pid in ids if pid in seen]:
            found[r] = again
        seen.update(ids)
    return found


def by_row(short: Sequence[Shortfall], cells: Sequence[Cell], rows: Sequence[Cell]) -> list[Shortfall]:
    """Shortfalls of expanded cells told per blueprint row. A per-point row is short by its points without a
    question (`points`: the points no question of the bank names, or whose questions other rows need);
    `wanted` is its number of points. A per-point row that covers no point at all is short too."""
    found: dict[int, Shortfall] = {}
    for s in short:
        cell = cells[s.cell]
        r = cell.row if cell.row >= 0 else s.cell
        if cell.point is None:
            found[r] = replace(s, cell=r)
            continue
        wanted = sum(1 for c in cells if c.row == r)
        before = found.get(r) or Shortfall(r, wanted, wanted)
        found[r] = replace(before, available=before.available - 1, points=(*before.points, cell.point))
    for r, row in enumerate(rows):
        if row.per_point and not any(c.row == r for c in cells):
            found[r] = Shortfall(r, 0, 0)
    return [found[r] for r in sorted(found)]


def overlap(paper_a: Sequence[PaperItem], paper_b: Sequence[PaperItem]) -> float:
    """The share of common questions: |A ∩ B| / the size of the smaller paper (0 when one is empty).

    Questions are compared by key when every item carries one (a revised question is still the same
    question), otherwise by version id.
    """
    if not paper_a or not paper_b:
        return 0.0
    by_key = all(p.key for p in (*paper_a, *paper_b))
    a = {p.key if by_key else p.version_id for p in paper_a}
    b = {p.key if by_key else p.version_id for p in paper_b}
    return len(a & b) / min(len(a), len(b))
