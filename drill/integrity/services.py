"""Integrity: settings stored and read, events from the paper page, timelines, similarity flags.

Services flush; the view commits once. Computing flags reads every closed paper of one exam or round:
it runs when an organiser asks for it (or from a command), never inside a candidate's request.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from drill.accounts.models import User
from drill.attempts.models import Attempt, AttemptItem
from drill.attempts.rules import states as attempt_states
from drill.content.models import QuestionVersion
from drill.extensions import db
from drill.integrity.models import FlagDecision, IntegrityEvent, IntegritySettings, PaperWatch, SimilarityFlag
from drill.integrity.rules import controls, similarity

SETTING_FIELDS = ("count_leaves", "leave_limit", "block_paste", "fullscreen", "one_device")
DECISIONS = ("cleared", "follow_up")
MAX_EVENTS = 50  # per request: a page that was offline for long sends its queue in parts


# ---- settings ----------------------------------------------------------------------------------------


def stored(*, exam_id: int | None = None, round_id: int | None = None) -> IntegritySettings | None:
    column = IntegritySettings.exam_id if exam_id is not None else IntegritySettings.round_id
    return db.session.scalar(select(IntegritySettings).where(column == (exam_id or round_id)))


def _plain(row: IntegritySettings | None) -> controls.Settings | None:
    return None if row is None else controls.Settings(**{name: getattr(row, name) for name in SETTING_FIELDS})


def settings_of(attempt: Attempt) -> controls.Settings:
    if attempt.kind == "exam" and attempt.exam_id is not None:
        return controls.settings_for(attempt.kind, _plain(stored(exam_id=attempt.exam_id)))
    if attempt.kind == "competition" and attempt.competition_round_id is not None:
        return controls.settings_for(attempt.kind, _plain(stored(round_id=attempt.competition_round_id)))
    return controls.OFF


def scope_settings(*, exam_id: int | None = None, round_id: int | None = None) -> controls.Settings:
    kind = "exam" if exam_id is not None else "competition"
    return controls.settings_for(kind, _plain(stored(exam_id=exam_id, round_id=round_id)))


def load_settings(subform, *, exam_id: int | None = None, round_id: int | None = None) -> None:
    """Fill the form's integrity fields from what is stored (all on when nothing is)."""
    current = _plain(stored(exam_id=exam_id, round_id=round_id)) or controls.DEFAULT
    for name in SETTING_FIELDS:
        subform[name].data = getattr(current, name)


def save_settings(subform, *, exam=None, round_=None) -> None:
    """Store the form's integrity fields for an exam or a round (flushed first if it is new); a round's
    only while it is a draft or open (`controls.EDITABLE_ROUND_STATES`)."""
    owner = exam if exam is not None else round_
    if round_ is not None and round_.state not in controls.EDITABLE_ROUND_STATES:
        return
    if owner.id is None:
        db.session.add(owner)
        db.session.flush()
    exam_id = exam.id if exam is not None else None
    round_id = round_.id if exam is None else None
    row = stored(exam_id=exam_id, round_id=round_id)
    if row is None:
        row = IntegritySettings(exam_id=exam_id, round_id=round_id)
        db.session.add(row)
    for name in SETTING_FIELDS:
        setattr(row, name, subform[name].data)
    if not row.count_leaves or not row.leave_limit:
        row.leave_limit = None


# ---- events from the paper page ---------------------------------------------------------------------


def watch_of(attempt: Attempt, *, lock: bool = False) -> PaperWatch | None:
    query = select(PaperWatch).where(PaperWatch.attempt_id == attempt.id)
    return db.session.scalar(query.with_for_update() if lock else query)


def _watch_for_update(attempt: Attempt, now: datetime) -> PaperWatch:
    found = watch_of(attempt, lock=True)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            found = PaperWatch(attempt_id=attempt.id, leaves=0, pastes=0, devices=0, updated_at=now)
            db.session.add(found)
    except IntegrityError:  # the first two events of a paper arrived at once
        found = watch_of(attempt, lock=True)
    return found


@dataclass(frozen=True)
class Sent:
    seq: int
    kind: str
    reported_ms: int | None
    delay_ms: int | None


def receive(attempt: Attempt, device: str, address: str | None, sent: list[Sent], now: datetime) -> dict:
    """Record the page's events (a resent one counts once) and answer with the paper's state."""
    settings = settings_of(attempt)
    row = _watch_for_update(attempt, now)
    watch = controls.Watch(row.device, row.address, row.leaves, row.pastes, row.devices, row.limit_reached_at)
    seen = set(
        db.session.scalars(
            select(IntegrityEvent.seq).where(
                IntegrityEvent.attempt_id == attempt.id,
                IntegrityEvent.device == device,
                IntegrityEvent.seq.in_([s.seq for s in sent] or [-1]),
            )
        )
    )
    superseded = False
    fresh = [s for s in sorted(sent, key=lambda s: s.seq) if s.seq not in seen]
    if not fresh:  # only resent events or a keep-alive: device and address are still looked at
        fresh = [Sent(-1, "alive", None, None)]
    for event in fresh:
        outcome = controls.apply(watch, controls.Incoming(event.kind, device, address), settings, now)
        watch, superseded = outcome.watch, outcome.superseded
        for index, kind in enumerate(outcome.record):
            own = kind == event.kind and index == 0
            db.session.add(
                IntegrityEvent(
                    attempt_id=attempt.id,
                    kind=kind,
                    at=now,
                    device=device,
                    # the page's own event keeps its number; what the server noticed gets a negative one
                    seq=event.seq if own else -_next_server_seq(attempt.id),
                    address=address,
                    reported_ms=event.reported_ms if own else None,
                    delay_ms=event.delay_ms if own else None,
                )
            )
            db.session.flush()
    before = controls.Watch(
        row.device, row.address, row.leaves, row.pastes, row.devices, row.limit_reached_at
    )
    if watch != before:  # a keep-alive that changes nothing writes nothing
        row.device, row.address, row.leaves, row.pastes = (
            watch.device,
            watch.address,
            watch.leaves,
            watch.pastes,
        )
        row.devices, row.limit_reached_at, row.updated_at = watch.devices, watch.limit_reached_at, now
        db.session.flush()
    status = controls.leave_status(watch.leaves, settings.leave_limit) if settings.count_leaves else "ok"
    return {
        "leaves": watch.leaves,
        "limit": settings.leave_limit,
        "status": status,
        "superseded": superseded,
        "acknowledged": [s.seq for s in sent],
    }


def _next_server_seq(attempt_id: int) -> int:
    lowest = db.session.scalar(
        select(func.min(IntegrityEvent.seq)).where(IntegrityEvent.attempt_id == attempt_id)
    )
    return 1 if lowest is None or lowest >= 0 else 1 - lowest


# ---- timelines and counts for invigilators ----------------------------------------------------------


@dataclass(frozen=True)
class Line:
    at: datetime
    kind: str
    position: int | None = None  # the question saved
    reported_ms: int | None = None
    delay_ms: int | None = None
    device: str | None = None
    address: str | None = None


def timeline(attempt: Attempt) -> list[Line]:
    """Everything the server saw of a paper, in the server's time order."""
    lines = [Line(attempt.started_at, "started")]
    for item in attempt.items:
        if item.first_saved_at is not None:
            lines.append(Line(item.first_saved_at, "saved", position=item.position))
        if item.saved_at is not None and item.saved_at != item.first_saved_at:
            lines.append(Line(item.saved_at, "saved_again", position=item.position))
    events = db.session.scalars(
        select(IntegrityEvent).where(IntegrityEvent.attempt_id == attempt.id).order_by(IntegrityEvent.id)
    )
    for e in events:
        lines.append(Line(e.at, e.kind, None, e.reported_ms, e.delay_ms, e.device[:8], e.address))
    if attempt.closed_at is not None:
        lines.append(Line(attempt.closed_at, attempt.state))
    order = {"started": 0}
    return sorted(lines, key=lambda line: (line.at, order.get(line.kind, 1)))


def papers_query(*, exam_id: int | None = None, round_id: int | None = None):
    """The exam's or round's papers by employee number, each with its candidate (to paginate)."""
    column = Attempt.exam_id if exam_id is not None else Attempt.competition_round_id
    return (
        select(Attempt)
        .join(User, User.id == Attempt.user_id)
        .options(contains_eager(Attempt.user))
        .where(column == (exam_id or round_id))
        .order_by(User.employee_no, Attempt.number)
    )


def watches(attempts: list[Attempt]) -> list[tuple[Attempt, PaperWatch | None]]:
    """Each paper with its counts (one statement for a page of papers)."""
    found = (
        {
            w.attempt_id: w
            for w in db.session.scalars(
                select(PaperWatch).where(PaperWatch.attempt_id.in_([a.id for a in attempts]))
            )
        }
        if attempts
        else {}
    )
    return [(a, found.get(a.id)) for a in attempts]


def papers(
    *, exam_id: int | None = None, round_id: int | None = None
) -> list[tuple[Attempt, PaperWatch | None]]:
    return watches(list(db.session.scalars(papers_query(exam_id=exam_id, round_id=round_id))))


def leaves_by_user(*, exam_id: int | None = None, round_id: int | None = None) -> dict[int, int]:
    """Each candidate's page-leaves over their papers of one exam or round, in one query."""
    column = Attempt.exam_id if exam_id is not None else Attempt.competition_round_id
    rows = db.session.execute(
        select(Attempt.user_id, func.sum(PaperWatch.leaves))
        .join(PaperWatch, PaperWatch.attempt_id == Attempt.id)
        .where(column == (exam_id or round_id))
        .group_by(Attempt.user_id)
    )
    return {user_id: int(total or 0) for user_id, total in rows}


def open_flags(*, exam_id: int | None = None, round_id: int | None = None) -> int:
    column = SimilarityFlag.exam_id if exam_id is not None else SimilarityFlag.round_id
    return db.session.scalar(
        select(func.count())
        .select_from(SimilarityFlag)
        .where(column == (exam_id or round_id), SimilarityFlag.status == "open")
    )


# ---- similarity flags -------------------------------------------------------------------------------


def _plain_text(stem_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", stem_html or ""))


def _response_key(response: object) -> str:
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


def compute_flags(
    now: datetime, *, exam_id: int | None = None, round_id: int | None = None
) -> tuple[int, int]:
    """Compare the closed papers of one exam or round: open answers and case entries question by
    question for near-copies, objective answers for the same wrong answers. New pairs become open flags;
    a pair flagged before keeps its decisions (its similarity is refreshed). Returns (text, choices)."""
    column = Attempt.exam_id if exam_id is not None else Attempt.competition_round_id
    scope = f"e{exam_id}" if exam_id is not None else f"r{round_id}"
    rows = db.session.execute(
        select(AttemptItem, QuestionVersion.type, QuestionVersion.stem_html, Attempt.state)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(column == (exam_id or round_id), Attempt.state != attempt_states.OPEN)
        .order_by(Attempt.id, AttemptItem.position)
    ).all()
    texts: dict[int, dict[int, str]] = defaultdict(dict)
    stems: dict[int, str] = {}
    wrong: dict[int, dict[int, str]] = defaultdict(dict)
    attempts: set[int] = set()
    for item, kind, stem_html, _state in rows:
        attempts.add(item.attempt_id)
        if kind == "open":
            if isinstance(item.response, str) and item.response.strip():
                texts[item.question_version_id][item.attempt_id] = item.response
                stems[item.question_version_id] = stem_html
        elif item.correct is False and item.response not in (None, "", [], {}):
            wrong[item.attempt_id][item.question_version_id] = _response_key(item.response)
    found: dict[str, dict] = {}
    for version_id, answers in texts.items():
        for pair in similarity.similar_pairs(answers, ignore=_plain_text(stems[version_id])):
            a, b = sorted((pair.a, pair.b))
            found[f"{scope}:text:{version_id}:{a}:{b}"] = {
                "kind": "text",
                "a": a,
                "b": b,
                "version": version_id,
                "similarity": pair.similarity,
                "detail": {},
            }
    for pair in similarity.shared_wrong_answers(dict(wrong), papers=len(attempts)):
        a, b = sorted((pair.a, pair.b))
        found[f"{scope}:choices:0:{a}:{b}"] = {
            "kind": "choices",
            "a": a,
            "b": b,
            "version": None,
            "similarity": pair.similarity,
            "detail": {"questions": list(pair.shared)},
        }
    existing = {
        flag.key: flag
        for flag in db.session.scalars(
            select(SimilarityFlag).where(SimilarityFlag.key.in_(list(found) or [""]))
        )
    }
    for key, data in found.items():
        flag = existing.get(key)
        if flag is None:
            flag = SimilarityFlag(
                key=key,
                exam_id=exam_id,
                round_id=round_id,
                kind=data["kind"],
                attempt_a_id=data["a"],
                attempt_b_id=data["b"],
                question_version_id=data["version"],
                status="open",
            )
            db.session.add(flag)
        flag.similarity, flag.detail, flag.computed_at = data["similarity"], data["detail"], now
    db.session.flush()
    kinds = [d["kind"] for d in found.values()]
    return kinds.count("text"), kinds.count("choices")


# A flag's two papers and their candidates, which every flag line names.
FLAG_CANDIDATES = (
    joinedload(SimilarityFlag.attempt_a).joinedload(Attempt.user),
    joinedload(SimilarityFlag.attempt_b).joinedload(Attempt.user),
)


def flags(*, exam_id: int | None = None, round_id: int | None = None) -> list[SimilarityFlag]:
    column = SimilarityFlag.exam_id if exam_id is not None else SimilarityFlag.round_id
    return list(
        db.session.scalars(
            select(SimilarityFlag)
            .options(*FLAG_CANDIDATES)
            .where(column == (exam_id or round_id))
            .order_by(SimilarityFlag.status != "open", SimilarityFlag.similarity.desc(), SimilarityFlag.id)
        )
    )


@dataclass(frozen=True)
class Side:
    attempt: Attempt
    text: str
    segments: list[similarity.Segment]


def sides(flag: SimilarityFlag) -> list[Side]:
    """Both texts of a text flag with their shared passages marked (plain strings: the page escapes)."""
    if flag.kind != "text":
        return []
    answers = {}
    for attempt in (flag.attempt_a, flag.attempt_b):
        item = db.session.scalar(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt.id,
                AttemptItem.question_version_id == flag.question_version_id,
            )
        )
        answers[attempt.id] = (attempt, item.response if item and isinstance(item.response, str) else "")
    (a, text_a), (b, text_b) = answers[flag.attempt_a_id], answers[flag.attempt_b_id]
    return [
        Side(a, text_a, similarity.overlap(text_a, text_b)),
        Side(b, text_b, similarity.overlap(text_b, text_a)),
    ]


@dataclass(frozen=True)
class SharedWrong:
    position: int  # on the first candidate's paper
    stem: str  # plain text, shortened
    answer: str | bool  # the options' texts, or True/False for a true-or-false question


def _answer_text(spec: dict, response: object) -> str | bool:
    texts = {o.get("id"): str(o.get("text", "")) for o in spec.get("options", [])}
    if isinstance(response, bool):
        return response
    if isinstance(response, str):
        return texts.get(response, response)
    if isinstance(response, list):
        return "；".join(texts.get(r, str(r)) if isinstance(r, str) else str(r) for r in response)
    if isinstance(response, dict):
        return "；".join(f"{texts.get(k, k)} → {texts.get(v, v)}" for k, v in response.items())
    return str(response)


def shared_choices(flag: SimilarityFlag) -> list[SharedWrong]:
    """The questions both candidates answered wrong the same way, with that answer in words."""
    questions = flag.detail.get("questions", []) if flag.kind == "choices" else []
    rows = db.session.execute(
        select(AttemptItem, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(
            AttemptItem.attempt_id == flag.attempt_a_id,
            AttemptItem.question_version_id.in_(questions or [-1]),
        )
        .order_by(AttemptItem.position)
    ).all()
    out = []
    for item, version in rows:
        stem = " ".join(_plain_text(version.stem_html).split())
        out.append(
            SharedWrong(
                item.position,
                stem[:80] + ("…" if len(stem) > 80 else ""),
                _answer_text(version.spec, item.response),
            )
        )
    return out


def decide(flag: SimilarityFlag, decision: str, reason: str, by: User, now: datetime) -> FlagDecision:
    """A person's decision with the reason, kept beside the earlier ones. It changes no score."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    entry = FlagDecision(
        flag=flag, decision=decision, reason=reason.strip(), decided_by_id=by.id, decided_at=now
    )
    db.session.add(entry)
    flag.status = decision
    db.session.flush()
    return entry
