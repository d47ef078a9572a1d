"""The leaderboards each app process keeps in memory, and how a request reads them.

Never recomputed from all raw scores per request. Per process and competition there is one `Entry`:
`standings.Boards` built once from every ScoreEvent, and the `seq` of the last event applied. Each request
runs ONE indexed query — the competition's settings joined with its events whose `seq` is above the last
applied (`uq_score_events_competition_id_seq`) — then applies what is new under the entry's lock (about
0.1 ms an event, `standings.Standings.apply`). Events are numbered in commit order (`events.record`), so
catching up by `seq` never misses one. The entry is rebuilt only when `Competition.config_version` changed
(participants, rounds, weights, team rule, freeze time). Answers being saved never touch any of this: only
score events do.

ETag: the competition, its config version and the version of the standings the viewer sees — the last
event applied for the live board, the last one that reached the public board while it is frozen — plus
the view (round, size, viewer). A poll with If-None-Match gets a 304 without a body; a changed board is
serialised once per version and view and served as bytes to every reader that asks.

Processes share nothing: each catches up from the database, so several app processes behind a load
balancer agree within one poll.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, false, select

from drill.accounts.models import Branch, User
from drill.competitions import standings
from drill.competitions.models import Competition, Participant, ScoreEvent
from drill.extensions import db

MAX_ROWS = 500


@dataclass
class Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    config_version: int = -1
    boards: standings.Boards | None = None
    seq: int = 0  # the last event applied
    public_seq: int = 0  # the last event that reached the public standings
    names: dict = field(default_factory=dict)  # participant id -> (name, team id)
    teams: dict = field(default_factory=dict)  # team id -> name
    rounds: list = field(default_factory=list)  # [(round id, title)]
    rendered: dict = field(default_factory=dict)  # view -> (version, bytes)


@dataclass(frozen=True)
class View:
    etag: str
    body: bytes | None  # None: the client's copy is current (304)


def _entries() -> dict:
    store = current_app.extensions.setdefault("competition_boards", {"lock": threading.Lock(), "by_id": {}})
    with store["lock"]:
        return store["by_id"]


def _entry(competition_id: int) -> Entry:
    by_id = _entries()
    entry = by_id.get(competition_id)
    if entry is None:
        entry = by_id.setdefault(competition_id, Entry())
    return entry


def _pure(event) -> standings.ScoreEvent:
    return standings.ScoreEvent(
        event.participant_id, str(event.round_id), event.score, event.completed_at, event.recorded_at
    )


def _rebuild(entry: Entry, competition_id: int, config_version: int, freeze_at: datetime | None) -> None:
    competition = db.session.get(Competition, competition_id)
    rounds = [r for r in competition.rounds if r.weight > 0]
    rows = db.session.execute(
        select(Participant.id, User.name, Participant.team_id)
        .join(User, User.id == Participant.user_id)
        .where(Participant.competition_id == competition_id, Participant.disqualified_at.is_(None))
    ).all()
    entry.names = {pid: (name, team) for pid, name, team in rows}
    team_ids = {team for _, _, team in rows}
    entry.teams = dict(
        db.session.execute(select(Branch.id, Branch.name).where(Branch.id.in_(team_ids))).all()
    )
    entry.rounds = [(r.id, r.title) for r in rounds]
    events = db.session.execute(
        select(ScoreEvent).where(ScoreEvent.competition_id == competition_id).order_by(ScoreEvent.seq)
    ).scalars()
    known = {str(r.id) for r in rounds}
    pure, last = [], 0
    for event in events:
        last = event.seq
        if event.participant_id in entry.names and str(event.round_id) in known:
            pure.append(_pure(event))
    entry.boards = None
    if rounds:
        rule = standings.TeamRule(competition.team_rule, competition.team_n)
        rounds_ = [standings.Round(str(r.id), r.weight) for r in rounds]
        mapping = {pid: team for pid, (_, team) in entry.names.items()}
        entry.boards = standings.Boards(mapping, rounds_, rule, freeze_at=freeze_at, events=pure)
    entry.seq = entry.public_seq = last
    entry.config_version = config_version
    entry.rendered = {}


def _catch_up(competition_id: int) -> tuple[Entry, SimpleNamespace | None]:
    """The one query per request, then whatever is new applied under the lock."""
    entry = _entry(competition_id)
    seen = entry.seq
    # Not built yet: fetch no events here, the rebuild reads them all.
    newer = and_(ScoreEvent.competition_id == Competition.id, ScoreEvent.seq > seen)
    if entry.config_version < 0:
        newer = false()
    rows = db.session.execute(
        select(
            Competition.config_version,
            Competition.freeze_at,
            Competition.published_at,
            Competition.title,
            ScoreEvent,
        )
        .select_from(Competition)
        .outerjoin(ScoreEvent, newer)
        .where(Competition.id == competition_id)
        .order_by(ScoreEvent.seq)
    ).all()
    if not rows:
        return entry, None
    config_version, freeze_at, published_at, title, _ = rows[0]
    settings = SimpleNamespace(id=competition_id, title=title, freeze_at=freeze_at, published_at=published_at)
    with entry.lock:
        if entry.config_version != config_version:
            _rebuild(entry, competition_id, config_version, freeze_at)
            return entry, settings
        for *_, event in rows:
            if event is None or event.seq <= entry.seq:
                continue
            entry.seq = event.seq
            if entry.boards is None or event.participant_id not in entry.names:
                continue
            if str(event.round_id) not in entry.boards.live._keys:
                continue
            pure = _pure(event)
            entry.boards.apply(pure)
            if freeze_at is None or pure.recorded_at < freeze_at:
                entry.public_seq = event.seq
    return entry, settings


def read(
    competition_id: int,
    *,
    organiser: bool,
    now: datetime,
    round_id: int | None = None,
    limit: int = 100,
    me: int | None = None,
    if_none_match=None,
) -> View | None:
    """The board as `View` (None: no such competition). `me` is the viewer's participant id, if any."""
    entry, settings = _catch_up(competition_id)
    if settings is None:
        return None
    live = organiser or settings.published_at is not None
    frozen = not live and settings.freeze_at is not None and now >= settings.freeze_at
    version = entry.seq if live else entry.public_seq
    mode = "live" if organiser else ("published" if live else ("frozen" if frozen else "public"))
    key = (mode, round_id, min(max(limit, 1), MAX_ROWS))
    etag = (
        f"c{competition_id}-v{entry.config_version}-e{version}-{mode}-r{round_id or 0}-n{key[2]}-p{me or 0}"
    )
    if if_none_match is not None and etag in if_none_match:
        return View(etag, None)
    with entry.lock:
        cached = entry.rendered.get(key)
        if cached is None or cached[0] != (entry.config_version, version):
            body = _serialise(entry, settings, mode, round_id, key[2], organiser or live)
            cached = ((entry.config_version, version), body)
            entry.rendered[key] = cached
        mine = _me(entry, me, round_id, organiser or live) if me is not None else None
    body = cached[1]
    if mine is not None:
        body = b'{"me":' + json.dumps(mine, ensure_ascii=False).encode() + b"," + body[1:]
    return View(etag, body)


def _standings(entry: Entry, live: bool) -> standings.Standings | None:
    if entry.boards is None:
        return None
    return entry.boards.live if live else entry.boards.public


def _board_key(entry: Entry, round_id: int | None):
    if round_id is None or all(r != round_id for r, _ in entry.rounds):
        return standings.OVERALL
    return str(round_id)


def _serialise(entry: Entry, settings, mode: str, round_id, limit: int, live: bool) -> bytes:
    table = _standings(entry, live)
    board = _board_key(entry, round_id)
    people, teams = [], []
    if table is not None:
        for row in table.individual(board, limit=limit):
            name, team = entry.names[row.id]
            people.append(
                {"rank": row.rank, "name": name, "team": entry.teams.get(team, ""), "score": str(row.score)}
            )
        for row in table.teams(board):
            teams.append({"rank": row.rank, "name": entry.teams.get(row.id, ""), "score": str(row.score)})
    payload = {
        "competition": settings.id,
        "title": settings.title,
        "mode": mode,
        "round": None if board is standings.OVERALL else int(board),
        "rounds": [{"id": r, "title": t} for r, t in entry.rounds],
        "participants": len(entry.names),
        "individual": people,
        "teams": teams,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _me(entry: Entry, participant_id: int, round_id, live: bool) -> dict | None:
    table = _standings(entry, live)
    if table is None or participant_id not in entry.names:
        return None
    row = table.row_of(participant_id, _board_key(entry, round_id))
    name, team = entry.names[participant_id]
    return {"rank": row.rank, "name": name, "team": entry.teams.get(team, ""), "score": str(row.score)}


def snapshot(competition_id: int, *, live: bool) -> standings.Standings | None:
    """The current standings object (for organiser pages and tests), caught up first."""
    entry, settings = _catch_up(competition_id)
    return None if settings is None else _standings(entry, live)


def names(competition_id: int) -> tuple[dict, dict]:
    entry = _entry(competition_id)
    return entry.names, entry.teams


def bump(competition: Competition) -> None:
    """Mark the competition's boards for a rebuild (participants, rounds or rules changed)."""
    competition.config_version = (competition.config_version or 0) + 1
