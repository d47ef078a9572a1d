"""How long the peer model takes to score a province's case round (#14): 5,000 entries, each reviewed by 3
of the other participants, who first score 2 calibration examples; a rubric of 4 criteria.

    .venv/bin/python -m bench.peer_fit [--entries 5000] [--repeat 3]

The whole round is fitted again whenever the reviews it reads change: when a review completes an entry (the
reviewer's request settles that entry's score) and on the organiser's first page after any change. Prints
a table, then, last, `RESULT {json}` with the median seconds of `estimate`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from drill.competitions.rules.peer_model import Criterion, Mark, Round, estimate

MARKS = {"idea": 40.0, "analysis": 30.0, "plan": 20.0, "form": 10.0}
CRITERIA = tuple(Criterion(c, m) for c, m in MARKS.items())


def province_round(entries: int, k: int = 3, seed: int = 1) -> Round:
    rng = random.Random(seed)
    people = [f"p{i:05}" for i in range(entries)]
    truth = {p: [rng.uniform(0.4, 0.95) * c.max_score for c in CRITERIA] for p in people}
    bias = {p: rng.gauss(0, 0.06) for p in people}  # a share of each criterion's marks
    noise = {p: rng.choice((0.03, 0.05, 0.2)) for p in people}

    def given(reviewer: str, true: list[float]) -> tuple[float, ...]:
        off = [(bias[reviewer] + rng.gauss(0, noise[reviewer])) * c.max_score for c in CRITERIA]
        return tuple(
            round(min(c.max_score, max(0.0, t + o))) for c, t, o in zip(CRITERIA, true, off, strict=True)
        )

    examples = {"x1": (30.0, 20.0, 15.0, 8.0), "x2": (15.0, 12.0, 8.0, 4.0)}
    calibration = tuple(Mark(p, x, given(p, list(s))) for p in people for x, s in examples.items())
    reviews = tuple(
        Mark(people[(i + step) % entries], author, given(people[(i + step) % entries], truth[author]))
        for i, author in enumerate(people)
        for step in range(1, k + 1)
    )
    return Round(CRITERIA, examples, calibration, reviews, tuple(people))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peer_fit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    round_ = province_round(args.entries)
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = estimate(round_)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"{'entries':>8} {'reviews':>8} {'criteria':>8} {'to judges':>9} {'estimate s':>11}")
    print(f"{args.entries:>8} {len(round_.reviews):>8} {len(CRITERIA):>8} {result.budget:>9} {median:>11.2f}")
    print("RESULT " + json.dumps({"entries": args.entries, "reviews": len(round_.reviews),
                                  "criteria": len(CRITERIA), "estimate_s": round(median, 3),
                                  "runs_s": [round(t, 3) for t in times]}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
