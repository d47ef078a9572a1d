"""Leaderboards: individual and team, per round and overall, kept up to date one score at a time.

Scores. A round score is on 100: `percent(earned, possible)` = 100 × points earned / points possible in
that round (the paper's full marks, the rubric's total), so a 150-point paper weighs no more than a
100-point rubric. The overall score is Σ wᵣ × sᵣ / Σ wᵣ over the competition's rounds in their order, a
round without a score counting 0; dividing by Σ w makes weights 30/40/30 and 0.3/0.4/0.3 the same and keeps
the overall on 100. Each (participant, round) has one current score: the event recorded last (later in
the log among equal times); an event with `score=None` withdraws it (a disqualification).

Arithmetic is on the scores as shown: a round score is rounded half up to two decimals first; overall
and team scores are computed exactly (as fractions) from those and rounded half up once. So anyone can
recompute a row from the rows shown, and no float drift separates an update from a rebuild.

Team score, by the competition's `TeamRule` over the team's registered members (no score counts 0):
"mean" of all members; "top" = Σ of the best N / N, a team with fewer than N members short of them;
"sum" of all members.

Order and ranks. Higher score first, compared as shown (two decimals, half up); then earlier completion
(a participant's `completed_at` for the round, overall their latest; a team's is the latest among the
members it counts; no completion is last); then id, which orders the display only. Ranks are shared only
when score and completion time are both equal, in 1, 2, 2, 4 style, so id never decides a prize.

Incremental. `Standings.apply(event)` recomputes only what the event touches: the participant's round
and overall scores (O(rounds)), their team's two scores (O(team size)), and moves those four rows in
bisect-sorted lists (O(log n) comparisons and a memmove); reading the top K rows is O(K) and a row's rank
O(log n). Each number comes from the same code as in `build`, the full recomputation, so the two agree
exactly (a property test checks it). At 5,000 participants in 100 teams an update takes about 0.1 ms.

Freeze. `Boards` keeps the live standings and the public ones: from `freeze_at` the public standings take
only events recorded before it; organisers, and everyone once the board is published, see the live ones.
A `Standings` is not thread-safe: the caller applies events under a lock.

Finals. A final is a round only its finalists take part in (`advancement`, once the organiser confirms).
Its board is `Boards.finals[round]`: standings of their own over the finalists alone and that one round,
so ranks are among finalists by the same rules (filtering the round's board over everyone would keep them
exact only while no non-finalist has a score or a completion in it), and a team's score is its team rule
over its finalists only ("mean" of its finalists; "top" N of them, a team with fewer than N finalists short
of them; "sum"); a team without finalists is not on it. The overall boards are unchanged by this: the
final is one of the competition's rounds, taken over every participant, and a non-finalist has no score
in it, which counts 0 like any round without a score (a score recorded for one anyway, say by a
correction, counts there, never on the finals board). So the final's weight is what the finalists can
gain over the rest, and a team's overall stays its rule over all its members.
"""

from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from drill.competitions.rules.judging import two_decimals

Id = Hashable
OVERALL = None  # the board key of the overall boards; a round's boards use the round's id


@dataclass(frozen=True)
class Round:
    id: str
    weight: float


@dataclass(frozen=True)
class ScoreEvent:
    participant_id: Id
    round_id: str
    score: float | None  # on 100 (see `percent`); None withdraws the round's score
    completed_at: datetime  # when the participant finished the round: the tie-break
    recorded_at: datetime  # when the score was recorded: what the freeze looks at
    seq: int = 0  # the log's number: of two events recorded at the same instant, the higher stands

    @property
    def standing_order(self) -> tuple[datetime, int]:
        """What decides which of two events for a (participant, round) stands, in whatever order they
        arrive (a board catching up may see a later-numbered event before an earlier one)."""
        return (self.recorded_at, self.seq)


@dataclass(frozen=True)
class TeamRule:
    kind: Literal["mean", "top", "sum"] = "mean"
    n: int | None = None  # for "top"

    def __post_init__(self):
        if self.kind not in ("mean", "top", "sum") or (self.kind == "top") != (self.n is not None):
            raise ValueError(f"a team rule is mean, sum or top with n, not {self}")
        if self.n is not None and self.n < 1:
            raise ValueError(f"top needs n ≥ 1, got {self.n}")


@dataclass(frozen=True)
class Row:
    rank: int
    id: Id
    score: Decimal  # two decimals
    completed_at: datetime | None


def percent(earned: float, possible: float) -> float:
    """A round score on 100."""
    if possible <= 0:
        raise ValueError(f"a round must be worth something, got {possible} possible points")
    return 100 * earned / possible


def _hundredths(score: float) -> int:
    """A score as shown, in hundredths: 84.505 -> 8451 (half up, from the decimal the float prints)."""
    return int(two_decimals(score).scaleb(2))


def _half_up(q: Fraction) -> int:
    return (q.numerator * 2 + q.denominator) // (2 * q.denominator)


def _key(hundredths: int, completed: datetime | None, id_: Id) -> tuple:
    """Sort key: score as shown, descending; completion, earliest first, none last; id."""
    return (-hundredths, (0, completed) if completed else (1,), id_)


def _rows(keys: Iterable[tuple], limit: int | None = None) -> list[Row]:
    rows: list[Row] = []
    previous = None
    for i, (minus_hundredths, completion, id_) in enumerate(keys):
        if limit is not None and i >= limit:
            break
        rank = rows[-1].rank if (minus_hundredths, completion) == previous else i + 1
        completed_at = completion[1] if completion[0] == 0 else None
        rows.append(Row(rank, id_, Decimal(-minus_hundredths).scaleb(-2), completed_at))
        previous = (minus_hundredths, completion)
    return rows


def ranked(scores: Iterable[tuple[Id, float, datetime | None]]) -> list[Row]:
    """(id, score, completed_at) triples in leaderboard order, ranked by the rules above."""
    return _rows(sorted(_key(_hundredths(v), c, i) for i, v, c in scores))


class Standings:
    """The boards of one competition. Build it with `build`; keep it current with `apply`."""

    def __init__(self, participants: Mapping[Id, Id], rounds: Sequence[Round], rule: TeamRule):
        """`participants` maps each participant to their team (by default their branch)."""
        if not rounds or len({r.id for r in rounds}) != len(rounds) or any(r.weight <= 0 for r in rounds):
            raise ValueError("a competition needs rounds, with distinct ids and positive weights")
        self.rule = rule
        self.rounds = tuple(rounds)
        self._weights = [(r.id, Fraction(repr(r.weight))) for r in rounds]
        self._total_weight = sum(w for _, w in self._weights)
        self._team = dict(participants)
        self._members: dict[Id, list[Id]] = defaultdict(list)
        for pid in sorted(self._team):
            self._members[self._team[pid]].append(pid)
        self._events: dict[tuple[Id, str], ScoreEvent] = {}
        boards = [r.id for r in rounds] + [OVERALL]
        self._keys: dict = {b: {} for b in boards}  # board -> participant -> its sort key
        self._team_keys: dict = {b: {} for b in boards}  # board -> team -> its sort key
        self._order: dict = {b: [] for b in boards}  # board -> sorted individual keys
        self._team_order: dict = {b: [] for b in boards}  # board -> sorted team keys

    def _participant(self, board, pid) -> tuple:
        if board is not OVERALL:
            event = self._events.get((pid, board))
            if event is None or event.score is None:
                return _key(0, None, pid)
            return _key(_hundredths(event.score), event.completed_at, pid)
        total, done = Fraction(0), []
        for round_id, weight in self._weights:
            minus_hundredths, completion, _ = self._keys[round_id][pid]
            total -= weight * minus_hundredths
            if completion[0] == 0:
                done.append(completion[1])
        return _key(_half_up(total / self._total_weight), max(done, default=None), pid)

    def _team_score(self, board, team) -> tuple:
        members = [self._keys[board][m] for m in self._members[team]]
        if self.rule.kind == "top":
            members = sorted(members)[: self.rule.n]
        total = -sum(k[0] for k in members)
        divisor = {"mean": len(self._members[team]), "top": self.rule.n, "sum": 1}[self.rule.kind]
        done = [k[1][1] for k in members if k[1][0] == 0]
        return _key(_half_up(Fraction(total, divisor)), max(done, default=None), team)

    def _recompute_all(self) -> None:
        for board in [r.id for r in self.rounds] + [OVERALL]:  # rounds first: the overall reads them
            self._keys[board] = {pid: self._participant(board, pid) for pid in self._team}
            self._team_keys[board] = {t: self._team_score(board, t) for t in self._members}
            self._order[board] = sorted(self._keys[board].values())
            self._team_order[board] = sorted(self._team_keys[board].values())

    @staticmethod
    def _move(order: list, keys: dict, id_: Id, new: tuple) -> None:
        del order[bisect_left(order, keys[id_])]
        keys[id_] = new
        insort(order, new)

    def apply(self, event: ScoreEvent) -> bool:
        """Take one score event; False (and no change) when an event recorded later is already in."""
        if event.participant_id not in self._team or event.round_id not in self._keys:
            raise ValueError(f"unknown participant or round in {event}")
        slot = (event.participant_id, event.round_id)
        current = self._events.get(slot)
        if current is not None and event.standing_order < current.standing_order:
            return False
        self._events[slot] = event
        pid, team = event.participant_id, self._team[event.participant_id]
        for board in (event.round_id, OVERALL):  # the round first: the overall reads it
            self._move(self._order[board], self._keys[board], pid, self._participant(board, pid))
            self._move(self._team_order[board], self._team_keys[board], team, self._team_score(board, team))
        return True

    def individual(self, round_id: str | None = OVERALL, limit: int | None = None) -> list[Row]:
        return _rows(self._order[round_id], limit)

    def teams(self, round_id: str | None = OVERALL, limit: int | None = None) -> list[Row]:
        return _rows(self._team_order[round_id], limit)

    def row_of(self, id_: Id, round_id: str | None = OVERALL, *, team: bool = False) -> Row:
        """One participant's (or team's) row, rank included, in O(log n)."""
        order, keys = (self._team_order, self._team_keys) if team else (self._order, self._keys)
        key = keys[round_id][id_]
        (row,) = _rows([key])
        return Row(bisect_left(order[round_id], key[:2]) + 1, row.id, row.score, row.completed_at)


def build(
    participants: Mapping[Id, Id],
    rounds: Sequence[Round],
    rule: TeamRule,
    events: Iterable[ScoreEvent],
    *,
    recorded_before: datetime | None = None,
) -> Standings:
    """Standings from scratch: the full recomputation, from events recorded before `recorded_before`."""
    standings = Standings(participants, rounds, rule)
    for event in events:
        if event.participant_id not in participants or event.round_id not in standings._keys:
            raise ValueError(f"unknown participant or round in {event}")
        if recorded_before is not None and event.recorded_at >= recorded_before:
            continue
        current = standings._events.get(slot := (event.participant_id, event.round_id))
        if current is None or event.standing_order >= current.standing_order:
            standings._events[slot] = event
    standings._recompute_all()
    return standings


class Boards:
    """Live and public standings of a competition with an optional freeze time, and each final's own.

    `finals` maps a final's round id to its confirmed finalists (see Finals above); finalists no longer
    among `participants` (disqualified) are left out.
    """

    def __init__(
        self,
        participants: Mapping[Id, Id],
        rounds: Sequence[Round],
        rule: TeamRule,
        *,
        freeze_at: datetime | None = None,
        events: Iterable[ScoreEvent] = (),
        finals: Mapping[str, Iterable[Id]] | None = None,
    ):
        events = list(events)
        self.freeze_at = freeze_at
        self.participants = frozenset(participants)
        self.live = build(participants, rounds, rule, events)
        self.public = (
            self.live
            if freeze_at is None
            else build(participants, rounds, rule, events, recorded_before=freeze_at)
        )
        self.finals: dict[str, Boards] = {}
        for round_id, finalists in (finals or {}).items():
            final = [r for r in rounds if r.id == round_id]
            if not final:
                raise ValueError(f"a final must be one of the rounds, not {round_id!r}")
            among = {pid: participants[pid] for pid in finalists if pid in participants}
            mine = [e for e in events if e.round_id == round_id and e.participant_id in among]
            self.finals[round_id] = Boards(among, final, rule, freeze_at=freeze_at, events=mine)

    def apply(self, event: ScoreEvent) -> None:
        self.live.apply(event)
        if self.public is not self.live and event.recorded_at < self.freeze_at:
            self.public.apply(event)
        final = self.finals.get(event.round_id)
        if final is not None and event.participant_id in final.participants:
            final.apply(event)

    def for_viewer(self, *, organiser: bool, published: bool) -> Standings:
        """Organisers always see the live standings; everyone else the frozen ones until publication."""
        return self.live if organiser or published else self.public
