"""A simulated case round with known true scores, to compare peer-score rules (issue #15).

Reviewers are good (a small bias, noise 5 points), careless (scores at random over the whole scale) or
biased (harsh or lenient by 12–24 points, noise 5). Each entry gets k reviews; every reviewer first scores
the same calibration examples. For each rule the correlation of its scores with the truth is reported.

Re-run the table in docs/peer-scoring.md with:  .venv/bin/python -m tests.competitions.peer_sim
"""

from __future__ import annotations

import random
import statistics
import sys
from dataclasses import dataclass

from drill.competitions.rules import aggregation, calibration, peer_model

MAX = 100.0
KINDS = {"careless": ("careless",), "biased": ("biased",), "mixed": ("careless", "biased")}


@dataclass(frozen=True)
class Setting:
    k: int  # reviews per entry
    bad: float  # share of bad reviewers
    kind: str  # careless | biased | mixed (half each)
    examples: int  # calibration examples each reviewer scores
    entries: int = 200
    seed: int = 1


@dataclass
class Simulated:
    truth: dict[str, float]
    round: peer_model.Round
    kinds: dict[str, str]
    biases: dict[str, float]


def simulate(s: Setting) -> Simulated:
    rng = random.Random(f"{s.k}:{s.bad}:{s.kind}:{s.examples}:{s.entries}:{s.seed}")
    n = s.entries
    names = [f"p{i:03d}" for i in range(n)]  # each participant writes one entry and reviews k
    truth = {f"e{i:03d}": min(MAX, max(0.0, rng.gauss(65, 15))) for i in range(n)}
    bad = set(rng.sample(names, round(s.bad * n)))
    kinds, biases, noise = {}, {}, {}
    for i, p in enumerate(sorted(bad)):
        kinds[p] = KINDS[s.kind][i % len(KINDS[s.kind])]
    for p in names:
        kind = kinds.setdefault(p, "good")
        if kind == "biased":
            biases[p] = rng.choice((-1, 1)) * rng.uniform(12, 24)
        else:
            biases[p] = rng.gauss(0, 2)
        noise[p] = 5.0

    def given(p: str, true: float) -> float:
        if kinds[p] == "careless":
            return float(rng.randint(0, 100))
        return float(min(MAX, max(0.0, round(true + biases[p] + rng.gauss(0, noise[p])))))

    experts = {f"x{j}": float(round(30 + 55 * j / max(1, s.examples - 1))) for j in range(s.examples)}
    order = names[:]
    rng.shuffle(order)
    reviews = []
    for i, e in enumerate(sorted(truth)):
        for j in range(1, s.k + 1):  # the participants after the author in a shuffled ring
            p = order[(i + j) % n]
            reviews.append(peer_model.Mark(p, e, (given(p, truth[e]),)))
    cal = [peer_model.Mark(p, x, (given(p, t),)) for p in names for x, t in experts.items()]
    round_ = peer_model.Round(
        criteria=(peer_model.Criterion("total", MAX),),
        examples={x: (t,) for x, t in experts.items()},
        calibration=tuple(cal),
        reviews=tuple(reviews),
        entries=tuple(sorted(truth)),
    )
    return Simulated(truth, round_, kinds, biases)


def by_entry(r: peer_model.Round) -> dict[str, list[peer_model.Mark]]:
    out: dict[str, list] = {}
    for m in r.reviews:
        out.setdefault(m.target, []).append(m)
    return out


def old_rule(r: peer_model.Round) -> dict[str, float]:
    """Today's rule before #15: calibration weight, the review farthest from the median dropped."""
    criteria = [calibration.Criterion("total", "total", MAX)]
    expert = {x: {"total": s[0]} for x, s in r.examples.items()}
    given: dict[str, dict] = {}
    for m in r.calibration:
        given.setdefault(m.reviewer, {})[m.target] = {"total": m.scores[0]}
    weights = {p: calibration.calibrate(criteria, expert, g).weight for p, g in given.items()}
    return {
        e: aggregation.peer_score(
            [aggregation.Review(m.reviewer, m.scores[0], weights[m.reviewer]) for m in ms]
        )
        for e, ms in by_entry(r).items()
    }


def rules(sim: Simulated) -> dict[str, dict[str, float]]:
    marks = by_entry(sim.round)
    model = peer_model.estimate(sim.round)
    return {
        "mean": {e: statistics.fmean(m.scores[0] for m in ms) for e, ms in marks.items()},
        "median": {e: statistics.median(m.scores[0] for m in ms) for e, ms in marks.items()},
        "old rule": old_rule(sim.round),
        "model": {e: float(r.score) for e, r in model.entries.items()},
    }


def correlations(s: Setting) -> dict[str, float]:
    sim = simulate(s)
    entries = sorted(sim.truth)
    truth = [sim.truth[e] for e in entries]
    return {
        name: statistics.correlation([got[e] for e in entries], truth) for name, got in rules(sim).items()
    }


GRID = [
    Setting(k, bad, kind, examples)
    for k in (2, 3, 4, 5)
    for bad in (0.15, 0.30)
    for kind in ("careless", "biased", "mixed")
    for examples in (1, 3, 5)
]


def table(settings=GRID, seeds=(1, 2, 3)) -> tuple[list[str], list[tuple[Setting, dict[str, float]]]]:
    """Markdown lines, and per setting the correlations averaged over the seeds."""
    lines = [
        "| k | bad share | bad reviewers | examples | mean | median | old rule | model |",
        "|---|---|---|---|---|---|---|---|",
    ]
    rows = []
    for s in settings:
        found = [correlations(Setting(s.k, s.bad, s.kind, s.examples, s.entries, seed)) for seed in seeds]
        avg = {name: statistics.fmean(f[name] for f in found) for name in found[0]}
        rows.append((s, avg))
        lines.append(
            f"| {s.k} | {s.bad:.0%} | {s.kind} | {s.examples} | "
            + " | ".join(f"{avg[n]:.3f}" for n in ("mean", "median", "old rule", "model"))
            + " |"
        )
    return lines, rows


if __name__ == "__main__":  # pragma: no cover
    lines, _ = table()
    sys.stdout.write("\n".join(lines) + "\n")
