"""Qualifying rounds feed a final: the top N overall, or the top N of each branch, advance.

Order and ties follow the leaderboard (`standings.ranked`): score as shown (two decimals), then earlier
completion. So a tie on score at the cut is settled by who finished first; only a full tie (same score,
same completion time) is left, and then everyone sharing the N-th rank advances and the final grows past
N — drawing lots by id would be arbitrary, and one more finalist costs less than a wrongly excluded one.
`over_quota` says by how many, so organisers can see it. A participant without a score never advances.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from drill.competitions.rules.standings import Row, ranked

Id = Hashable
ALL = "*"  # the group name when advancing overall


@dataclass(frozen=True)
class Qualifier:
    participant_id: Id
    branch: str
    score: float | None  # the qualifying score on 100 (the qualifying board's overall); None: no score
    completed_at: datetime | None


@dataclass(frozen=True)
class Advancement:
    advanced: tuple[Id, ...]  # group by group (groups sorted), each in leaderboard order
    rows: dict[str, list[Row]]  # group -> its ranked board, for showing where the cut fell
    cut: dict[str, Row | None]  # group -> the last row that advances (None: nobody in the group)
    over_quota: dict[str, int]  # group -> how many beyond N advance through a full tie at the cut


def advance(qualifiers: Iterable[Qualifier], n: int, *, per_branch: bool = False) -> Advancement:
    """The top `n` overall, or with `per_branch` the top `n` of every branch."""
    if n < 1:
        raise ValueError(f"at least one place must advance, got n={n}")
    groups: dict[str, list[Qualifier]] = defaultdict(list)
    for q in qualifiers:
        groups[q.branch if per_branch else ALL].append(q)
    advanced, rows, cut, over = [], {}, {}, {}
    for group in sorted(groups):
        scored = [q for q in groups[group] if q.score is not None]
        board = ranked((q.participant_id, q.score, q.completed_at) for q in scored)
        going = [row for row in board if row.rank <= n]
        rows[group], cut[group], over[group] = board, (going[-1] if going else None), max(0, len(going) - n)
        advanced.extend(row.id for row in going)
    return Advancement(tuple(advanced), rows, cut, over)
