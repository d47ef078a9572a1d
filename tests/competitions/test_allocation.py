"""Peer-review allocation: k reviewers per entry, never the author, branches apart on request, even load."""

import random
import time
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.competitions.rules.allocation import (
    Allocation,
    Entry,
    InfeasibleAllocation,
    Move,
    Reviewer,
    allocate,
    eligible,
    reallocate,
)


def people(*branch_sizes):
    """Participants p0, p1, … over branches A, B, …; each writes one entry and reviews."""
    out, n = [], 0
    for b, size in enumerate(branch_sizes):
        for _ in range(size):
            out.append((f"p{n}", "ABCDEFGHIJ"[b] if b < 10 else f"B{b}"))
            n += 1
    return [Entry(f"e{p}", p, b) for p, b in out], [Reviewer(p, b) for p, b in out]


def _max_flow(cap, s, t):
    """Edmonds–Karp on {u: {v: capacity}}; small graphs only (the test oracle)."""
    flow = 0
    while True:
        parent, queue = {s: None}, [s]
        for u in queue:
            for v, c in cap[u].items():
                if c > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if t not in parent:
            return flow
        path, v = [], t
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(cap[u][v] for u, v in path)
        for u, v in path:
            cap[u][v] -= push
            cap[v][u] = cap[v].get(u, 0) + push
        flow += push


def loads_possible(entries, reviewers, k, separate, lo, hi):
    """Independent oracle: is there an allocation with every load in [lo, hi]? (flow with lower bounds)"""
    cap = defaultdict(dict)
    for e in entries:
        cap["S'"][("e", e.id)] = k
        for r in reviewers:
            if eligible(e, r, separate):
                cap[("e", e.id)][("r", r.id)] = 1
    for r in reviewers:
        cap[("r", r.id)]["t"] = hi - lo
        cap[("r", r.id)]["T'"] = lo
    cap["t"]["s"] = 10**9
    cap["s"]["T'"] = k * len(entries)
    cap["S'"]["t"] = lo * len(reviewers)
    need = k * len(entries) + lo * len(reviewers)
    return _max_flow(cap, "S'", "T'") == need


@st.composite
def cases(draw, max_people=14):
    branches = draw(st.integers(1, 4))
    roster = [
        (f"p{i}", f"b{draw(st.integers(0, branches - 1))}") for i in range(draw(st.integers(1, max_people)))
    ]
    writers = draw(st.lists(st.sampled_from(roster), max_size=max_people)) if roster else []
    entries = [Entry(f"e{i}", p, b) for i, (p, b) in enumerate(writers)]  # an author may write several
    extra = [
        Reviewer(f"x{i}", f"b{draw(st.integers(0, branches - 1))}") for i in range(draw(st.integers(0, 3)))
    ]
    reviewers = [Reviewer(p, b) for p, b in roster if draw(st.booleans())] + extra
    return entries, reviewers, draw(st.integers(1, 4)), draw(st.booleans()), draw(st.integers(0, 5))


def eligible_count(entry, reviewers, separate):
    return sum(eligible(entry, r, separate) for r in reviewers)


@settings(deadline=None)
@given(cases())
def test_every_entry_gets_k_eligible_reviewers_or_the_shortfall_is_named(case):
    entries, reviewers, k, separate, seed = case
    short = {e.id for e in entries if eligible_count(e, reviewers, separate) < k}
    if short:
        with pytest.raises(InfeasibleAllocation) as raised:
            allocate(entries, reviewers, k, separate_branches=separate, seed=seed)
        assert {s.entry_id for s in raised.value.shortfalls} == short
        return
    allocation = allocate(entries, reviewers, k, separate_branches=separate, seed=seed)
    by_id = {r.id: r for r in reviewers}
    for e in entries:
        chosen = allocation.assignments[e.id]
        assert len(chosen) == len(set(chosen)) == k
        assert e.author_id not in chosen  # never self-review
        if separate:
            assert all(by_id[r].branch != e.branch for r in chosen)
    counted = Counter(r for rs in allocation.assignments.values() for r in rs)
    assert allocation.loads == {r.id: counted[r.id] for r in reviewers}


@settings(deadline=None, max_examples=60)
@given(cases(max_people=10))
def test_load_is_as_even_as_the_rules_allow(case):
    entries, reviewers, k, separate, seed = case
    if not entries or any(eligible_count(e, reviewers, separate) < k for e in entries):
        return
    allocation = allocate(entries, reviewers, k, separate_branches=separate, seed=seed)
    loads = allocation.loads.values()
    total, n = k * len(entries), len(reviewers)
    if loads_possible(entries, reviewers, k, separate, total // n, -(-total // n)):
        assert allocation.balanced  # within ±1 of the mean whenever any allocation is
        assert max(loads) - min(loads) <= 1
    assert not loads_possible(entries, reviewers, k, separate, 0, max(loads) - 1)  # no lower maximum
    assert not loads_possible(entries, reviewers, k, separate, min(loads) + 1, total)  # no higher minimum


@settings(deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=6), st.integers(1, 4), st.integers(0, 99))
def test_when_everyone_writes_and_reviews_everyone_reviews_exactly_k(sizes, k, seed):
    entries, reviewers = people(*sizes)
    separate = len(reviewers) >= 2 * max(sizes) + k - 1  # then a rotation proves exact balance possible
    if len(reviewers) < k + 1:
        return
    allocation = allocate(entries, reviewers, k, separate_branches=separate, seed=seed)
    assert set(allocation.loads.values()) == {k}


def test_the_same_seed_gives_the_same_allocation_whatever_the_input_order():
    entries, reviewers = people(5, 4, 6)
    first = allocate(entries, reviewers, separate_branches=True, seed=7)
    again = allocate(
        entries[::-1], random.Random(1).sample(reviewers, len(reviewers)), separate_branches=True, seed=7
    )
    assert first == again
    assert first != allocate(entries, reviewers, separate_branches=True, seed=8)


def test_too_few_reviewers_outside_a_branch_is_reported_entry_by_entry():
    entries, reviewers = people(3, 2)  # A: p0–p2, B: p3–p4
    with pytest.raises(InfeasibleAllocation) as raised:
        allocate(entries, reviewers, 3, separate_branches=True)
    assert [s.entry_id for s in raised.value.shortfalls] == ["ep0", "ep1", "ep2"]
    assert "entry ep0: only 2 reviewers outside branch A, 3 needed" in str(raised.value)
    allocate(entries, reviewers, 3)  # without the branch rule there are 4 others for everyone


def test_an_author_with_no_one_else_to_review_is_reported():
    with pytest.raises(InfeasibleAllocation, match="only 0 reviewers other than its author, 1 needed"):
        allocate([Entry("e", "a", "A")], [Reviewer("a", "A")], k=1)


def test_bad_input_is_refused():
    entries, reviewers = people(4)
    with pytest.raises(ValueError, match="at least one reviewer"):
        allocate(entries, reviewers, k=0)
    with pytest.raises(ValueError, match="duplicate reviewer ids: 'p0'"):
        allocate(entries, [*reviewers, reviewers[0]])


def test_a_big_branch_with_few_entries_outside_it_is_as_even_as_possible():
    # 6 reviewers in A can only review B's 2 entries (4 reviews between them); B's 2 reviewers take A's 6.
    entries, reviewers = people(6, 2)
    allocation = allocate(entries, reviewers, 2, separate_branches=True)
    assert not allocation.balanced
    assert sorted(allocation.loads.values()) == [0, 0, 1, 1, 1, 1, 6, 6]


def test_a_provincial_round_allocates_quickly():
    entries, reviewers = people(*[50] * 100)  # 5,000 participants in 100 branches
    started = time.perf_counter()
    allocation = allocate(entries, reviewers, 3, separate_branches=True, seed=1)
    assert time.perf_counter() - started < 10
    assert set(allocation.loads.values()) == {3}


def two_branches():
    entries, reviewers = people(3, 3)  # A: p0–p2, B: p3–p5
    return entries, reviewers, allocate(entries, reviewers, 2, separate_branches=True, seed=3)


def test_a_late_review_goes_to_the_least_loaded_eligible_reviewer_who_is_not_late():
    entries, reviewers, allocation = two_branches()
    late = allocation.assignments["ep0"][0]
    loads = dict(allocation.loads)
    done = reallocate(allocation, [("ep0", late)], entries, reviewers, separate_branches=True, seed=3)
    (move,) = done.moves
    assert move.entry_id == "ep0" and move.from_id == late
    assert move.to_id not in allocation.assignments["ep0"] and move.to_id in {"p3", "p4", "p5"}
    assert done.allocation.loads[late] == loads[late] - 1
    assert done.allocation.loads[move.to_id] == loads[move.to_id] + 1 == 3
    assert sorted(done.allocation.assignments["ep0"]) == sorted(
        [r for r in allocation.assignments["ep0"] if r != late] + [move.to_id]
    )
    assert done.flagged == ()


def test_a_late_review_nobody_eligible_can_take_is_flagged():
    entries, reviewers = people(2, 2)  # B has exactly k=2 reviewers for A's entries
    allocation = allocate(entries, reviewers, 2, separate_branches=True)
    late = allocation.assignments["ep0"][0]
    done = reallocate(allocation, [("ep0", late)], entries, reviewers, separate_branches=True)
    assert done.moves == () and done.flagged == (("ep0", late),)
    assert done.allocation == allocation


def test_a_reviewer_late_anywhere_is_handed_nothing_more():
    entries, reviewers = people(5)  # each reviews the next one's entry: ep0 by p1, …, ep4 by p0
    ring = Allocation(1, {f"ep{i}": (f"p{(i + 1) % 5}",) for i in range(5)}, {f"p{i}": 1 for i in range(5)})
    done = reallocate(ring, [("ep0", "p1"), ("ep1", "p2")], entries, reviewers, unavailable=["p3"])
    # ep0: not p0 (author), p1, p2 (late), p3 (away) -> p4; ep1: p0 (load 1) before p4 (now 2)
    assert done.moves == (Move("ep0", "p1", "p4"), Move("ep1", "p2", "p0"))
    assert done.allocation.loads == {"p0": 2, "p1": 0, "p2": 0, "p3": 1, "p4": 2}


def test_only_allocated_reviews_can_be_missing():
    entries, reviewers, allocation = two_branches()
    outsider = next(r.id for r in reviewers if r.id not in allocation.assignments["ep0"])
    with pytest.raises(ValueError, match="was not allocated"):
        reallocate(allocation, [("ep0", outsider)], entries, reviewers)


@settings(deadline=None)
@given(cases(), st.data())
def test_reallocation_keeps_every_rule(case, data):
    entries, reviewers, k, separate, seed = case
    if not entries or any(eligible_count(e, reviewers, separate) < k for e in entries):
        return
    allocation = allocate(entries, reviewers, k, separate_branches=separate, seed=seed)
    pairs = [(e, r) for e, rs in allocation.assignments.items() for r in rs]
    missing = data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=5))
    done = reallocate(allocation, missing, entries, reviewers, separate_branches=separate, seed=seed)
    by_id, entry_of = {r.id: r for r in reviewers}, {e.id: e for e in entries}
    late = {r for _, r in missing}
    for e_id, chosen in done.allocation.assignments.items():
        assert len(set(chosen)) == k
        assert all(eligible(entry_of[e_id], by_id[r], separate) for r in chosen)
    assert {m.to_id for m in done.moves}.isdisjoint(late)
    assert len(done.moves) + len(done.flagged) == len(missing)
    assert sum(done.allocation.loads.values()) == k * len(entries)
