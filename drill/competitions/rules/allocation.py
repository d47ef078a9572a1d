"""Peer-review allocation: who scores which case-round entry.

The rules:
- every entry gets exactly `k` distinct reviewers, never its author and, when `separate_branches` is on,
  nobody from the author's branch;
- load is balanced: the allocation minimises Σ load², so whenever some allocation keeps every reviewer at
  ⌊m⌋ or ⌈m⌉ reviews (m = entries × k / reviewers, hence within ±1 of the mean), this one does; when the
  rules forbid that (a big branch with few entries outside it), it is the most even one possible
  (`Allocation.balanced` says which);
- deterministic: the same entries and reviewers (in any order), `k`, rule and `seed` give the same result;
- never silently short: an entry with fewer than `k` eligible reviewers makes `allocate` raise
  `InfeasibleAllocation`, naming every such entry and why.

Method: a greedy pass (entries with the fewest eligible reviewers first, otherwise in seeded random order,
each to its `k` least-loaded eligible reviewers, ties by a seeded random rank), then repair: while a
review can move along an alternating path (r₀ gives entry e₁ to r₁, r₁ gives e₂ to r₂, …) from a reviewer
to one with at least 2 fewer reviews, move it. Each move lowers Σ load²; when none is left there is no
negative cycle in the residual flow network, so Σ load² is minimal, and the load vector minimising Σ load²
is the most even one (least maximum, greatest minimum). The tests check this against an independent
max-flow oracle.

Ids are ints or strs, all of one kind.
"""

import heapq
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Id = Hashable


@dataclass(frozen=True)
class Entry:
    id: Id
    author_id: Id
    branch: str  # the author's branch


@dataclass(frozen=True)
class Reviewer:
    id: Id
    branch: str


@dataclass(frozen=True)
class Shortfall:
    entry_id: Id
    branch: str
    eligible: int
    needed: int

    def describe(self, separate_branches: bool) -> str:
        among = f"outside branch {self.branch}" if separate_branches else "other than its author"
        return f"entry {self.entry_id}: only {self.eligible} reviewers {among}, {self.needed} needed"


class InfeasibleAllocation(ValueError):
    """Some entries cannot get `k` eligible reviewers; `shortfalls` lists every one of them."""

    def __init__(self, shortfalls: Sequence[Shortfall], separate_branches: bool):
        self.shortfalls = tuple(shortfalls)
        super().__init__("; ".join(s.describe(separate_branches) for s in self.shortfalls))


@dataclass(frozen=True)
class Allocation:
    k: int
    assignments: Mapping[Id, tuple[Id, ...]]  # entry id -> its reviewers' ids
    loads: Mapping[Id, int]  # reviewer id -> how many entries they review (0 included)

    @property
    def balanced(self) -> bool:
        """Every reviewer has ⌊m⌋ or ⌈m⌉ reviews, m the mean load."""
        total, n = sum(self.loads.values()), len(self.loads)
        return not n or all(total // n <= load <= -(-total // n) for load in self.loads.values())

    def entries_of(self, reviewer_id: Id) -> tuple[Id, ...]:
        return tuple(e for e, rs in self.assignments.items() if reviewer_id in rs)


@dataclass(frozen=True)
class Move:
    entry_id: Id
    from_id: Id
    to_id: Id


@dataclass(frozen=True)
class Reallocation:
    allocation: Allocation
    moves: tuple[Move, ...]
    flagged: tuple[tuple[Id, Id], ...]  # (entry, late reviewer) pairs nobody eligible could take over


def eligible(entry: Entry, reviewer: Reviewer, separate_branches: bool) -> bool:
    """May `reviewer` score `entry`? Never the author; with `separate_branches`, never the same branch."""
    return reviewer.id != entry.author_id and not (separate_branches and reviewer.branch == entry.branch)


def _ranked(items, seed):
    """Sorted by id (so input order does not matter), then shuffled by the seed."""
    out = sorted(items, key=lambda x: repr(x.id))
    random.Random(seed).shuffle(out)
    return out


def allocate(
    entries: Iterable[Entry],
    reviewers: Iterable[Reviewer],
    k: int = 3,
    *,
    separate_branches: bool = False,
    seed: int = 0,
) -> Allocation:
    entries, reviewers = list(entries), list(reviewers)
    if k < 1:
        raise ValueError(f"each entry needs at least one reviewer (k={k})")
    for kind, ids in (("entry", [e.id for e in entries]), ("reviewer", [r.id for r in reviewers])):
        if dupes := sorted((repr(i) for i, n in Counter(ids).items() if n > 1)):
            raise ValueError(f"duplicate {kind} ids: {', '.join(dupes)}")
    by_id = {r.id: r for r in reviewers}
    per_branch = Counter(r.branch for r in reviewers)
    shortfalls, choice = [], {}
    for e in entries:
        out = per_branch[e.branch] if separate_branches else 0
        author = by_id.get(e.author_id)
        if author is not None and not (separate_branches and author.branch == e.branch):
            out += 1
        choice[e.id] = len(reviewers) - out
        if choice[e.id] < k:
            shortfalls.append(Shortfall(e.id, e.branch, choice[e.id], k))
    if shortfalls:
        raise InfeasibleAllocation(shortfalls, separate_branches)

    order = _ranked(reviewers, seed)
    rank = {r.id: i for i, r in enumerate(order)}
    assigned: dict[Id, set[Id]] = {}
    held: dict[Id, set[Id]] = {r.id: set() for r in order}
    heaps: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (load, rank) by branch, or all in one
    for i, r in enumerate(order):  # ascending ranks at load 0: already heaps
        heaps[r.branch if separate_branches else ""].append((0, i))
    for e in sorted(_ranked(entries, seed + 1), key=lambda e: choice[e.id]):  # least choice first
        groups = [g for g in heaps if not (separate_branches and g == e.branch)]
        chosen, skipped = [], []
        while len(chosen) < k:
            group = min((g for g in groups if heaps[g]), key=lambda g: heaps[g][0])
            load, i = heapq.heappop(heaps[group])
            (chosen if order[i].id != e.author_id else skipped).append((group, load, i))
        for group, load, i in chosen:
            heapq.heappush(heaps[group], (load + 1, i))
            held[order[i].id].add(e.id)
        for group, load, i in skipped:
            heapq.heappush(heaps[group], (load, i))
        assigned[e.id] = {order[i].id for _, _, i in chosen}
    _rebalance({e.id: e for e in entries}, order, assigned, held, separate_branches)
    return Allocation(
        k=k,
        assignments={e.id: tuple(sorted(assigned[e.id], key=rank.__getitem__)) for e in entries},
        loads={r.id: len(held[r.id]) for r in reviewers},
    )


def _rebalance(entries, order, assigned, held, separate_branches):
    """Move reviews along alternating paths from heavier to lighter reviewers until none is left.

    Passes go down from the heaviest level; a pass that moved nothing proves the allocation optimal.
    """
    moved = bool(held)
    while moved:
        moved = False
        level = max(len(h) for h in held.values())
        while level - 2 >= min(len(h) for h in held.values()):
            sources = [r for r in order if len(held[r.id]) == level]
            path = _find_path(entries, order, sources, assigned, held, level - 2, separate_branches)
            if not path:
                level -= 1
                continue
            moved = True
            for e_id, giver, taker in path:
                held[giver].remove(e_id)
                held[taker].add(e_id)
                assigned[e_id].remove(giver)
                assigned[e_id].add(taker)


def _find_path(entries, order, sources, assigned, held, target_load, separate_branches):
    """Breadth-first search for moves (entry, giver, taker) ending at a reviewer with ≤ target_load."""
    unvisited: dict[str, dict[Id, Reviewer]] = defaultdict(dict)
    source_ids = {r.id for r in sources}
    for r in order:
        if r.id not in source_ids:
            unvisited[r.branch][r.id] = r
    parent: dict[Id, tuple[Id, Id]] = {}
    queue = [r.id for r in sources]
    for giver in queue:  # the list grows as the search goes
        for e_id in sorted(held[giver], key=repr):
            entry = entries[e_id]
            for branch in sorted(unvisited):
                if separate_branches and branch == entry.branch:
                    continue
                group = unvisited[branch]
                for r_id in [r for r in group if r != entry.author_id and r not in assigned[e_id]]:
                    del group[r_id]
                    parent[r_id] = (e_id, giver)
                    if len(held[r_id]) <= target_load:
                        path, taker = [], r_id
                        while taker not in source_ids:
                            e, g = parent[taker]
                            path.append((e, g, taker))
                            taker = g
                        return path
                    queue.append(r_id)
    return None


def reallocate(
    allocation: Allocation,
    missing: Iterable[tuple[Id, Id]],
    entries: Iterable[Entry],
    reviewers: Iterable[Reviewer],
    *,
    separate_branches: bool = False,
    unavailable: Iterable[Id] = (),
    seed: int = 0,
) -> Reallocation:
    """Move reviews not done by the deadline, given as (entry id, reviewer id) pairs.

    Each goes to the eligible reviewer with the least load (ties by the seeded rank) who does not already
    review that entry and is neither late on any review nor `unavailable`: a reviewer who let one review
    lapse is not handed more. When nobody qualifies, the pair is `flagged` and stays as it was: that entry
    will have fewer than k reviews, and the aggregation rules send it to a judge.
    """
    entry_of = {e.id: e for e in entries}
    missing = sorted(set(missing), key=repr)
    for e_id, r_id in missing:
        if r_id not in allocation.assignments.get(e_id, ()):
            raise ValueError(f"reviewer {r_id!r} was not allocated entry {e_id!r}")
    barred = {r for _, r in missing} | set(unavailable)
    order = _ranked(reviewers, seed)
    loads = dict(allocation.loads)
    assigned = {e: list(rs) for e, rs in allocation.assignments.items()}
    moves, flagged = [], []
    for e_id, late in missing:
        entry = entry_of[e_id]
        candidates = [
            r
            for r in order
            if r.id not in barred and r.id not in assigned[e_id] and eligible(entry, r, separate_branches)
        ]
        if not candidates:
            flagged.append((e_id, late))
            continue
        taker = min(candidates, key=lambda r: loads[r.id]).id  # min keeps the first (best-ranked) of ties
        assigned[e_id][assigned[e_id].index(late)] = taker
        loads[late] -= 1
        loads[taker] += 1
        moves.append(Move(e_id, late, taker))
    new = Allocation(allocation.k, {e: tuple(rs) for e, rs in assigned.items()}, loads)
    return Reallocation(new, tuple(moves), tuple(flagged))
