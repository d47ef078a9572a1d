"""Turning samples into figures: requests, throughput, latency percentiles, errors; a table and JSON."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from bench.clients import Sample

# The targets for the answer-save path (2 cores, gunicorn, 32 concurrent clients).
TARGET_RATIO = 1 / 3
TARGET_P95_MS = 100.0


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of an ascending list; None when it is empty."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass(frozen=True)
class Figures:
    kind: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    error_kinds: dict[str, int]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        return {**self.__dict__, "throughput_rps": round(self.throughput, 1)}


def figures(kind: str, samples: list[Sample], seconds: float) -> Figures:
    """Figures for one kind of request. Throughput counts the requests that succeeded."""
    mine = [s for s in samples if s.kind == kind]
    good = sorted((s.end - s.start) * 1000 for s in mine if s.ok)
    errors = [s for s in mine if not s.ok]

    def ms(p: float) -> float | None:
        value = percentile(good, p)
        return None if value is None else round(value, 2)

    return Figures(
        kind=kind,
        requests=len(good),
        errors=len(errors),
        seconds=seconds,
        p50_ms=ms(50),
        p95_ms=ms(95),
        p99_ms=ms(99),
        max_ms=round(good[-1], 2) if good else None,
        error_kinds=dict(Counter(s.error for s in errors).most_common(5)),
    )


def in_window(samples: list[Sample], start: float, end: float) -> list[Sample]:
    """The samples that began and ended inside the measured window (warm-up and tail left out)."""
    return [s for s in samples if s.start >= start and s.end <= end]


def verdict(save: Figures, floor: Figures, errors: int) -> dict:
    ratio = save.throughput / floor.throughput if floor.throughput else 0.0
    return {
        "ratio": round(ratio, 3),
        "ratio_met": ratio >= TARGET_RATIO,
        "p95_ms": save.p95_ms,
        "p95_met": save.p95_ms is not None and save.p95_ms < TARGET_P95_MS,
        "errors": errors,
        "errors_met": errors == 0,
    }


def table(rows: list[tuple[str, Figures]]) -> str:
    """One line per (phase, figures)."""
    head = (
        f"{'phase':<6} {'request':<13} {'count':>7} {'req/s':>8} "
        + " ".join(f"{name:>8}" for name in ("p50 ms", "p95 ms", "p99 ms", "max ms"))
        + f" {'errors':>6}"
    )
    lines = [head, "-" * len(head)]

    def cell(value: float | None) -> str:
        return f"{value:8.1f}" if value is not None else f"{'-':>8}"

    for phase, row in rows:
        lines.append(
            f"{phase:<6} {row.kind:<13} {row.requests:>7} {row.throughput:8.1f} {cell(row.p50_ms)} "
            f"{cell(row.p95_ms)} {cell(row.p99_ms)} {cell(row.max_ms)} {row.errors:>6}"
        )
    return "\n".join(lines)


def verdict_lines(result: dict) -> list[str]:
    def mark(met: bool) -> str:
        return "met" if met else "MISSED"

    return [
        f"save (saves phase) / floor throughput: {result['ratio']:.3f} (target >= {TARGET_RATIO:.3f}): "
        f"{mark(result['ratio_met'])}",
        f"save p95 (saves phase): {result['p95_ms']} ms (target < {TARGET_P95_MS:.0f} ms): "
        f"{mark(result['p95_met'])}; in the flow phase: {result.get('flow_save_p95_ms')} ms",
        f"errors: {result['errors']} (target 0): {mark(result['errors_met'])}",
    ]
