"""How long a provincial board (5,000 participants, 100 teams, 3 rounds) takes to apply one score event.

    .venv/bin/python -m bench.standings_apply [--events 2000]

This was a timed unit test (`test_a_provincial_board_takes_a_score_in_under_a_millisecond`, < 1 ms); speed
is not asserted in tests any more (a loaded machine failed it), so it is measured here. About 0.1 ms an event
on a quiet 2-core machine. The test that a board kept up event by event equals its rebuild stays in
tests/competitions/test_standings.py.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from drill.competitions.rules.standings import Round, ScoreEvent, TeamRule, build

T0 = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)
ROUNDS = [Round("written", 30), Round("case", 40), Round("judged", 30)]


def measure(count: int = 2000, seed: int = 1) -> dict:
    rng = random.Random(seed)

    def event(pid, round_id, done, recorded):
        return ScoreEvent(
            pid,
            round_id,
            rng.uniform(40, 100),
            T0 + timedelta(minutes=done),
            T0 + timedelta(minutes=recorded),
        )

    teams = {f"p{i:04}": f"t{i % 100:02}" for i in range(5000)}
    events = []
    for p in teams:
        for r in ROUNDS:
            done = rng.randint(0, 90)
            events.append(event(p, r.id, done, done))
    started = time.perf_counter()
    standings = build(teams, ROUNDS, TeamRule("top", 10), events)
    built = time.perf_counter() - started
    more = [event(f"p{rng.randrange(5000):04}", "case", 95, 100 + i) for i in range(count)]
    cpu, started = time.process_time(), time.perf_counter()
    for e in more:
        standings.apply(e)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "events": count,
        "build_s": round(built, 3),
        "per_event_ms": round(wall / count * 1000, 4),
        "per_event_cpu_ms": round(cpu / count * 1000, 4),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args(argv)
    result = measure(args.events)
    print(
        f"rebuild of 15,000 events: {result['build_s']} s; one score applied: {result['per_event_ms']} ms "
        f"({result['per_event_cpu_ms']} ms CPU); target < 1 ms"
    )
    print(result)


if __name__ == "__main__":
    main()
