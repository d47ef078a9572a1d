"""The calendar of appraisal periods: which days a monthly, quarterly, semiannual or annual period covers,
its label ("2025-03", "2025-Q1", "2025-H1", "2025"), and the finer periods inside it. Pure."""

from __future__ import annotations

import calendar
from datetime import date

from drill.appraisal.rules.records import Period
from drill.appraisal.rules.scheme import MONTHS

COUNT = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}


def span(kind: str, year: int, number: int = 1) -> Period:
    """Period number `number` (1-based) of `kind` in `year`; ValueError for a number out of range."""
    if kind not in COUNT or not 1 <= number <= COUNT[kind]:
        raise ValueError(f"no {kind} period number {number}")
    months = MONTHS[kind]
    first = (number - 1) * months + 1
    last = first + months - 1
    end = date(year, last, calendar.monthrange(year, last)[1])
    label = {
        "monthly": f"{year}-{number:02d}",
        "quarterly": f"{year}-Q{number}",
        "semiannual": f"{year}-H{number}",
        "annual": f"{year}",
    }[kind]
    return Period(kind, date(year, first, 1), end, label)


def number_of(period: Period) -> int:
    return (period.start.month - 1) // MONTHS[period.kind] + 1


def inside(period: Period, finer_kind: str) -> list[Period]:
    """The `finer_kind` periods that make up `period`, in order."""
    per = MONTHS[period.kind] // MONTHS[finer_kind]
    first = (period.start.month - 1) // MONTHS[finer_kind] + 1
    return [span(finer_kind, period.start.year, first + i) for i in range(per)]
