"""Near-copies among free-text answers, and identical wrong-answer patterns on objective items.

Pure rules: no Flask, no database. The app, `drill similar` and the benchmark all call these functions.

Free text (open answers, case entries), Chinese or not, without word segmentation:

1. normalise: NFKC (full-width → half-width), lower case, drop white space and punctuation;
2. shingle: every run of `n` consecutive characters (default 4) is one shingle; a text's shingles are a set;
3. sketch: a MinHash signature of 192 values by one-permutation hashing (each shingle hashed once; in each
   of four passes a multiply-shift of that hash picks one of 48 bins, which keeps its smallest value;
   empty bins borrow from the next full one), so a sketch costs four cheap passes over the shingles;
4. LSH: the signature is cut into 64 bands of 3 values; two texts that agree on a whole band become a
   candidate pair (a pair of Jaccard 0.4 is a candidate with p ≈ 0.985, 0.5 with p > 0.9998, 0.1 with
   p ≈ 0.06), so only a small share of all pairs is ever looked at;
5. verify: a candidate's similarity is the exact Jaccard index of the two shingle sets; a pair at or above
   the threshold (default 0.4: independent answers to one case, written from the same stock phrases,
   stay below about 0.35 in the seeded tests; a copy with a few edits stays above about 0.4) is reported.

Texts shorter than `min_chars` (after normalising) are left out: two identical one-word answers are not
evidence of copying. Shingles of an `ignore` text (the question, the case materials) do not count, so two
candidates quoting the question are not flagged for it.

A flag is a prompt for a person to look, never a finding.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

SHINGLE = 4
THRESHOLD = 0.4
MIN_CHARS = 20
BANDS, ROWS = 64, 3
_EMPTY = 1 << 40


@dataclass(frozen=True)
class Pair:
    a: Hashable
    b: Hashable
    similarity: float


def _kept(char: str) -> bool:
    category = unicodedata.category(char)
    return not (category[0] in "PZC" or category in ("Sk", "Sm", "So"))


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as compared, and for each of its characters the index of the original one."""
    chars, where = [], []
    for index, original in enumerate(text):
        for char in unicodedata.normalize("NFKC", original).lower():
            if _kept(char):
                chars.append(char)
                where.append(index)
    return "".join(chars), where


def shingles(text: str, n: int = SHINGLE, ignore: frozenset[str] = frozenset()) -> frozenset[str]:
    norm, _ = normalise(text)
    if len(norm) < n:
        return frozenset()
    return frozenset(norm[i : i + n] for i in range(len(norm) - n + 1)) - ignore


_MASK = (1 << 64) - 1
# multiply-shift hash families, one per pass: odd multipliers, fixed so that a run is reproducible
_PASSES = (
    (0x9E3779B97F4A7C15, 0x632BE59BD9B4E019),
    (0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9),
    (0xD6E8FEB86659FD93, 0x85EBCA77C2B2AE63),
    (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53),
)
_BINS = BANDS * ROWS // len(_PASSES)


def _hash(item: str) -> int:
    return int.from_bytes(hashlib.blake2b(item.encode(), digest_size=8).digest(), "little")


def signature(items: Iterable[str]) -> tuple[int, ...]:
    """MinHash by one-permutation hashing, in four passes of 48 bins each (so that a bin is seldom empty
    for a text of a few dozen characters); an empty bin borrows from the next full one (densification by
    rotation, Shrivastava 2017). One hash per shingle and pass, not one per signature value."""
    hashes = [_hash(item) for item in items]
    out: list[int] = []
    for multiplier, increment in _PASSES:
        bins = [_EMPTY] * _BINS
        for h in hashes:
            mixed = (h * multiplier + increment) & _MASK
            slot, value = (mixed >> 32) % _BINS, mixed & 0xFFFFFFFF
            if value < bins[slot]:
                bins[slot] = value
        if all(v == _EMPTY for v in bins):
            out.extend(bins)
            continue
        for i in range(_BINS):
            if bins[i] == _EMPTY:
                step = 1
                while bins[(i + step) % _BINS] == _EMPTY:
                    step += 1
                out.append(bins[(i + step) % _BINS] + step * (1 << 32))
            else:
                out.append(bins[i])
    return tuple(out)


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def similar_pairs(
    texts: Mapping[Hashable, str],
    *,
    threshold: float = THRESHOLD,
    n: int = SHINGLE,
    min_chars: int = MIN_CHARS,
    ignore: str = "",
) -> list[Pair]:
    """Every pair of texts whose shingle sets have a Jaccard index ≥ threshold, most similar first
    (ties by the order the texts were given). Keys are kept as given; `a` is the one given first."""
    ignored = shingles(ignore, n) if ignore else frozenset()
    keys = list(texts)
    sets: list[frozenset[str]] = []
    kept: list[int] = []
    for position, key in enumerate(keys):
        norm, _ = normalise(texts[key])
        items = shingles(texts[key], n, ignored) if len(norm) >= min_chars else frozenset()
        sets.append(items)
        if items:
            kept.append(position)
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for position in kept:
        sig = signature(sets[position])
        for band in range(BANDS):
            buckets[(band, *sig[band * ROWS : (band + 1) * ROWS])].append(position)
    candidates: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) > 1:
            candidates.update(combinations(members, 2))
    pairs = []
    for i, j in candidates:
        value = jaccard(sets[i], sets[j])
        if value >= threshold:
            pairs.append((value, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return [Pair(keys[i], keys[j], round(value, 4)) for value, i, j in pairs]


@dataclass(frozen=True)
class Segment:
    text: str
    shared: bool


def overlap(text: str, other: str, n: int = SHINGLE) -> list[Segment]:
    """`text` cut into runs that do (shared) or do not appear in `other`, for highlighting side by side.
    Plain strings: the page escapes them."""
    theirs = shingles(other, n)
    norm, where = normalise(text)
    marked = [False] * len(text)
    for i in range(len(norm) - n + 1):
        if norm[i : i + n] in theirs:
            for k in range(i, i + n):
                marked[where[k]] = True
    # characters dropped by normalising (spaces, punctuation) between two shared ones are shared too
    for i in range(1, len(text) - 1):
        if not marked[i] and marked[i - 1] and not _kept_any(text[i]):
            j = i
            while j < len(text) and not _kept_any(text[j]):
                j += 1
            if j < len(text) and marked[j]:
                for k in range(i, j):
                    marked[k] = True
    segments: list[Segment] = []
    for char, shared in zip(text, marked, strict=True):
        if segments and segments[-1].shared == shared:
            segments[-1] = Segment(segments[-1].text + char, shared)
        else:
            segments.append(Segment(char, shared))
    return segments


def _kept_any(char: str) -> bool:
    return any(_kept(c) for c in unicodedata.normalize("NFKC", char))


@dataclass(frozen=True)
class ChoicePair:
    a: Hashable
    b: Hashable
    shared: tuple[Hashable, ...]  # the questions both answered wrong, the same way
    similarity: float  # shared / the smaller of their wrong-answer counts


def shared_wrong_answers(
    wrong: Mapping[Hashable, Mapping[Hashable, str]],
    *,
    papers: int | None = None,
    min_shared: int = 3,
    min_share: float = 0.5,
    common: float = 0.5,
) -> list[ChoicePair]:
    """Pairs of papers with the same wrong answers on at least `min_shared` questions, which are at least
    `min_share` of the smaller paper's wrong answers. `wrong` maps a paper to {question: its wrong answer
    as a string}. A wrong answer given by more than `common` of all papers (`papers`, by default those
    given) is a shared misconception, not evidence, and is left out once there are at least six papers."""
    total = papers if papers is not None else len(wrong)
    by_answer: dict[tuple[Hashable, str], list[Hashable]] = defaultdict(list)
    for paper, answers in wrong.items():
        for question, answer in answers.items():
            by_answer[(question, answer)].append(paper)
    order = {paper: i for i, paper in enumerate(wrong)}
    together: dict[tuple[Hashable, Hashable], list[Hashable]] = defaultdict(list)
    for (question, _answer), members in by_answer.items():
        if len(members) < 2 or (total >= 6 and len(members) > common * total):
            continue
        members = sorted(members, key=order.__getitem__)
        for a, b in combinations(members, 2):
            together[(a, b)].append(question)
    pairs = []
    for (a, b), questions in together.items():
        smaller = min(len(wrong[a]), len(wrong[b]))
        share = len(questions) / smaller if smaller else 0.0
        if len(questions) >= min_shared and share >= min_share:
            pairs.append(ChoicePair(a, b, tuple(questions), round(share, 4)))
    pairs.sort(key=lambda p: (-len(p.shared), -p.similarity, order[p.a], order[p.b]))
    return pairs
