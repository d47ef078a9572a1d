"""The leaderboards each app process keeps in memory, and how a request reads them.

Never recomputed from all raw scores per request. Per process and competition there is one `Entry`:
`standings.Boards` built once from every ScoreEvent, and where the catch-up stands (`mark`). A request
runs at most ONE indexed query (`_CATCH_UP`) — the competition's settings joined with its events past the
mark — then applies what is new under the entry's lock (about 0.1 ms an event,
`standings.Standings.apply`). The mark (`events` says why each is complete):
- SQLite: the `seq` of the last event applied; events are numbered in commit order, so `seq > mark`
  (`uq_score_events_competition_id_seq`) never misses one.
- PostgreSQL: the oldest transaction still running when the last catch-up read (`pg_snapshot_xmin` of its
  own snapshot); events carry their transaction (`txid`), so `txid >= mark`
  (`ix_score_events_competition_id_txid`) brings every event that was not yet visible, whatever order they
  commit in. Events of that window already applied are remembered by id (`taken`) and skipped.
Answers being saved never touch any of this: only score events do.

Shared catch-up (#22). Within BOARD_CATCH_UP_SECONDS of the last catch-up (default 1 s), a poll skips the
database: the entry's events, and the settings and what that query read of the viewer (their login session
open, their role bit, their scope), are served as they are, unless this process has since written a
competition, its people or rounds, or a role, or the viewer has recorded a score (`events.written`,
`events.written_by`, counted after each flush). So
concurrent polls of one process share one query per interval even while scores pour in, whoever changes
something sees it at once, and several app processes agree within one interval plus one poll.

The entry is rebuilt only when `Competition.config_version` changed, and every flush that changes what the
entry depends on raises it (`_bump_changed_competitions`, a flush listener, so no caller has to remember):
participants (added, removed, disqualified), rounds (their weights, titles, judges, who qualifies for a
final), the team rule and the freeze time. Whatever can change without a bump is read afresh in the one
query instead: the competition's title, state, creator, freeze and publication
times, whether the viewer holds an organiser's role, and whether their login session is still open.

Who may read is decided from that same query and the entry (`current` → `Viewer`): the viewer's
participant id by user id (disqualified participants included: they may still look) and the judges' user
ids are part of the entry. The signed-in user is not loaded (the view takes the cookie's claim,
`accounts.session.claim_required`): a poll costs one query, none within the shared interval, so a session
ended on another node stops polling within that interval.

Finals. A round that takes only the qualifiers of another has a board of its own over its confirmed
finalists (`standings.Boards.finals`); until they are confirmed it lists nobody and says so (`final`).

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
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy import BigInteger, Integer, Text, and_, bindparam, exists, func, null, select
from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from drill.accounts import session as login_sessions
from drill.accounts.models import Branch, User, UserRole
from drill.competitions import events
from drill.competitions.models import Competition, Participant, Round, RoundJudge, ScoreEvent
from drill.competitions.rules import editing, standings
from drill.extensions import db

MAX_ROWS = 500
RENDERED_VIEWS = 32  # serialised views kept per competition
_clock = time.monotonic
MAX_VIEWERS = 4096  # viewers whose role bit a competition's entry keeps for the shared interval
NOT_BUILT = 2**62  # a mark above any: an entry not built yet fetches no events (the rebuild reads them)


@dataclass(frozen=True)
class Final:
    """A round only qualifiers enter, as its board shows it."""

    source: str  # the title of the round they qualify from
    top_n: int | None
    per_branch: bool
    qualified: tuple | None  # participant ids, once confirmed


@dataclass
class Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)
    config_version: int = -1
    boards: standings.Boards | None = None
    seq: int = 0  # how many events were taken in: the live standings' version (the same on every process)
    public_seq: int = 0  # the public standings' version: bumped by events recorded before the freeze
    mark: int = 0  # where the catch-up stands: the last seq (SQLite), the oldest txid (PostgreSQL)
    taken: dict = field(default_factory=dict)  # PostgreSQL: event id -> txid, for events at or past the mark
    checked: float = float("-inf")  # _clock() of the last catch-up
    written: int = -1  # events.written[0] then
    settings: tuple | None = None  # the last catch-up's settings row
    # (user id, session token, roles) -> (monotonic time read, Who): the viewer as the last query read them
    viewers: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # participant id -> (name, team id); not disqualified
    teams: dict = field(default_factory=dict)  # team id -> name
    rounds: list = field(default_factory=list)  # [(round id, title)]
    finals: dict = field(default_factory=dict)  # board key (round id as text) -> Final
    members: dict = field(default_factory=dict)  # user id -> participant id, the disqualified too
    judges: frozenset = frozenset()  # user ids of the judges of any round
    rendered: dict = field(default_factory=dict)  # view -> (version, bytes)


@dataclass(frozen=True)
class Settings:
    """The competition's own columns, read afresh by every request's one query."""

    id: int
    title: str
    state: str
    created_by_id: int
    freeze_at: datetime | None
    published_at: datetime | None


@dataclass(frozen=True)
class Who:
    """What the one query reads of the viewer."""

    signed_in: bool  # their login session is open (signed out, timed out or ended: False)
    has_role: bool  # holds one of the roles `current` was asked about
    scope_branch_id: int | None  # a trainer or admin limited to a subtree (`states.organises`)


NOBODY = Who(False, False, None)


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the permission rules need them (`views.may_see`, `states.organises`)."""

    id: int
    signed_in: bool
    has_role: bool
    scope_branch_id: int | None
    participant_id: int | None  # disqualified participants too: they may still look
    judge: bool  # judges a round of the competition


@dataclass(frozen=True)
class Board:
    """A competition's boards as one request found them: the process's entry, caught up; the settings;
    and who is asking (None when nobody was named)."""

    entry: Entry
    settings: Settings
    viewer: Viewer | None


@dataclass(frozen=True)
class View:
    etag: str
    body: bytes | None  # None: the client's copy is current (304)


# The one query a request runs, built once per database kind. Uncorrelated subqueries read the viewer: their
# login session still open (the user is not loaded for a poll), a role, their scope; `horizon` is the
# snapshot's oldest running transaction (PostgreSQL; None on SQLite).
def _catch_up_query(postgresql: bool):
    if postgresql:
        horizon = func.pg_snapshot_xmin(func.pg_current_snapshot()).cast(Text).cast(BigInteger)
        past = ScoreEvent.txid >= bindparam("seen", type_=BigInteger)
    else:
        horizon = null().cast(BigInteger)
        past = ScoreEvent.seq > bindparam("seen", type_=BigInteger)
    return (
        select(
            Competition.config_version,
            Competition.freeze_at,
            Competition.published_at,
            Competition.title,
            Competition.state,
            Competition.created_by_id,
            login_sessions.still_open(bindparam("user_id", type_=Integer)).label("signed_in"),
            exists()
            .where(
                UserRole.user_id == bindparam("user_id", type_=Integer),
                UserRole.role.in_(bindparam("roles", expanding=True)),
            )
            .label("has_role"),
            select(User.scope_branch_id)
            .where(User.id == bindparam("user_id", type_=Integer))
            .scalar_subquery()
            .label("scope_branch_id"),
            horizon.label("horizon"),
            ScoreEvent,
        )
        .select_from(Competition)
        .outerjoin(ScoreEvent, and_(ScoreEvent.competition_id == Competition.id, past))
        .where(Competition.id == bindparam("competition_id", type_=Integer))
        .order_by(ScoreEvent.seq)
    )


_CATCH_UP = {False: _catch_up_query(False), True: _catch_up_query(True)}


_CONFIG = (Competition, Participant, Round, RoundJudge, UserRole)
MAX_WRITERS = 10_000


@sa_event.listens_for(Session, "after_flush")
def _note_writes(session, _context) -> None:
    """A flush that wrote what a board depends on ends this process's shared interval (see above), once it
    commits: for everyone when it changed a competition, its people, rounds or roles, or came from outside
    a signed-in request (a command, a test); for the signed-in writer only when it recorded score events."""
    written = [obj for objects in (session.new, session.dirty, session.deleted) for obj in objects]
    if not any(isinstance(obj, (*_CONFIG, ScoreEvent)) for obj in written):
        return
    user = g.get("_login_user") if has_request_context() else None
    user_id = getattr(user, "id", None)
    everyone = user_id is None or any(isinstance(obj, _CONFIG) for obj in written)
    events.note_written(session, None if everyone else user_id)


@sa_event.listens_for(Session, "after_commit")
def _count_writes(session) -> None:
    noted = session.info.pop(events.BOARD_WRITES, None)
    if not noted:
        return
    if None in noted or len(events.written_by) >= MAX_WRITERS:
        events.written_by.clear()
        events.written[0] += 1
    now = _clock()
    for user_id in noted - {None}:
        events.written_by[user_id] = now


@sa_event.listens_for(Session, "after_rollback")
def _forget_writes(session) -> None:
    session.info.pop(events.BOARD_WRITES, None)


def _entry(competition_id: int) -> Entry:
    """The process's entry for the competition. At most BOARD_CACHE_SIZE are kept, the least recently read
    dropped first (a dict keeps its order: reading one moves it to the end)."""
    store = current_app.extensions.setdefault("competition_boards", {"lock": threading.Lock(), "by_id": {}})
    size = max(int(current_app.config.get("BOARD_CACHE_SIZE") or 64), 1)
    with store["lock"]:
        by_id = store["by_id"]
        entry = by_id.pop(competition_id, None) or Entry()
        by_id[competition_id] = entry
        while len(by_id) > size:
            del by_id[next(iter(by_id))]
    return entry


def _pure(event) -> standings.ScoreEvent:
    return standings.ScoreEvent(
        event.participant_id,
        str(event.round_id),
        event.score,
        event.completed_at,
        event.recorded_at,
        event.seq,
    )


def _rebuild(
    entry: Entry, competition_id: int, config_version: int, freeze_at: datetime | None, horizon: int | None
) -> None:
    competition = db.session.get(Competition, competition_id)
    every = list(
        db.session.scalars(
            select(Round).where(Round.competition_id == competition_id).order_by(Round.position)
        )
    )  # read here, not through `competition.rounds`: the competition may come without them
    rounds = [r for r in every if r.weight > 0]
    rows = db.session.execute(
        select(
            Participant.id, Participant.user_id, User.name, Participant.team_id, Participant.disqualified_at
        )
        .join(User, User.id == Participant.user_id)
        .where(Participant.competition_id == competition_id)
    ).all()
    entry.members = {user_id: pid for pid, user_id, *_ in rows}
    entry.names = {pid: (name, team) for pid, _, name, team, out in rows if out is None}
    team_ids = {team for _, team in entry.names.values()}
    entry.teams = dict(
        db.session.execute(select(Branch.id, Branch.name).where(Branch.id.in_(team_ids))).all()
    )
    entry.judges = frozenset(
        db.session.scalars(
            select(RoundJudge.user_id)
            .join(Round, Round.id == RoundJudge.round_id)
            .where(Round.competition_id == competition_id)
        )
    )
    entry.rounds = [(r.id, r.title) for r in rounds]
    titles = {r.id: r.title for r in every}
    entry.finals = {
        str(r.id): Final(
            titles.get(r.qualify_from_id, ""),
            r.qualify_top_n,
            bool(r.qualify_per_branch),
            None if r.qualified is None else tuple(r.qualified),
        )
        for r in rounds
        if r.qualify_from_id is not None
    }
    columns = (ScoreEvent.id, ScoreEvent.seq, ScoreEvent.txid, ScoreEvent.participant_id, ScoreEvent.round_id)
    columns += (ScoreEvent.score, ScoreEvent.completed_at, ScoreEvent.recorded_at)
    logged = db.session.execute(  # plain rows, not ORM objects: a province's competition logs thousands
        select(*columns).where(ScoreEvent.competition_id == competition_id).order_by(ScoreEvent.seq)
    )
    known = {str(r.id) for r in rounds}
    pure, count, last, taken = [], 0, 0, {}
    for event in logged:
        count, last = count + 1, event.seq
        if horizon is not None and event.txid is not None and event.txid >= horizon:
            taken[event.id] = event.txid
        if event.participant_id in entry.names and str(event.round_id) in known:
            pure.append(_pure(event))
    entry.boards = None
    if rounds:
        rule = standings.TeamRule(competition.team_rule, competition.team_n)
        rounds_ = [standings.Round(str(r.id), r.weight) for r in rounds]
        mapping = {pid: team for pid, (_, team) in entry.names.items()}
        finals = {key: f.qualified for key, f in entry.finals.items() if f.qualified is not None}
        entry.boards = standings.Boards(
            mapping, rounds_, rule, freeze_at=freeze_at, events=pure, finals=finals
        )
    entry.seq = entry.public_seq = count
    # PostgreSQL: the horizon of the catch-up query that ran before this read, so every event at or past
    # it is asked for again (and skipped if taken); SQLite: the last number read.
    entry.mark, entry.taken = (last, {}) if horizon is None else (horizon, taken)
    entry.config_version = config_version
    entry.rendered = {}


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _catch_up(
    competition_id: int, claim: login_sessions.SignedIn | None = None, roles: Iterable[str] = ()
) -> tuple[Entry, Settings | None, Who]:
    """At most one query per request (none within the shared interval), then whatever is new applied
    under the lock."""
    entry = _entry(competition_id)
    roles = tuple(roles)
    interval = float(current_app.config.get("BOARD_CATCH_UP_SECONDS") or 0)
    user_id = claim.user_id if claim is not None else None
    viewer = (user_id, claim.token if claim is not None else None, roles)
    with entry.lock:
        now, known = _clock(), entry.viewers.get(viewer)
        fresh = (
            interval > 0
            and entry.settings is not None
            and entry.written == events.written[0]
            and now - entry.checked < interval
            and known is not None
            and now - known[0] < interval
            and events.written_by.get(user_id, float("-inf")) < entry.checked
        )
        if fresh:
            return entry, _settings(competition_id, entry.settings), known[1]
    seen = entry.mark if entry.config_version >= 0 else NOT_BUILT
    postgresql = _postgresql()
    started, written = _clock(), events.written[0]
    values = {
        "competition_id": competition_id, "seen": seen, "user_id": user_id, "roles": list(roles) or [""],
        **(login_sessions.bound(claim) if claim is not None else login_sessions.NO_CLAIM),
    }  # fmt: skip
    rows = db.session.execute(_CATCH_UP[postgresql], values).all()
    if not rows:
        return entry, None, NOBODY
    config_version, freeze_at, published_at, title, state, created_by_id, *viewed, horizon, _ = rows[0]
    signed_in, has_role, scope_branch_id = viewed
    who = Who(bool(signed_in), bool(has_role), scope_branch_id) if claim is not None else NOBODY
    row = (title, state, created_by_id, freeze_at, published_at)
    with entry.lock:
        if entry.config_version != config_version:
            _rebuild(entry, competition_id, config_version, freeze_at, horizon)
        else:
            for *_, event in rows:
                if event is not None and _new(entry, event, postgresql):
                    _take(entry, event, freeze_at)
            if postgresql and horizon > entry.mark:
                entry.mark = horizon
                entry.taken = {k: txid for k, txid in entry.taken.items() if txid >= horizon}
        if started >= entry.checked:
            entry.checked, entry.written, entry.settings = started, written, row
        if len(entry.viewers) >= MAX_VIEWERS:
            entry.viewers = {}
        entry.viewers[viewer] = (started, who)
    return entry, _settings(competition_id, row), who


def _settings(competition_id: int, row: tuple) -> Settings:
    return Settings(competition_id, *row)


def _new(entry: Entry, event, postgresql: bool) -> bool:
    """Not taken yet (a request with an older snapshot may come second to the lock)."""
    if not postgresql:
        if event.seq <= entry.mark:
            return False
        entry.mark = event.seq
        return True
    if event.txid is None or event.txid < entry.mark or event.id in entry.taken:
        return False
    entry.taken[event.id] = event.txid
    return True


def _take(entry: Entry, event, freeze_at: datetime | None) -> None:
    entry.seq += 1
    if entry.boards is None or event.participant_id not in entry.names:
        return
    if str(event.round_id) not in entry.boards.live._keys:
        return
    pure = _pure(event)
    entry.boards.apply(pure)
    if freeze_at is None or pure.recorded_at < freeze_at:
        entry.public_seq += 1


def current(
    competition_id: int, claim: login_sessions.SignedIn | None = None, *, roles: Iterable[str] = ()
) -> Board | None:
    """The competition's boards, caught up, with who the claim's user is in it (None: no such competition).

    One query: the settings, the new events and, for the claim, whether its login session is open, whether
    the user holds one of `roles` and their scope; the rest of what the permission rules need
    (participant, judge) comes from the entry. Within the shared interval that query is not run: a
    session ended elsewhere stops its polls within BOARD_CATCH_UP_SECONDS.
    """
    entry, settings, who = _catch_up(competition_id, claim, roles)
    if settings is None:
        return None
    viewer = None
    if claim is not None:
        user_id = claim.user_id
        viewer = Viewer(
            user_id, who.signed_in, who.has_role, who.scope_branch_id, entry.members.get(user_id),
            user_id in entry.judges,
        )  # fmt: skip
    return Board(entry, settings, viewer)


def read(
    board: Board,
    *,
    organiser: bool,
    now: datetime,
    round_id: int | None = None,
    limit: int = 100,
    me: int | None = None,
    if_none_match=None,
) -> View:
    """The board as a `View`. `me` is the viewer's participant id, if any; the caller checked the access."""
    entry, settings = board.entry, board.settings
    live = organiser or settings.published_at is not None
    frozen = not live and settings.freeze_at is not None and now >= settings.freeze_at
    mode = "live" if organiser else ("published" if live else ("frozen" if frozen else "public"))
    key = (mode, round_id, min(max(limit, 1), MAX_ROWS))
    with entry.lock:  # a rebuild by another request swaps the entry's contents: read them together
        version = (entry.config_version, entry.seq if live else entry.public_seq)
        etag = f"c{settings.id}-v{version[0]}-e{version[1]}-{mode}-r{round_id or 0}-n{key[2]}-p{me or 0}"
        if if_none_match is not None and etag in if_none_match:
            return View(etag, None)
        cached = entry.rendered.get(key)
        if cached is None or cached[0] != version:
            cached = (version, _serialise(entry, settings, mode, round_id, key[2], live))
            if len(entry.rendered) >= RENDERED_VIEWS:  # bounded: each size a client asks for is a view
                entry.rendered.clear()
            entry.rendered[key] = cached
        mine = _me(entry, me, round_id, live) if me is not None else None
    body = cached[1]
    if mine is not None:
        body = b'{"me":' + json.dumps(mine, ensure_ascii=False).encode() + b"," + body[1:]
    return View(etag, body)


def _board_key(entry: Entry, round_id: int | None):
    if round_id is None or all(r != round_id for r, _ in entry.rounds):
        return standings.OVERALL
    return str(round_id)


def _boards(entry: Entry, board) -> standings.Boards | None:
    """The standings.Boards a board is read from: a final's own (None until it is confirmed), or the main."""
    if entry.boards is None:
        return None
    final = entry.finals.get(board)
    if final is None:
        return entry.boards
    return entry.boards.finals.get(board)


def _standings(entry: Entry, live: bool, board=standings.OVERALL) -> standings.Standings | None:
    found = _boards(entry, board)
    if found is None:
        return None
    return found.live if live else found.public


def _serialise(entry: Entry, settings: Settings, mode: str, round_id, limit: int, live: bool) -> bytes:
    board = _board_key(entry, round_id)
    table = _standings(entry, live, board)
    people, teams = [], []
    if table is not None:
        for row in table.individual(board, limit=limit):
            name, team = entry.names[row.id]
            people.append(
                {"rank": row.rank, "name": name, "team": entry.teams.get(team, ""), "score": str(row.score)}
            )
        for row in table.teams(board):
            teams.append({"rank": row.rank, "name": entry.teams.get(row.id, ""), "score": str(row.score)})
    final = entry.finals.get(board)
    payload = {
        "competition": settings.id,
        "title": settings.title,
        "mode": mode,
        "round": None if board is standings.OVERALL else int(board),
        "rounds": [{"id": r, "title": t} for r, t in entry.rounds],
        "participants": len(entry.names),
        "final": None
        if final is None
        else {
            "from": final.source,
            "top_n": final.top_n,
            "per_branch": final.per_branch,
            "confirmed": final.qualified is not None,
            "advanced": len(final.qualified or ()),
        },
        "individual": people,
        "teams": teams,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _me(entry: Entry, participant_id: int, round_id, live: bool) -> dict | None:
    board = _board_key(entry, round_id)
    found = _boards(entry, board)
    if found is None or participant_id not in found.participants:  # disqualified, or not a finalist
        return None
    table = found.live if live else found.public
    row = table.row_of(participant_id, board)
    name, team = entry.names[participant_id]
    return {"rank": row.rank, "name": name, "team": entry.teams.get(team, ""), "score": str(row.score)}


def snapshot(competition_id: int, *, live: bool) -> standings.Standings | None:
    """The current standings object (for organiser pages and tests), caught up first."""
    entry, settings, _ = _catch_up(competition_id)
    return None if settings is None else _standings(entry, live)


def final_standings(competition_id: int) -> tuple[standings.Standings, dict[int, int]] | None:
    """The overall live standings built afresh from the database by the pure rules, with each participant's
    user id, or None for a competition without scored rounds. Outside the per-process board cache, so a
    record computed from them (appraisal) is the same on every node whatever it has cached."""
    if db.session.get(Competition, competition_id) is None:
        return None
    entry = Entry()
    _rebuild(entry, competition_id, config_version=0, freeze_at=None, horizon=None)
    found = _standings(entry, live=True)
    return None if found is None else (found, {pid: user_id for user_id, pid in entry.members.items()})


def names(competition_id: int) -> tuple[dict, dict]:
    entry = _entry(competition_id)
    return entry.names, entry.teams


# A competition's columns that every catch-up reads afresh (or that count score events): changing them
# needs no rebuild. Any other change to the competition, or any to its participants, rounds or judges does.
_READ_EVERY_POLL = frozenset(
    {"title", "state", "created_by_id", "published_at", "event_seq", "config_version"}
)


@sa_event.listens_for(Session, "before_flush")
def _bump_changed_competitions(session, _context, _instances) -> None:
    """Mark the boards of every competition whose participants, rounds, judges or rules this flush changes
    for a rebuild on every node (`config_version` + 1, in the same transaction): the change itself says
    so, wherever it is made, instead of each caller having to remember."""
    ids: set[int] = set()
    for obj in (*session.new, *session.deleted, *session.dirty):
        if not isinstance(obj, (Competition, Participant, Round, RoundJudge)):
            continue
        changed = _changed(obj) if obj in session.dirty else None
        if changed is not None and not changed:
            continue
        if isinstance(obj, Round) and changed is not None and not _moves_boards(changed):
            continue  # its dates, state or texts: read afresh where shown
        if isinstance(obj, Competition):
            if obj not in session.new and (changed or set()) - _READ_EVERY_POLL:
                ids.add(obj.id)
        elif isinstance(obj, RoundJudge):  # one added or removed through its round marks the round changed
            if obj.round_id is not None:
                ids.add(session.scalar(select(Round.competition_id).where(Round.id == obj.round_id)))
        else:
            ids.add(_competition_id(obj))
    for competition_id in ids - {None}:
        competition = session.get(Competition, competition_id)
        if competition is not None:
            competition.config_version = (competition.config_version or 0) + 1


def _moves_boards(changed: set[str]) -> bool:
    """A round's change that its competition's boards show or use (`editing.BOARDS`), or its finalists."""
    return editing.moves_boards(changed) or "qualified" in changed


def _changed(obj) -> set[str]:
    """The attributes (columns and collections) of a loaded object with changes not yet flushed."""
    return {attr.key for attr in sa_inspect(obj).attrs if attr.history.has_changes()}


def _competition_id(obj: Participant | Round) -> int | None:
    if obj.competition_id is not None:
        return obj.competition_id
    competition = sa_inspect(obj).attrs.competition.loaded_value if isinstance(obj, Round) else None
    return getattr(competition, "id", None)  # a new round added to its competition's rounds
