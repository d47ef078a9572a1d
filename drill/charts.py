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


# How each radar series is drawn, in order (the first is the manager): a line style and a marker shape, so
# two series with the same values stay apart by their look, not only by a colour.
RADAR_STYLES = (("", 2.5, "circle"), ("6 4", 2.0, "square"), ("2 3", 2.0, "diamond"))


@dataclass
class RadarSeries:
    name: str
    color: str
    points: str  # SVG polygon "x,y x,y"
    dots: list[tuple[float, float, float | None]]  # (x, y, value); None: no value (drawn at the centre)
    dash: str = ""  # SVG stroke-dasharray; "" for a solid line
    width: float = 2.0
    marker: str = "circle"  # circle | square | diamond
    index: int = 0  # the series' place in the legend (the first is drawn on top)


@dataclass
class RadarLabel:
    x: float
    y: float  # the first line's baseline
    anchor: str  # SVG text-anchor
    lines: list[str]


@dataclass
class Radar:
    size: int
    centre: float
    rings: list[tuple[int, str]]  # (percent, polygon points) at 25/50/75/100
    spokes: list[tuple[float, float]]  # the outer end of each axis
    labels: list[RadarLabel]
    series: list[RadarSeries]  # in drawing order: the first series last, on top

    @property
    def legend(self) -> list[RadarSeries]:
        return sorted(self.series, key=lambda s: s.index)


LABEL_FONT = 11  # px in the chart's own units
LINE_HEIGHT = 13


def text_width(text: str, font: float = LABEL_FONT) -> float:
    """An estimate of a label's width: a CJK character is about one em, a Latin one a bit over half."""
    return sum(font if ord(ch) > 0x2E80 else font * 0.58 for ch in text)


def wrap_label(text: str, width: float, font: float = LABEL_FONT, max_lines: int = 3) -> list[str]:
    """A label cut into lines no wider than `width`: at spaces for words, anywhere in Chinese; a label
    longer than `max_lines` ends with "…"."""
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        candidate = (current + token) if current else token.lstrip()
        if current and text_width(candidate.rstrip(), font) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1].rstrip() + "…"]
    return lines or [text]


def _tokens(text: str) -> list[str]:
    """Words (with the space before them) for Latin text, single characters for CJK."""
    tokens: list[str] = []
    for ch in text:
        if ord(ch) > 0x2E80 or not tokens or ch == " " or ord(tokens[-1][-1]) > 0x2E80:
            tokens.append(ch)
        else:
            tokens[-1] += ch
    return tokens


def radar_chart(axes: list[str], series: dict[str, list[float | None]], size: int = 360) -> Radar | None:
    """Percent values on one axis per competency, the first at the top and the rest clockwise; one
    polygon per series (a missing value sits at the centre). None with fewer than three axes: a
    radar of two axes is a line, and a table says it better.

    Made to be read on a 320-px phone: labels are wrapped into short lines and kept inside the picture;
    each series has its own line style and marker as well as its colour, and the first series (the
    manager's own) is drawn last, on top, so it stays visible where it coincides with another."""
    if len(axes) < 3:
        return None
    centre = size / 2
    radius = size / 2 - 80  # room for up to three lines of label around
    label_width = 84.0

    def at(index: int, percent: float, clamp: bool = True) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        r = radius * (max(0.0, min(100.0, percent)) if clamp else percent) / 100
        return round(centre + r * math.cos(angle), 1), round(centre + r * math.sin(angle), 1)

    def polygon(values: list[float]) -> str:
        return " ".join(f"{x},{y}" for x, y in (at(i, v) for i, v in enumerate(values)))

    rings = [(p, polygon([p] * len(axes))) for p in (25, 50, 75, 100)]
    spokes = [at(i, 100) for i in range(len(axes))]
    labels = []
    for index, text in enumerate(axes):
        x, y = at(index, 110, clamp=False)
        anchor = "middle" if abs(x - centre) < 8 else ("start" if x > centre else "end")
        lines = wrap_label(text, label_width)
        widest = max(text_width(line) for line in lines)
        if anchor == "start":
            x = min(x, size - 2 - widest)
        elif anchor == "end":
            x = max(x, 2 + widest)
        else:
            x = min(max(x, 2 + widest / 2), size - 2 - widest / 2)
        block = LINE_HEIGHT * (len(lines) - 1)
        if y < centre - 8:  # above the centre: the block ends at the axis end
            first = y - block
        elif y > centre + 8:  # below: it starts there
            first = y + LABEL_FONT - 2
        else:  # beside: centred on it
            first = y - block / 2 + 4
        first = min(max(first, LABEL_FONT), size - 2 - block)
        labels.append(RadarLabel(round(x, 1), round(first, 1), anchor, lines))
    drawn = []
    for index, (name, values) in enumerate(series.items()):
        dash, width, marker = RADAR_STYLES[index % len(RADAR_STYLES)]
        dots = [(*at(i, v or 0.0), v) for i, v in enumerate(values)]
        drawn.append(
            RadarSeries(
                name,
                PALETTE[index % len(PALETTE)],
                polygon([v or 0.0 for v in values]),
                dots,
                dash,
                width,
                marker,
                index,
            )
        )
    return Radar(size, centre, rings, spokes, labels, list(reversed(drawn)))


@dataclass
class Bar:
    label: str
    y: float
    segments: list[tuple[float, float, str, str, float]]  # (x, width, colour, name, value)
    total: float


@dataclass
class BarChart:
    width: int
    height: int
    left: int
    bars: list[Bar]
    ticks: list[tuple[float, float]]  # (x, value)
    legend: list[tuple[str, str]]  # (name, colour)


def bar_chart(
    rows: list[tuple[str, list[float]]], names: list[str], maximum: float | None = None, width: int = 640
) -> BarChart:
    """Horizontal bars, one per row, each stacked from its values (one per name, in order), on a scale
    from 0 to `maximum` (default: the longest bar)."""
    left, right, top, row_height = 150, 16, 8, 26
    height = top + row_height * len(rows) + 24
    longest = max((sum(values) for _, values in rows), default=0.0)
    scale_max = maximum or longest or 1.0
    plot = width - left - right
    bars = []
    for index, (label, values) in enumerate(rows):
        x, segments = float(left), []
        for position, value in enumerate(values):
            span = round(plot * value / scale_max, 1)
            colour = PALETTE[position % len(PALETTE)]
            segments.append(
                (round(x, 1), span, colour, names[position] if position < len(names) else "", value)
            )
            x += span
        bars.append(Bar(label, top + index * row_height, segments, round(sum(values), 1)))
    ticks = [(round(left + plot * f, 1), round(scale_max * f, 1)) for f in (0, 0.25, 0.5, 0.75, 1)]
    legend = [(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)]
    return BarChart(width, height, left, bars, ticks, legend)
