"""Geometry for the small SVG charts drawn by templates/_charts.html. Pure: numbers in, coordinates out.

Served as inline SVG: nothing to download, nothing from outside the intranet, readable without script.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

PALETTE = ("#0d6efd", "#198754", "#d63384", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#6c757d")


@dataclass
class Series:
    name: str
    values: list[float | None]  # percentages 0..100, one per x position; None where there is no value
    color: str = ""
    points: str = ""  # SVG polyline "x,y x,y"
    dots: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y, value)


@dataclass
class LineChart:
    width: int
    height: int
    series: list[Series]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]


def line_chart(
    series: dict[str, list[float | None]], labels: list[str], width: int = 640, height: int = 220
) -> LineChart:
    """Percent scores over time, one line per series, on a 0–100 axis with room for labels."""
    left, right, top, bottom = 36, 12, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max((len(v) for v in series.values()), default=0)
    step = plot_w / (count - 1) if count > 1 else 0

    def x(i: int) -> float:
        return round(left + (i * step if count > 1 else plot_w / 2), 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - max(0.0, min(100.0, value)) / 100), 1)

    drawn = []
    for index, (name, values) in enumerate(series.items()):
        dots = [(x(i), y(v), round(v, 1)) for i, v in enumerate(values) if v is not None]
        drawn.append(
            Series(
                name, values, PALETTE[index % len(PALETTE)], " ".join(f"{a},{b}" for a, b, _ in dots), dots
            )
        )
    every = max(1, math.ceil(len(labels) / 8))  # at most ~8 labels, so a phone can read them
    x_labels = [(x(i), label) for i, label in enumerate(labels) if i % every == 0]
    return LineChart(width, height, drawn, x_labels, [(y(t), t) for t in (0, 25, 50, 75, 100)])
