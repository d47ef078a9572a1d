"""Peer scores from a reviewer bias and a reviewer reliability, estimated from the whole round.

The model (after Piech et al., "Tuned Models of Peer Assessment in MOOCs", 2013), criterion by criterion
(a rubric without criteria is one criterion, the total):

    score given by reviewer r to entry e  =  true score of e  +  bias of r  +  noise of r
    score given by r to example x         =  the experts' score of x  +  bias of r  +  noise of r

- true scores spread around the round's average (its mean μ and spread V are estimated from the round);
- a bias is a reviewer's habit of scoring above (+) or below (−) the truth, the same on every entry;
- a reviewer's noise has their own spread σᵣ: a careful reviewer's is small, a careless one's large.
  Their reliability is the share of what they give that is signal, V / (V + σᵣ²), from 0 to 1.

Everything is estimated together, in a fixed number of sweeps (an EM fit with priors):

1. each entry's true score is the weighted mean of the round's average (weight 1) and of its reviews,
   each corrected by its reviewer's bias (kept within 0..max), weighted wᵣ = V / σᵣ²:

       score = (1 × μ + Σ wᵣ × (given − biasᵣ)) / (1 + Σ wᵣ)

2. μ and V from the entries' scores;
3. each reviewer's bias from the differences between what they gave and the experts' scores (examples)
   or the other reviewers' estimate of the entry (leaving their own review out), pulled toward 0 by a
   prior; their σᵣ from what is left, pulled toward a typical reviewer's by a prior worth 4 scores.

A reviewer without calibration is judged on the review graph alone; an entry with one review, or a tiny
round, leans on the round's average and the priors. Inputs are sorted first, so the order of the records
changes nothing, and the fit is deterministic.

The explanation adds up: the shown formula uses the numbers as shown (weights and biases to two decimals,
the round's average to two), and the score is computed from those with exact decimals, rounded half up.
An entry's total is the sum of its criteria's scores. Its uncertainty (± points, one standard deviation)
is the model's posterior spread, widened when its corrected reviews disagree more than the reviewers'
reliabilities predict. Judges are sent the entries with fewer than `min_reviews` reviews and then the most
uncertain ones, up to the budget (a share of the round's entries); each with the reason.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, Inexact
from fractions import Fraction

import numpy as np

from drill.competitions.rules.judging import two_decimals
from drill.messages import N_, Message

SWEEPS = 60
TOLERANCE = 1e-9  # relative to max score: a sweep that moves nothing by more stops the fit


@dataclass(frozen=True)
class Prior:
    """Priors, as shares of a criterion's maximum (they scale with it)."""

    noise_sd: float = 0.08  # a typical reviewer's noise: 8 points on 100
    noise_strength: float = 4.0  # worth this many scores
    bias_sd: float = 0.25  # biases beyond ±25 points on 100 are unlikely
    spread_sd: float = 0.15  # true scores' spread when a round is too small to tell
    spread_strength: float = 4.0  # worth this many entries


@dataclass(frozen=True)
class Criterion:
    id: str
    max_score: float


@dataclass(frozen=True)
class Mark:
    """One reviewer's scores of one entry or example, one per criterion, in the criteria's order."""

    reviewer: str
    target: str
    scores: tuple[float, ...]


@dataclass(frozen=True)
class Round:
    """What the model reads: the criteria, the examples' expert scores, calibration marks and reviews.
    `entries` are all the round's entries (some may have no review yet); `judge_budget` a percentage."""

    criteria: tuple[Criterion, ...]
    examples: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    calibration: tuple[Mark, ...] = ()
    reviews: tuple[Mark, ...] = ()
    entries: tuple[str, ...] = ()
    judge_budget: float = 10.0
    min_reviews: int = 2

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.criteria)


# --- the fit, one criterion ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    mean: float  # μ
    spread: float  # V, a variance
    bias: dict[str, float]
    noise: dict[str, float]  # σᵣ², a variance
    score: dict[str, float]  # posterior mean of each reviewed entry
    variance: dict[str, float]  # its posterior variance, widened by disagreement


def _fit(top: float, expert: dict[str, float], calibration, reviews, prior: Prior) -> _Fit:
    """`calibration` [(reviewer, example, score)], `reviews` [(reviewer, entry, score)], both sorted.

    Each sweep updates every entry from the reviewers, then every reviewer from the entries: within each
    step the updates are independent of one another, so a step is a few operations on arrays (numpy) over
    all reviews at once — a province's round of 15,000 reviews is fitted in a fraction of a second rather
    than ten. Sums run in the order the records come (`np.bincount` adds its weights one by one)."""
    entries = list(dict.fromkeys(e for _r, e, _z in reviews))  # in order of their first review
    reviewers = sorted({r for r, _e, _z in reviews} | {r for r, _x, _z in calibration})
    where = {r: i for i, r in enumerate(reviewers)}
    place = {e: i for i, e in enumerate(entries)}
    n_e, n_r = len(entries), len(reviewers)
    by = np.array([where[r] for r, _e, _z in reviews], dtype=np.intp)  # each review's reviewer
    of = np.array([place[e] for _r, e, _z in reviews], dtype=np.intp)  # and entry
    z = np.array([z for _r, _e, z in reviews], dtype=float)
    cal_by = np.array([where[r] for r, _x, _z in calibration], dtype=np.intp)
    cal_res = np.array([z - expert[x] for _r, x, z in calibration], dtype=float)  # score − expert
    everyone = np.concatenate([cal_by, by])  # a reviewer's residuals: their calibration's, then reviews'
    count = np.bincount(everyone, minlength=n_r).astype(float)
    marks = np.bincount(of, minlength=n_e)

    def per_entry(w):
        return np.bincount(of, weights=w, minlength=n_e)

    def per_reviewer(w):
        return np.bincount(everyone, weights=w, minlength=n_r)

    def corrected(bias):
        return np.minimum(top, np.maximum(0.0, z - bias[by]))  # kept within 0..max

    s0 = (prior.noise_sd * top) ** 2
    v0 = (prior.spread_sd * top) ** 2
    eta = 1 / (prior.bias_sd * top) ** 2
    bias = np.zeros(n_r)
    tau = np.full(n_r, 1 / s0)
    every = sorted(z.tolist())
    mu = (every[(len(every) - 1) // 2] + every[len(every) // 2]) / 2 if every else top / 2
    spread = v0
    m = None
    for _ in range(SWEEPS):
        was_mu, was_bias, was_m = mu, bias, m
        precision = 1 / spread + per_entry(tau[by])
        m = (mu / spread + per_entry(tau[by] * corrected(bias))) / precision
        if n_e:
            mu = sum(m.tolist()) / n_e
            seen = sum((((m - mu) ** 2) + 1 / precision).tolist()) / n_e
            spread = max((n_e * seen + prior.spread_strength * v0) / (n_e + prior.spread_strength), 1e-4 * v0)
        p_out = precision[of] - tau[by]  # each entry as the others (and the prior) see it
        m_out = (m[of] * precision[of] - tau[by] * corrected(bias)) / p_out
        residuals = np.concatenate([cal_res, z - m_out])
        extra = np.bincount(by, weights=1 / p_out, minlength=n_r)
        p_bias = eta + tau * count
        bias = tau * per_reviewer(residuals) / p_bias
        sse = per_reviewer((residuals - bias[everyone]) ** 2) + extra + count / p_bias
        tau = (prior.noise_strength + count) / (prior.noise_strength * s0 + sse)
        moved = max(abs(mu - was_mu), np.abs(bias - was_bias).max(initial=0.0))
        if was_m is not None:
            moved = max(moved, np.abs(m - was_m).max(initial=0.0))
        elif n_e:
            continue  # the first sweep gave the entries their first estimates: nothing to compare yet
        if moved < TOLERANCE * top:
            break
    chi = per_entry(tau[by] * (corrected(bias) - m[of]) ** 2) / np.maximum(marks - 1, 1)
    variance = 1 / precision  # widened where an entry's reviews disagree more than their reliabilities say
    variance = np.where(marks >= 2, variance * np.maximum(1.0, chi), variance)
    return _Fit(
        mu,
        spread,
        dict(zip(reviewers, bias.tolist(), strict=True)),
        dict(zip(reviewers, (1 / tau).tolist(), strict=True)),
        dict(zip(entries, m.tolist(), strict=True)),
        dict(zip(entries, variance.tolist(), strict=True)),
    )


# --- the result, as shown ------------------------------------------------------------------------------


def _d(x: float) -> Decimal:
    return two_decimals(Fraction(x))


def _num(x: float | Decimal) -> str:
    """A score as given: 72, 72.5."""
    return f"{Decimal(repr(x) if isinstance(x, float) else x).normalize():f}"


@dataclass(frozen=True)
class Line:
    """One review of one criterion, as the formula uses it."""

    reviewer: str
    given: float
    bias: Decimal  # to two decimals, as shown
    corrected: Decimal  # given − bias, kept within 0..max
    weight: Decimal  # V / σᵣ², to two decimals, as shown


@dataclass(frozen=True)
class CriterionScore:
    criterion: Criterion
    average: Decimal  # the round's average μ, weight 1
    lines: tuple[Line, ...]
    score: Decimal  # recomputed from the shown numbers
    sd: float  # ± points, one standard deviation

    @property
    def formula(self) -> str:
        top = " + ".join(["1 × " + str(self.average)] + [f"{x.weight} × {x.corrected}" for x in self.lines])
        bottom = " + ".join(["1"] + [str(x.weight) for x in self.lines])
        return f"({top}) / ({bottom}) = {self.score}"


@dataclass(frozen=True)
class EntryResult:
    entry: str
    criteria: tuple[CriterionScore, ...]  # empty without reviews
    score: Decimal | None  # the sum of the criteria's scores; None without reviews
    uncertainty: float  # ± points, one standard deviation, on the total
    reviews: int
    needs_judge: bool = False
    why: Message = field(default_factory=lambda: Message(N_("enough agreeing reviews")))

    @property
    def total_formula(self) -> str:
        parts = " + ".join(str(c.score) for c in self.criteria)
        return f"{parts} = {self.score}"


@dataclass(frozen=True)
class ReviewerResult:
    reviewer: str
    bias: float  # points on the whole scale: negative = below the experts and the other reviewers
    noise: float  # σᵣ on the whole scale, points
    reliability: float  # 0..1
    reviews: int
    calibrated: int  # examples scored
    by_criterion: tuple[tuple[str, float, float], ...]  # (criterion id, bias, reliability)

    @property
    def shown_bias(self) -> Decimal:
        return two_decimals(Fraction(self.bias))


@dataclass(frozen=True)
class Result:
    entries: dict[str, EntryResult]  # every entry of the round, in entry order
    reviewers: dict[str, ReviewerResult]
    budget: int  # how many entries the judge budget allows
    average: Decimal  # the round's average, total


# Sums of products of the numbers as shown (two-decimal weights, corrected scores): exact in 100 digits,
# and an inexact step would raise rather than round.
_EXACT = Context(prec=100, traps=[Inexact])


class _Shown:
    """A criterion's fit as the formulas show it: the round's average, and each reviewer's bias and weight
    to two decimals, each worked out once (a province's reviewers review three entries each)."""

    def __init__(self, criterion: Criterion, fit: _Fit):
        self.criterion, self.fit = criterion, fit
        self.average = _d(fit.mean)
        self.top = Decimal(repr(float(criterion.max_score)))
        self._reviewers: dict[str, tuple[Decimal, Decimal]] = {}

    def reviewer(self, r: str) -> tuple[Decimal, Decimal]:
        found = self._reviewers.get(r)
        if found is None:
            found = self._reviewers[r] = (_d(self.fit.bias[r]), _d(self.fit.spread / self.fit.noise[r]))
        return found


def _score(shown: _Shown, marks: list[tuple[str, float]], entry: str) -> CriterionScore:
    average, lines = shown.average, []
    top, bottom = average, Decimal(1)
    for r, z in marks:
        bias, weight = shown.reviewer(r)
        corrected = min(shown.top, max(Decimal(0), Decimal(repr(z)) - bias))
        lines.append(Line(r, z, bias, corrected, weight))
        top = _EXACT.add(top, _EXACT.multiply(weight, corrected))
        bottom = _EXACT.add(bottom, weight)
    score = two_decimals(Fraction(top) / Fraction(bottom))
    return CriterionScore(shown.criterion, average, tuple(lines), score, shown.fit.variance[entry] ** 0.5)


def _route(found: dict[str, EntryResult], budget: int, min_reviews: int) -> dict[str, EntryResult]:
    """Entries with too few reviews always; then the most uncertain, up to the budget."""
    out = dict(found)
    too_few = [e for e, r in found.items() if r.reviews < min_reviews]
    for e in too_few:
        why = (
            Message(N_("no reviews"))
            if found[e].reviews == 0
            else Message(N_("only %(n)d review(s), %(k)d needed"), n=found[e].reviews, k=min_reviews)
        )
        out[e] = _replace(found[e], True, why)
    ranked = sorted(
        (e for e, r in found.items() if r.reviews >= min_reviews),
        key=lambda e: (-round(found[e].uncertainty, 9), e),
    )
    left = max(0, budget - len(too_few))
    for place, e in enumerate(ranked[:left], start=1):
        r = found[e]
        out[e] = _replace(
            r,
            True,
            Message(
                N_("among the %(budget)d most uncertain of the round (no. %(place)d): ±%(sd)s points"),
                budget=budget,
                place=place,
                sd=f"{r.uncertainty:.1f}",
            ),
        )
    for e in ranked[left:]:
        r = found[e]
        out[e] = _replace(r, False, Message(N_("certain enough: ±%(sd)s points"), sd=f"{r.uncertainty:.1f}"))
    return out


def _replace(r: EntryResult, needs: bool, why: Message) -> EntryResult:
    return EntryResult(r.entry, r.criteria, r.score, r.uncertainty, r.reviews, needs, why)


def budget_count(entries: int, percent: float) -> int:
    """How many entries a judge budget of `percent` allows: rounded half up (10% of 5 is 1, of 4 is 0)."""
    return int(Fraction(entries) * Fraction(repr(float(percent))) / 100 + Fraction(1, 2))


def estimate(round_: Round, prior: Prior = Prior()) -> Result:
    """Fit the model to a round and explain every entry and reviewer. Expects a `check`ed round."""
    criteria = round_.criteria
    reviews = sorted((m.reviewer, m.target, m.scores) for m in round_.reviews)
    calibration = sorted((m.reviewer, m.target, m.scores) for m in round_.calibration)
    fits = []
    for i, c in enumerate(criteria):
        expert = {x: float(s[i]) for x, s in round_.examples.items()}
        fits.append(
            _fit(
                float(c.max_score),
                expert,
                [(r, x, float(s[i])) for r, x, s in calibration],
                [(r, e, float(s[i])) for r, e, s in reviews],
                prior,
            )
        )
    by_entry: dict[str, list[tuple[str, tuple]]] = defaultdict(list)
    for r, e, s in reviews:
        by_entry[e].append((r, s))
    names = sorted(set(round_.entries) | set(by_entry))
    shown = [_Shown(c, fit) for c, fit in zip(criteria, fits, strict=True)]
    found = {}
    for e in names:
        marks = by_entry.get(e, [])
        if not marks:
            found[e] = EntryResult(e, (), None, math.inf, 0)
            continue
        parts = tuple(_score(one, [(r, float(s[i])) for r, s in marks], e) for i, one in enumerate(shown))
        total = sum((p.score for p in parts), Decimal(0))
        found[e] = EntryResult(e, parts, total, math.sqrt(sum(p.sd**2 for p in parts)), len(marks))
    budget = budget_count(len(names), round_.judge_budget)
    routed = _route(found, budget, round_.min_reviews)
    reviewers = {}
    counts = defaultdict(int)
    calibrated = defaultdict(int)
    for r, _e, _s in reviews:
        counts[r] += 1
    for r, _x, _s in calibration:
        calibrated[r] += 1
    for r in sorted(set(counts) | set(calibrated)):
        spread = sum(f.spread for f in fits)
        noise = sum(f.noise[r] for f in fits)
        reviewers[r] = ReviewerResult(
            r,
            sum(f.bias[r] for f in fits),
            math.sqrt(noise),
            spread / (spread + noise),
            counts[r],
            calibrated[r],
            tuple(
                (c.id, f.bias[r], f.spread / (f.spread + f.noise[r]))
                for c, f in zip(criteria, fits, strict=True)
            ),
        )
    average = sum((_d(f.mean) for f in fits), Decimal(0))
    return Result(routed, reviewers, budget, average)


# --- checking input ------------------------------------------------------------------------------------


class PeerInputError(ValueError):
    """The input is refused; the message names the record."""


def check(round_: Round, reviewers: Iterable[str] | None = None) -> None:
    """Refuse scores outside 0..max, unknown examples (and reviewers or entries, when the round lists
    them), duplicates; every problem is collected, then one error names them all."""
    problems: list[str] = []
    known = set(reviewers) if reviewers is not None else None
    entries = set(round_.entries) if round_.entries else None
    n = len(round_.criteria)

    def scores(where: str, values: Sequence[float]) -> None:
        if len(values) != n:
            problems.append(f"{where}: {len(values)} score(s), {n} criteria")
            return
        for c, v in zip(round_.criteria, values, strict=True):
            if not 0 <= v <= c.max_score:
                name = "score" if n == 1 and c.id == "total" else f"score for {c.id}"
                problems.append(f"{where}: {name} {_num(v)} is outside 0–{_num(c.max_score)}")

    for x, values in round_.examples.items():
        scores(f"example {x}", values)
    for kind, marks, target in (
        ("calibration", round_.calibration, "example"),
        ("reviews", round_.reviews, "entry"),
    ):
        seen = set()
        for i, m in enumerate(marks):
            where = f"{kind}[{i}] (reviewer {m.reviewer}, {target} {m.target})"
            if (m.reviewer, m.target) in seen:
                problems.append(f"{where}: a second score by the same reviewer of the same {target}")
            seen.add((m.reviewer, m.target))
            if known is not None and m.reviewer not in known:
                problems.append(f"{where}: unknown reviewer {m.reviewer}")
            if kind == "calibration" and m.target not in round_.examples:
                problems.append(f"{where}: unknown example {m.target}")
            if kind == "reviews" and entries is not None and m.target not in entries:
                problems.append(f"{where}: unknown entry {m.target}")
            scores(where, m.scores)
    if problems:
        raise PeerInputError("\n".join(problems))
